import type { Command } from '../command.ts';
import { evaluateCommand } from './evaluate.ts';
import { serveCommand } from './serve.ts';
import { deployCommand } from './deploy.ts';
import { imageCommand } from './image.ts';
import { driftCommand } from './drift.ts';

/** Every subcommand, in the order `mlship --help` lists them. */
export const commands: Command[] = [
  evaluateCommand,
  serveCommand,
  imageCommand,
  deployCommand,
  driftCommand,
];
