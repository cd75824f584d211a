/**
 * Errors the SDK throws on purpose. Every message says what is wrong, where (file, row, column) and
 * what to do. `exitCode` is what the CLI exits with: 2 for bad usage or input, 1 for a failed gate.
 *
 * Messages speak the caller's language: an option is written `opt('threshold')` (its kebab-case key,
 * which is both the CLI flag and the action input name unless an adapter maps it), and each adapter
 * renders the message its own way — the CLI as `--threshold`, an action as the `threshold` input
 * (`messageFor(err, actionInputName)`). `err.message` is the CLI rendering.
 */
const OPTION_REF = /\u2983([A-Za-z0-9_.-]+)\u2984/g;

/** A reference to option `key` inside an error message (see the module comment). */
export function opt(key: string): string {
  return `\u2983${key}\u2984`;
}

/** How an adapter names option `key` for its users. */
export type OptionNamer = (key: string) => string;

/** The CLI's names: `--key`. */
export const cliOptionName: OptionNamer = (key) => `--${key}`;

/** An action's names: `input "key"` (the action.yml input of that name). */
export const actionInputName: OptionNamer = (key) => `input "${key}"`;

/** `template` with every `opt(key)` replaced by `name(key)`. */
export function renderOptionRefs(template: string, name: OptionNamer): string {
  return template.replace(OPTION_REF, (_, key: string) => name(key));
}

export class MlshipError extends Error {
  readonly exitCode: number;
  /** The message with its option references unrendered (see `messageFor`). */
  readonly template: string;
  constructor(message: string, exitCode = 2, options?: { cause?: unknown }) {
    super(renderOptionRefs(message, cliOptionName), options);
    this.name = new.target.name;
    this.exitCode = exitCode;
    this.template = message;
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

/** The message of any thrown value, with option references named as `name` names them. */
export function messageFor(err: unknown, name: OptionNamer = cliOptionName): string {
  if (err instanceof MlshipError) return renderOptionRefs(err.template, name);
  return err instanceof Error ? err.message : String(err);
}
