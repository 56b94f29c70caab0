// Finding a source among many (1,240 in QA's run): the filter box's match (its name or
// id, any case, NFC — "Zürich" typed on a Mac finds the Zürich the engine stored) and
// the table's orders. The view's own order is by name as people read it (a collation:
// "alpha" beside "Alpha", "feed-9" before "feed-10"), not byte order (every capital first).
// A header click sorts by one column (columns.ts's asc → desc → back to the name); Last
// ingest, the longest silent first, finds a vendor that stopped sending.
import type { SourceRecord } from '../../../../shared/api.ts';
import { compareBy, type SortState } from '../../components/table/columns.ts';

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

/** By name in a human collation, then by id (two names that read the same). */
export const byName = (a: SourceRecord, b: SourceRecord): number =>
  collator.compare(a.name, b.name) || collator.compare(a.id, b.id) || (a.id < b.id ? -1 : 1);

/** The columns a header click sorts by, with the direction of their first click. */
export const SOURCE_SORTS: Record<
  string,
  { first: 'asc' | 'desc'; compare: (a: SourceRecord, b: SourceRecord) => number }
> = {
  name: { first: 'asc', compare: byName },
  completed: { first: 'desc', compare: compareBy((s) => s.completed) },
  failed: { first: 'desc', compare: compareBy((s) => s.failed) },
  // The least reliable first: the sources one looks for.
  reliability: { first: 'asc', compare: compareBy((s) => s.reliability) },
  // The longest silent first (never ingested before any): a vendor that stopped sending.
  last_ingest: {
    first: 'asc',
    compare: compareBy((s) =>
      s.last_ingest_at === null ? -Infinity : Date.parse(s.last_ingest_at),
    ),
  },
};

const fold = (s: string) => s.normalize('NFC').toLowerCase();

/** The sources whose name or id holds `query` (trimmed; any case; NFC), in `sort`'s order. */
export function orderSources(
  sources: SourceRecord[],
  query: string,
  sort: SortState | null,
): SourceRecord[] {
  const q = fold(query.trim());
  const shown = q
    ? sources.filter((s) => fold(s.name).includes(q) || fold(s.id).includes(q))
    : sources.slice();
  const by = sort ? SOURCE_SORTS[sort.id] : undefined;
  const sign = sort?.dir === 'desc' ? -1 : 1;
  // Ties (the same count) in the name's order, whatever the direction.
  return shown.sort(by ? (a, b) => sign * by.compare(a, b) || byName(a, b) : byName);
}
