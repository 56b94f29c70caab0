// Whose figures an exported chart holds, so that two exports can be told apart: the file
// name carries the underlying and the snapshot's as-of in the exchange's own time (or a
// history's first and last, or a comparison's two snapshot ids), the PNG a title line,
// and the CSV identifying columns after the chart's own (as `gex-desk export` leads with
// snapshot_id, underlying, as_of). The name and the title read the as-of on the exchange's
// clock (exchange-time.ts), whatever offset its file wrote: 2024-01-20T00:30Z is
// "2024-01-19_1930-0500" in New York. The CSV columns keep the as-of as stored, as the
// levels CSV and the command line write it. Pure: tests run it in Node.
import type { GexConventions } from '../../../../shared/domain.ts';
import { asOfStamp } from '../../text/time.ts';
import { exchangeZoneOf, inExchangeTime } from './exchange-time.ts';

export interface ChartAbout {
  underlying: string;
  /** The file name's part after the chart's name. */
  name: string;
  /** The PNG's title line after the chart's label. */
  title: string;
  /** Columns every CSV row ends with: a value per row index (the same one for a snapshot). */
  columns: { title: string; value(i: number): string | null }[];
  /**
   * The as-of as a chart's label may show it ("2024-01-09 09:45:00 UTC−5": History's
   * replayed chart is titled "SPX <as-of> Net GEX by strike"): left out of the file name
   * and the PNG's title, which name the as-of once, from `name` and `title`.
   */
  stamp?: string;
}

interface Snap {
  id: string;
  underlying: string;
  as_of: string;
  /** Its conventions, whose exchange_time_zone its as-of is named in (null: not recorded). */
  conventions?: GexConventions | null;
}

/** A file name from a chart's label: "SPX net GEX by strike" → "spx-net-gex-by-strike". */
export const fileStem = (label: string): string =>
  label
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 80) || 'chart';

/**
 * An as-of for a file name, in the offset it is written in (give it the exchange's time:
 * inExchangeTime): "2025-09-05T16:00:00-04:00" → "2025-09-05_1600-0400" (seconds when not
 * 0; "Z" → "+0000").
 */
export function asOfName(iso: string): string {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?(Z|[+-]\d{2}:\d{2})$/.exec(
    iso,
  );
  if (!m) return fileStem(iso);
  const [, date, h, min, s, off] = m;
  const zone = off === 'Z' ? '+0000' : off!.replace(':', '');
  return `${date}_${h}${min}${s && s !== '00' ? s : ''}${zone}`;
}

/** An id for a file name: letters, digits and dashes only. */
const idName = (id: string) => id.replace(/[^A-Za-z0-9-]+/g, '-');

/**
 * One snapshot's chart; `engineZone`: the exchange time zone of a snapshot whose conventions
 * were not recorded (the engine's); `tag`: what tells it from another of its instant
 * (same-instant.ts: " · spot 412.05 · b8be6e41"), after its as-of.
 */
export const snapshotAbout = (s: Snap, engineZone?: string, tag = ''): ChartAbout => {
  const exchange = inExchangeTime(s.as_of, exchangeZoneOf([s], engineZone));
  return {
    underlying: s.underlying,
    name: asOfName(exchange),
    title: `as of ${asOfStamp(exchange)}${tag}`,
    // As History's replayed chart titles it: on the exchange's clock, with its tag.
    stamp: `${asOfStamp(exchange)}${tag}`,
    columns: [
      { title: 'underlying', value: () => s.underlying },
      { title: 'as_of', value: () => s.as_of },
      { title: 'snapshot_id', value: () => s.id },
    ],
  };
};

/**
 * An underlying's history: its points, in as-of order, one CSV row each; its first and last
 * as-of in `zone`, the exchange's (exchangeZoneOf).
 */
export function historyAbout(
  underlying: string,
  points: { id: string; as_of: string }[],
  zone: string,
): ChartAbout {
  const first = points[0] ? inExchangeTime(points[0].as_of, zone) : '';
  const last = points.length ? inExchangeTime(points.at(-1)!.as_of, zone) : '';
  return {
    underlying,
    name: first === last ? asOfName(first) : `${asOfName(first)}_to_${asOfName(last)}`,
    title:
      first === last ? `as of ${asOfStamp(first)}` : `${asOfStamp(first)} to ${asOfStamp(last)}`,
    columns: [
      { title: 'underlying', value: () => underlying },
      { title: 'snapshot_id', value: (i) => points[i]?.id ?? null },
    ],
  };
}

/**
 * A comparison of two snapshots of one underlying: A, then B; the title's as-ofs on the
 * exchange's clock, as Compare's heading reads them (`engineZone` as in snapshotAbout),
 * each with its tag when it shares its instant (`tags`, same-instant.ts), as there.
 */
export const compareAbout = (
  a: Snap,
  b: Snap,
  engineZone?: string,
  tags: { a?: string; b?: string } = {},
): ChartAbout => ({
  underlying: b.underlying,
  name: `${idName(a.id)}_to_${idName(b.id)}`,
  title: `A ${asOfStamp(inExchangeTime(a.as_of, exchangeZoneOf([a], engineZone)))}${tags.a ?? ''} to B ${asOfStamp(inExchangeTime(b.as_of, exchangeZoneOf([b], engineZone)))}${tags.b ?? ''}`,
  columns: [
    { title: 'underlying', value: () => b.underlying },
    { title: 'a_as_of', value: () => a.as_of },
    { title: 'a_snapshot_id', value: () => a.id },
    { title: 'b_as_of', value: () => b.as_of },
    { title: 'b_snapshot_id', value: () => b.id },
  ],
});

/**
 * The export's file name without its extension: the chart's label (led by the underlying
 * when the label does not name it), then what `about` names.
 */
export function exportStem(label: string, about?: ChartAbout): string {
  if (!about) return fileStem(label);
  const stem = fileStem(withoutStamp(label, about));
  const u = fileStem(about.underlying);
  const named = stem === u || stem.startsWith(`${u}-`) ? stem : `${u}-${stem}`;
  return `${named}_${about.name}`;
}

/** The PNG's title line: the chart, its underlying (when the label does not name it), the as-of. */
export function exportTitle(chartLabel: string, about?: ChartAbout): string {
  if (!about) return chartLabel;
  const label = withoutStamp(chartLabel, about);
  const named = label.toUpperCase().startsWith(`${about.underlying.toUpperCase()} `)
    ? label
    : `${about.underlying} ${label}`;
  return `${named} · ${about.title}`;
}

/** The label without the as-of `about` names anyway (History's replay: "SPX <as-of> Net GEX …"). */
const withoutStamp = (label: string, about: ChartAbout): string =>
  about.stamp ? label.replace(` ${about.stamp}`, '').replace(`${about.stamp} `, '') : label;
