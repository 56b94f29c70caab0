// Snapshots put side by side (a diff, Compare, a history, the levels board) may have been computed under
// different conventions: a change of day count or multiplier would read as a move of GEX.
// Here they are compared, and the difference said in words the CLI and the app share; a
// snapshot whose conventions were not recorded (stored before 2026-12-06) is said to be
// that — never claimed to differ, nor to match.
import { z } from 'zod';
import { conventionsLine, pct } from './conventions-text.ts';
import { conventionsKey, GexConventions } from './domain.ts';

/** What the fields are called in a sentence, in the schema's order. */
const LABELS: Record<keyof GexConventions, string> = {
  contract_multiplier: 'multiplier',
  move: 'move',
  day_count: 'day count',
  rate: 'rate',
  dividend_yield: 'dividend yield',
  profile_points: 'profile points',
  profile_low: 'profile low',
  profile_high: 'profile high',
  exchange_time_zone: 'exchange time zone',
};
const FIELDS = Object.keys(GexConventions.shape) as (keyof GexConventions)[];
const PERCENT = new Set<keyof GexConventions>([
  'move',
  'rate',
  'dividend_yield',
  'profile_low',
  'profile_high',
]);
const valueText = (k: keyof GexConventions, v: GexConventions[keyof GexConventions]): string =>
  k === 'contract_multiplier' ? `×${v}` : PERCENT.has(k) ? `${pct(Number(v))} %` : String(v);

/** The two sides of a diff compared: `differ` names the fields (schema names) that differ. */
export const ConventionsCompared = z.object({
  from: GexConventions.nullable(),
  to: GexConventions.nullable(),
  /** `not_recorded`: either side's were not recorded, so whether they match is not known. */
  compared: z.enum(['same', 'differ', 'not_recorded']),
  differ: z.array(z.string()),
});
export type ConventionsCompared = z.infer<typeof ConventionsCompared>;

const differingFields = (a: GexConventions, b: GexConventions): (keyof GexConventions)[] =>
  FIELDS.filter((k) => a[k] !== b[k]);

export function compareConventions(
  from: GexConventions | null,
  to: GexConventions | null,
): ConventionsCompared {
  if (from === null || to === null) return { from, to, compared: 'not_recorded', differ: [] };
  const differ = differingFields(from, to);
  return { from, to, compared: differ.length === 0 ? 'same' : 'differ', differ };
}

/** "day count act-365 → business-262, multiplier ×10 → ×100": what changed from `a` to `b`. */
export function changesText(a: GexConventions, b: GexConventions): string {
  return differingFields(a, b)
    .map((k) => `${LABELS[k]} ${valueText(k, a[k])} → ${valueText(k, b[k])}`)
    .join(', ');
}

/** One sentence on a diff's conventions; null when both were recorded and are the same. */
export function diffConventionsNote(c: ConventionsCompared): string | null {
  if (c.compared === 'same') return null;
  if (c.compared === 'differ')
    return (
      `A and B were computed under different conventions (${changesText(c.from!, c.to!)}): ` +
      `their moves include that change, not only the market's.`
    );
  const which = c.from === null && c.to === null ? 'A and B' : c.from === null ? 'A' : 'B';
  return (
    `The conventions of ${which} were not recorded (stored before GEX Desk recorded them): ` +
    `whether A and B were computed alike is not known.`
  );
}

/** A history's conventions: how many sets, where they change, how many points not recorded. */
export type HistoryConventions = {
  /** Distinct recorded sets. */
  sets: number;
  /** Indices of the points whose recorded conventions differ from the last recorded before them. */
  changes: number[];
  notRecorded: number;
};

export function historyConventions(
  points: readonly { conventions: GexConventions | null }[],
): HistoryConventions {
  const keys = new Set<string>();
  const changes: number[] = [];
  let last: string | null = null;
  let notRecorded = 0;
  points.forEach((p, i) => {
    if (p.conventions === null) return void notRecorded++;
    const key = conventionsKey(p.conventions);
    keys.add(key);
    if (last !== null && key !== last) changes.push(i);
    last = key;
  });
  return { sets: keys.size, changes, notRecorded };
}

/** The last recorded conventions before point `i`. */
const recordedBefore = (
  points: readonly { conventions: GexConventions | null }[],
  i: number,
): GexConventions | null => {
  for (let j = i - 1; j >= 0; j--) if (points[j]!.conventions) return points[j]!.conventions;
  return null;
};

/** What changed at point `i` of a history (one of `historyConventions().changes`). */
export const changeAt = (
  points: readonly { conventions: GexConventions | null }[],
  i: number,
): string => changesText(recordedBefore(points, i)!, points[i]!.conventions!);

/** Which conventions changed at point `i` of a history: "day count, rate". */
export const fieldsChangedAt = (
  points: readonly { conventions: GexConventions | null }[],
  i: number,
): string =>
  differingFields(recordedBefore(points, i)!, points[i]!.conventions!)
    .map((k) => LABELS[k])
    .join(', ');

/**
 * Sentences on a history's conventions (none when its points were all computed under one
 * recorded set): more than one set, each change named at its as_of; points not recorded.
 */
export function historyConventionsNotes(
  points: readonly { conventions: GexConventions | null; as_of: string }[],
  /** How an as_of is written (the app's stamp; the command line's: as in the file). */
  stamp: (asOf: string) => string = (a) => a,
): string[] {
  const h = historyConventions(points);
  const notes: string[] = [];
  if (h.sets > 1)
    notes.push(
      `These snapshots were computed under ${h.sets} sets of conventions — ` +
        h.changes.map((i) => `from ${stamp(points[i]!.as_of)}: ${changeAt(points, i)}`).join('; ') +
        `: a move across a change includes it, not only the market's.`,
    );
  if (h.notRecorded > 0 && h.notRecorded < points.length)
    notes.push(
      `The conventions of ${h.notRecorded} of these ${points.length} snapshots were not ` +
        `recorded (stored before GEX Desk recorded them): whether they were computed like the ` +
        `others is not known.`,
    );
  return notes;
}

/**
 * Sentences on a levels board's conventions (none unless its rows were computed under more
 * than one recorded set): each set with its underlyings, and those not recorded.
 */
export function levelsConventionsNotes(
  rows: readonly { underlying: string; conventions: GexConventions | null }[],
): string[] {
  const bySet = new Map<string, { c: GexConventions; underlyings: string[] }>();
  const notRecorded: string[] = [];
  for (const r of rows) {
    if (r.conventions === null) {
      notRecorded.push(r.underlying);
      continue;
    }
    const key = conventionsKey(r.conventions);
    if (!bySet.has(key)) bySet.set(key, { c: r.conventions, underlyings: [] });
    bySet.get(key)!.underlyings.push(r.underlying);
  }
  if (bySet.size < 2) return [];
  const notes = [
    `These snapshots were computed under ${bySet.size} sets of conventions — ` +
      [...bySet.values()]
        .map((s) => `${listed(s.underlyings)}: ${conventionsLine(s.c)}`)
        .join('; ') +
      `: their figures do not compare one to one.`,
  ];
  if (notRecorded.length > 0)
    notes.push(
      `The conventions of ${listed(notRecorded)} were not recorded (stored before GEX Desk ` +
        `recorded them).`,
    );
  return notes;
}

/** "AMD, MSFT", or the first five and how many more. */
const listed = (names: string[]): string =>
  names.length <= 5
    ? names.join(', ')
    : `${names.slice(0, 5).join(', ')} and ${names.length - 5} more`;
