// The facts a request has at its arrival, before its file is read: what the request
// says (requested level, justification, source), the source's record, and what the
// file's first and last bytes tell (format, underlying, as_of, spot). Unknown facts are
// left out and named, so that the rules can tell whether they can decide already.
import type { GexConventions } from '../../../shared/domain.ts';
import type { ChainFormat } from '../../../shared/pipeline.ts';
import { ok, type Result } from '../../../shared/result.ts';
import type { GivenFactName } from '../../../shared/rules.ts';
import { detectFormat } from '../pipeline/source.ts';
import type { Staged } from './staging.ts';

export interface FileHead {
  format: ChainFormat;
  underlying: string | null;
  as_of: string | null;
  spot: number | null;
}

/** What a file's two ends tell (never a guess: null where they cannot tell). */
export function readHead(file: string, staged: Staged, _conv: GexConventions): Result<FileHead> {
  const format = detectFormat(file, staged.head);
  if (!format.ok) return format;
  return ok({ format: format.value, underlying: null, as_of: null, spot: null });
}

/** The facts only a read of the whole file gives. */
export const FILE_FACTS: readonly GivenFactName[] = ['total_volume', 'total_open_interest', 'gex_change'];
