import { cliOptionName, exitCodeOf, messageFor, MLSHIP_VERSION, MlshipError } from '@mlship/sdk';
import { commands } from './commands/index.ts';

function help(): string {
  const width = Math.max(...commands.map((c) => c.name.length), 8);
  return [
    'mlship — train-to-monitor CI/CD for ONNX models',
    '',
    'usage: mlship <command> [options]',
    '',
    'commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Run `mlship <command> --help` for a command\'s options.',
    'Exit codes: 0 ok, 1 a gate failed (metrics, parity, drift), 2 bad usage or input.',
  ].join('\n');
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(`${help()}\n`);
    return name === undefined ? 2 : 0;
  }
  if (name === '--version' || name === '-v') {
    process.stdout.write(`${MLSHIP_VERSION}\n`);
    return 0;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    process.stderr.write(`mlship: unknown command "${name}".\n\n${help()}\n`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(`${command.usage.trim()}\n`);
    return 0;
  }
  try {
    return await command.run(rest);
  } catch (err) {
    const message = messageFor(err, cliOptionName);
    process.stderr.write(`error: ${message}\n`);
    if (!(err instanceof MlshipError) && err instanceof Error && process.env.MLSHIP_DEBUG) process.stderr.write(`${err.stack}\n`);
    return exitCodeOf(err);
  }
}

process.exitCode = await main(process.argv.slice(2));
