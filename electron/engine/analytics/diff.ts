// Snapshot A → snapshot B (ANALYTICS.md): per strike of either (a strike missing on one
// side counts as 0 there), the change of net GEX and of call and put open interest,
// listing exactly the strikes where one of them changed; and the moves of total GEX, zero
// gamma and both walls (B − A; null when either side has none). Both sides' strikes are
// summed in one order (strike-sums.ts), so the same positions are the same to the bit,
// whether stored here or read from an attached folder.
import type { SnapshotDiff, StrikeChange } from '../../../shared/api.ts';
import type { SnapshotSummary, StrikeRow } from './summary.ts';
import { cents } from '../cents.ts';
import { priceDecimals, roundTo } from '../../../shared/prices.ts';
import { compareConventions } from '../../../shared/conventions-compare.ts';

/** Strikes carry at most 3 decimals (OCC symbols); 1e-6 removes the noise of their difference. */
const strikeMove = (v: number): number => Math.round(v * 1e6) / 1e6;
const move = (a: number | null, b: number | null, round: (v: number) => number): number | null =>
  a === null || b === null ? null : round(b - a);

export function diffSnapshots(
  a: SnapshotSummary,
  b: SnapshotSummary,
  aStrikes: StrikeRow[],
  bStrikes: StrikeRow[],
): SnapshotDiff {
  const zero: StrikeRow = { strike: 0, net_gex: 0, call_open_interest: 0, put_open_interest: 0 };
  const before = new Map(aStrikes.map((s) => [s.strike, s]));
  const after = new Map(bStrikes.map((s) => [s.strike, s]));
  const strikes = [...new Set([...before.keys(), ...after.keys()])].sort((x, y) => x - y);
  const changes: StrikeChange[] = [];
  for (const strike of strikes) {
    const x = before.get(strike) ?? zero;
    const y = after.get(strike) ?? zero;
    const change = {
      strike,
      net_gex_change: y.net_gex - x.net_gex,
      call_open_interest_change: y.call_open_interest - x.call_open_interest,
      put_open_interest_change: y.put_open_interest - x.put_open_interest,
    };
    if (
      change.net_gex_change !== 0 ||
      change.call_open_interest_change !== 0 ||
      change.put_open_interest_change !== 0
    )
      changes.push(change);
  }
  return {
    from: a.id,
    to: b.id,
    from_as_of: a.as_of,
    to_as_of: b.as_of,
    total_gex_change: cents(b.total_gex - a.total_gex),
    // At the precision of the levels moved (the cent from $1 up, shared/prices.ts).
    zero_gamma_move: move(a.zero_gamma, b.zero_gamma, (v) =>
      roundTo(v, Math.max(priceDecimals(a.zero_gamma ?? 0), priceDecimals(b.zero_gamma ?? 0))),
    ),
    call_wall_move: move(a.call_wall, b.call_wall, strikeMove),
    put_wall_move: move(a.put_wall, b.put_wall, strikeMove),
    strikes: changes,
    // Moves under other conventions are partly theirs: said (conventions-compare.ts).
    conventions: compareConventions(a.conventions, b.conventions),
  };
}
