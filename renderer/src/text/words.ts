// Counted nouns as a person writes them: "1 job", "2 jobs", "1 entry", "3 entries".
import type { HeldFiles, InboxStatus } from '../../../shared/api.ts';
import { withoutDuckDb } from './clean-error.ts';
import { int } from './numbers.ts';

const IRREGULAR: Record<string, string> = { entry: 'entries', query: 'queries', this: 'these' };

export function plural(n: number, singular: string, pluralForm?: string): string {
  const word = n === 1 ? singular : (pluralForm ?? IRREGULAR[singular] ?? `${singular}s`);
  return `${int(n)} ${word}`;
}

/**
 * The inbox's held files in a sentence: how many, why (the engine's words, without
 * DuckDB's) and when they are tried again: "2 files held in the inbox, not failed: ….
 * Tried again from 14:03:27."
 */
export function heldText(held: Pick<HeldFiles, 'count' | 'reason'>, retryAt: string): string {
  const reason = withoutDuckDb(held.reason).replace(/[.\s]+$/, '');
  return `${plural(held.count, 'file')} held in the inbox, not failed: ${reason}. Tried again from ${retryAt}.`;
}

/**
 * The inbox's failed files, told apart: those of a failed job (the Queue lists them), those
 * the inbox refused itself, and those changed in processing/ after they were taken (their
 * jobs completed) — "3 jobs, 1 refused by the inbox, 2 changed after they were taken";
 * empty when all are failed jobs'.
 */
export function failedSplit(s: {
  counts: { failed: number };
  refused: { count: number };
  changed?: { count: number };
}): string {
  const refused = s.refused.count;
  const changed = s.changed?.count ?? 0;
  if (!refused && !changed) return '';
  const jobs = Math.max(s.counts.failed - refused - changed, 0);
  return [
    plural(jobs, 'job'),
    refused ? `${refused.toLocaleString('en-US')} refused by the inbox` : '',
    changed
      ? `${changed.toLocaleString('en-US')} changed after ${changed === 1 ? 'it was' : 'they were'} taken`
      : '',
  ]
    .filter(Boolean)
    .join(', ');
}

/**
 * While the inbox's folder does not answer, when its counts were read (QA sv F2: zeros read
 * as "my files are gone"): "as of 10:02:11" (`clock` writes the instant), or "counts
 * unknown" when they never were; null when they are read now.
 */
export function countsAsOf(
  s: Pick<InboxStatus, 'counts_as_of'>,
  clock: (iso: string) => string,
): string | null {
  if (s.counts_as_of === undefined) return null;
  return s.counts_as_of === null ? 'counts unknown' : `as of ${clock(s.counts_as_of)}`;
}

/**
 * The status bar's inbox tooltip: its problem (when it cannot take files) or its folder,
 * and in both which of its failed files have a job and which it refused itself — the
 * reason its "failed" differs from the Queue's.
 */
export function inboxTitle(
  s: Pick<InboxStatus, 'dir' | 'watching' | 'problem' | 'refused'> & {
    counts: { failed: number };
    changed?: InboxStatus['changed'];
  },
): string {
  const told = failedSplit(s);
  const split = told ? `failed ${int(s.counts.failed)}: ${told}` : '';
  return s.problem
    ? `${s.problem}${split ? ` Inbox ${split}.` : ''} Click to open the inbox.`
    : `${s.dir}${s.watching ? '' : ' (not watched)'}${split ? `; ${split}` : ''}: open the inbox`;
}
