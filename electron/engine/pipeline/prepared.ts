// Work a worker did on a file before its task came: a one-shot command knows its files
// before its engine has started, so its worker reads them while the engine opens the
// database (workers/warm-up.ts), and the task that follows finds the chain — and, when
// there was time, its figures — here instead of parsing again. Keyed by content: a task
// uses an entry only for the same bytes (its staged content hash), read under the same
// conventions and limits, so a file changed since it was read ahead is simply read again.
import type { GammaProfilePoint, GexConventions } from '../../../shared/domain.ts';
import type { ReadLimits } from '../../../shared/limits.ts';
import type { Chain } from './chain.ts';
import type { GexResult, UsedContracts } from './gex.ts';

/** A chain's figures: the rows used, the exposures, the gamma profile and its zero. */
export type Figures = {
  used: UsedContracts;
  gex: GexResult;
  profile: GammaProfilePoint[];
  zero: number | null;
};

export type Prepared = {
  content_hash: string;
  chain: Chain;
  /** Absent when the read-ahead stopped after parsing (a task had come), or they failed. */
  figures?: Figures;
};

/** A read-ahead covers a command's first files; more entries would only hold memory. */
const MAX_ENTRIES = 2;
const entries = new Map<string, Prepared>();

const keyOf = (hash: string, conv: GexConventions, limits: ReadLimits): string =>
  `${hash}\n${JSON.stringify(conv)}\n${JSON.stringify(limits)}`;

export function keep(p: Prepared, conv: GexConventions, limits: ReadLimits): void {
  const key = keyOf(p.content_hash, conv, limits);
  entries.delete(key);
  entries.set(key, p);
  while (entries.size > MAX_ENTRIES) entries.delete(entries.keys().next().value!);
}

/** The entry for these bytes under these settings; `take` removes it (the run is its last use). */
export function lookUp(
  hash: string | undefined,
  conv: GexConventions,
  limits: ReadLimits,
  take: boolean,
): Prepared | undefined {
  if (!hash || entries.size === 0) return undefined;
  const key = keyOf(hash, conv, limits);
  const p = entries.get(key);
  if (p && take) entries.delete(key);
  return p;
}

/** Entries held, and forgetting them (tests). */
export const preparedCount = (): number => entries.size;
export const forgetPrepared = (): void => entries.clear();
