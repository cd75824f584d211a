import type { Command } from '../command.ts';
import { evaluateCommand } from './evaluate.ts';
import { serveCommand } from './serve.ts';
import { deployCommand } from './deploy.ts';

/** Every subcommand, in the order `mlship --help` lists them. */
export const commands: Command[] = [
  evaluateCommand,
  serveCommand,
  deployCommand,
];
