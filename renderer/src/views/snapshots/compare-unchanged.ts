// What Compare says under its figures when no strike changed. It said "Nothing changed
// between A and B." while its own figures showed the flip moved (an IV-only re-send, a
// change of conventions: the same open interest and file gamma, another profile; QA wb3
// F1). As the CLI's `diff` says "no strike changed" beside the level moves, the sentence
// is held to the strikes, and the levels that moved (and those that did not) are named.
import type { SnapshotDiff } from '../../../../shared/api.ts';
import { DASH, price } from '../../text/numbers.ts';

/** A side's levels, as the figures above read them. */
interface Levels {
  total_gex: number;
  zero_gamma: number | null;
  call_wall: number | null;
  put_wall: number | null;
}

/** The figures' own sign: "+0.18", "-2.50"; the from → to when a side has none. */
const signed = (v: number, f: (v: number) => string) =>
  `${v > 0 ? '+' : v < 0 ? '-' : '±'}${f(Math.abs(v))}`;

/**
 * The words under Compare's figures for a diff with no strike changed. `gexOf` writes a
 * total GEX as the figures above do (their scale and unit).
 */
export function unchangedStrikesText(
  diff: Pick<
    SnapshotDiff,
    'total_gex_change' | 'zero_gamma_move' | 'call_wall_move' | 'put_wall_move'
  >,
  a: Levels,
  b: Levels,
  gexOf: (v: number) => string,
): string {
  const level = (v: number | null) => (v === null ? DASH : price(v));
  const levels = [
    { name: 'zero gamma (flip)', from: a.zero_gamma, to: b.zero_gamma, move: diff.zero_gamma_move },
    { name: 'call wall', from: a.call_wall, to: b.call_wall, move: diff.call_wall_move },
    { name: 'put wall', from: a.put_wall, to: b.put_wall, move: diff.put_wall_move },
  ];
  const moved: string[] = [];
  const still: string[] = [];
  if (diff.total_gex_change !== 0)
    moved.push(
      `total GEX ${signed(diff.total_gex_change, gexOf)} (${gexOf(a.total_gex)} → ${gexOf(b.total_gex)})`,
    );
  else still.push('total GEX');
  for (const l of levels) {
    // A level on one side only (no flip in A) moved too, by no number.
    if (l.move !== null && l.move !== 0)
      moved.push(`${l.name} ${signed(l.move, price)} (${level(l.from)} → ${level(l.to)})`);
    else if (l.move === null && l.from !== l.to)
      moved.push(`${l.name} ${level(l.from)} → ${level(l.to)}`);
    else still.push(l.name);
  }
  const head = 'No strike’s net GEX or open interest changed';
  if (moved.length === 0) return `${head}, and no level moved: A and B have the same figures.`;
  const rest = still.length > 0 ? ` Unchanged: ${still.join(', ')}.` : '';
  return `${head}, but levels moved: ${moved.join('; ')}.${rest}`;
}
