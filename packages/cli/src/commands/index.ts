import type { Command } from '../command.ts';

/** Every subcommand, in the order `mlship --help` lists them. */
export const commands: Command[] = [];
