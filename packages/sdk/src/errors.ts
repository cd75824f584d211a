/**
 * Errors the SDK throws on purpose. Every message says what is wrong, where (file, row, column) and
 * what to do. `exitCode` is what the CLI exits with: 2 for bad usage or input, 1 for a failed gate.
 */
export class MlshipError extends Error {
  readonly exitCode: number;
  constructor(message: string, exitCode = 2, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.exitCode = exitCode;
  }
}

/** Bad input: a file, a column, a cell, an option. Exit code 2. */
export class InputError extends MlshipError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, 2, options);
  }
}

/** A quality gate (metric thresholds, champion/challenger, parity, drift) said no. Exit code 1. */
export class GateFailedError extends MlshipError {
  constructor(message: string) {
    super(message, 1);
  }
}

/** The exit code for any thrown value: ours carry one, anything else is an internal error (2). */
export function exitCodeOf(err: unknown): number {
  return err instanceof MlshipError ? err.exitCode : 2;
}
