import type { Command } from '../command.ts';
import { evaluateCommand } from './evaluate.ts';
import { serveCommand } from './serve.ts';
import { smokeCommand } from './smoke.ts';
import { deployCommand } from './deploy.ts';
import { imageCommand } from './image.ts';
import { serializeCommand } from './serialize.ts';
import { packageCommand } from './package.ts';
import { driftCommand } from './drift.ts';
import { predictCommand } from './predict.ts';

/** Every subcommand, in the order `mlship --help` lists them. */
export const commands: Command[] = [
  evaluateCommand,
  serializeCommand,
  packageCommand,
  serveCommand,
  smokeCommand,
  imageCommand,
  deployCommand,
  driftCommand,
  predictCommand,
];
