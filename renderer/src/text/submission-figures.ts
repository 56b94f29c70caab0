// A submission's total GEX as its row in the Submissions panel and its spoken outcome (the
// live region) write it, in one place, in the levels board's scale: that of every
// underlying's latest total (the board's rows, from the snapshots the page holds) and of
// the submissions' own. A snapshot's call and put GEX do not set it: a total of 15.50 M
// whose call GEX reached 1.2 Bn was said "0.02 Bn" while the board showed "15.50 M"; and
// beside SPX's -11 Bn on the board, the panel's "15.50 M" is "0.016 Bn", as the board's
// column writes it (gexCell: the same digits, one too small for the scale in its own).
import type { GEXSnapshot } from '../../../shared/domain.ts';
import { gexCellWithUnit, gexScale, type GexScale } from './scale.ts';

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

/**
 * "0.0017 Bn": a submission's total in the submissions' scale, as the board's column writes
 * it (text/scale.ts gexCell: the same digits), with the scale named.
 */
export const submissionTotal = (snapshot: Totals, scale: GexScale): string =>
  gexCellWithUnit(snapshot.total_gex, scale);
