// A snapshot's data quality in words: the share of the chain's rows the figures
// were computed from, why the others were dropped ("97.9 % dropped: expired
// expiries"), and whether it is under the analyst's threshold, so that a 2 % snapshot
// never passes for a good one.
import type { DataQuality } from '../../../shared/domain.ts';
import { int, pct } from './numbers.ts';
import { plural } from './words.ts';

/** The pipeline's drop reasons (electron/engine/pipeline/gex.ts) as an analyst says them. */
const REASONS: Record<string, string> = {
  expired: 'expired expiries',
  'no gamma and no iv': 'no gamma and no IV',
};

/** Rows used that could not give every figure from the file (contract-exposures.ts), in words. */
const NOTES: Record<string, string> = {
  'iv 0 or missing: vanna and charm count 0': 'no IV, so no vanna or charm',
  'no delta and iv 0 or missing: delta at its σ → 0 limit':
    'no delta and no IV, delta at its limit',
  'no gamma in the file: Black-Scholes gamma from iv': 'gamma from Black-Scholes, none in the file',
  'no gamma in the file and iv 0: gamma counts 0': 'no gamma and IV 0, so gamma counts 0',
};

/** At or above this share the badge is green (below the threshold it is red, between amber). */
export const GOOD_QUALITY = 0.95;

export interface QualityView {
  /** "97.9 %" */
  label: string;
  tone: 'good' | 'fair' | 'low';
  /** Under the analyst's threshold. */
  below: boolean;
  /** "97.9 % dropped: expired expiries", largest first. */
  reasons: string[];
  /** "600 rows: no IV, so no vanna or charm": rows used whose figures the file did not all give. */
  notes: string[];
  /** Everything in one sentence, for a tooltip or a screen reader. */
  summary: string;
}

export function describeQuality(q: DataQuality, threshold: number): QualityView {
  const below = q.score < threshold;
  const tone = below ? 'low' : q.score >= GOOD_QUALITY ? 'good' : 'fair';
  const reasons = q.dropped
    .filter((d) => d.rows > 0)
    .sort((a, b) => b.rows - a.rows)
    .map(
      (d) =>
        `${pct(q.rows_total ? d.rows / q.rows_total : 0)} dropped: ${REASONS[d.reason] ?? d.reason}`,
    );
  const notes = (q.partial ?? [])
    .filter((p) => p.rows > 0)
    .map((p) => `${plural(p.rows, 'row')}: ${NOTES[p.reason] ?? p.reason}`);
  const label = pct(q.score);
  const summary = [
    `Quality ${label}: ${int(q.rows_used)} of ${int(q.rows_total)} rows used`,
    ...reasons,
    ...notes,
    below ? `below your ${pct(threshold, 0)} threshold` : null,
  ]
    .filter(Boolean)
    .join('; ');
  return { label, tone, below, reasons, notes, summary };
}
