import type { Command } from '../command.ts';
import { serveCommand } from './serve.ts';
import { deployCommand } from './deploy.ts';

/** Every subcommand, in the order `mlship --help` lists them. */
export const commands: Command[] = [
  serveCommand,
  deployCommand,
];
