// A submission's total GEX as its row in the Submissions panel and its spoken outcome (the
// live region) write it, in one place, in the levels board's scale: that of every
// underlying's latest total (the board's rows, from the snapshots the page holds) and of
// the submissions' own. A snapshot's call and put GEX do not set it: a total of 15.50 M
// whose call GEX reached 1.2 Bn was said "0.02 Bn" while the board showed "15.50 M"; and
// beside SPX's -11 Bn on the board, the panel's "15.50 M" is "0.02 Bn", as the board's
// column reads it.
import type { GEXSnapshot } from '../../../shared/domain.ts';
import { gex, gexScale, type GexScale } from './scale.ts';

type Totals = Pick<GEXSnapshot, 'total_gex'>;
type Held = Pick<GEXSnapshot, 'underlying' | 'as_of' | 'created_at' | 'total_gex'>;

/** Each underlying's latest total among `snapshots` (latest as-of, then latest stored), as the board picks its rows. */
export function latestTotals(snapshots: Iterable<Held>): number[] {
  const latest = new Map<string, Held>();
  const key = (s: Held) => [Date.parse(s.as_of), Date.parse(s.created_at)] as const;
  for (const s of snapshots) {
    const was = latest.get(s.underlying);
    if (!was) {
      latest.set(s.underlying, s);
      continue;
    }
    const [a, c] = key(s);
    const [wa, wc] = key(was);
    if (a > wa || (a === wa && c > wc)) latest.set(s.underlying, s);
  }
  return [...latest.values()].map((s) => s.total_gex);
}

/**
 * The scale of the submissions' figures: the board's (every underlying's latest total among
 * the snapshots the page holds) and their own totals' (those not in yet left out).
 */
export const submissionsScale = (
  held: Iterable<Held>,
  submitted: Iterable<Totals | undefined>,
): GexScale => gexScale([...latestTotals(held), ...[...submitted].map((s) => s?.total_gex)]);

/** "15.50 M": a submission's total in the submissions' scale. */
export const submissionTotal = (snapshot: Totals, scale: GexScale): string =>
  gex(snapshot.total_gex, scale);
