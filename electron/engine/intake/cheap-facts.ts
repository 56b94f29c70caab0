// The facts a request has at its arrival, before its file is read: what the request
// says (requested level, justification, source), the source's record, and what the
// file's first and last bytes tell (format, underlying, as_of, spot — read from the two
// ends staging kept while capturing, never by reading the file again). Unknown facts are
// left out and named, so that the rules can tell whether they can decide already.
import type { GexConventions } from '../../../shared/domain.ts';
import type { ReadLimits } from '../../../shared/limits.ts';
import type { Result } from '../../../shared/result.ts';
import type { GivenFactName } from '../../../shared/rules.ts';
import { sniffBytes, type ChainSniff } from '../pipeline/sniff.ts';
import type { Staged } from './staging.ts';

export type FileHead = ChainSniff;

/** What a file's two ends tell (never a guess: null where they cannot tell). */
export function readHead(
  file: string,
  staged: Staged,
  conv: GexConventions,
  limits: ReadLimits,
): Result<FileHead> {
  return sniffBytes(file, staged.head, staged.tail, staged.size, conv, limits);
}

/** The facts only a read of the whole file gives. */
export const FILE_FACTS: readonly GivenFactName[] = [
  'total_volume',
  'total_open_interest',
  'gex_change',
];
