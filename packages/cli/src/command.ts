import { parseArgs, type ParseArgsConfig } from 'node:util';
import { InputError } from '@mlship/sdk';

/** One `mlship <name>` subcommand. `run` returns the exit code (0 ok, 1 gate failed, 2 usage/input). */
export interface Command {
  name: string;
  summary: string;
  /** Full --help text. */
  usage: string;
  run(argv: string[]): Promise<number>;
}

/** node:util parseArgs with errors that say how to get help. */
export function parseCommandArgs<T extends NonNullable<ParseArgsConfig['options']>>(command: string, argv: string[], options: T) {
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (err) {
    throw new InputError(`mlship ${command}: ${(err as Error).message}. See \`mlship ${command} --help\`.`);
  }
}

/** Reads a required option or throws a usage error naming it. */
export function requireOption(command: string, name: string, value: string | undefined): string {
  if (value === undefined || value === '') throw new InputError(`mlship ${command}: --${name} is required. See \`mlship ${command} --help\`.`);
  return value;
}
