import type { Command } from '../command.ts';
import { deployCommand } from './deploy.ts';

/** Every subcommand, in the order `mlship --help` lists them. */
export const commands: Command[] = [
  deployCommand,
];
