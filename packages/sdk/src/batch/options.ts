import { InputError, opt } from '../errors.ts';
import type { OutputFormat } from './prediction-columns.ts';

/** What a bad row does to a batch run: `stop` it (nothing written) or `skip` it into the rejects file. */
export type OnBadRow = 'stop' | 'skip';

/** A batch run's output format from its option text (absent: undefined, the output path decides). */
export function parseOutputFormat(text: string | undefined): OutputFormat | undefined {
  if (text === undefined) return undefined;
  if (text === 'csv' || text === 'jsonl') return text;
  throw new InputError(`${opt('format')} must be csv or jsonl, got "${text}".`);
}

/** A batch run's bad-row rule from its option text (absent: undefined, which is `stop`). */
export function parseOnBadRow(text: string | undefined): OnBadRow | undefined {
  if (text === undefined) return undefined;
  if (text === 'stop' || text === 'skip') return text;
  throw new InputError(`${opt('on-error')} must be stop or skip, got "${text}".`);
}
