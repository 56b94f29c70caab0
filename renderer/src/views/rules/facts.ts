// The dry run's facts: the guideline examples relative to now, and facts as JSON
// Lines (or one JSON array) read and written for the JSON tab, row by row for the form.
export type FactRow = Record<string, unknown>;

/** The guideline examples as facts, relative to now (so freshness is as described). */
export function sampleFacts(nowMs = Date.now()): FactRow[] {
  const at = (ageS: number) => new Date(nowMs - ageS * 1000).toISOString();
  const now = new Date(nowMs).toISOString();
  const big = { total_volume: 80000, total_open_interest: 300000 };
  return [
    { id: 'critical', underlying: 'SPX', as_of: at(2), now, ...big, gex_change: 0.25 },
    { id: 'high-rt', underlying: 'SPX', as_of: at(2), now, ...big, gex_change: 0.02 },
    {
      id: 'first-snap',
      underlying: 'META',
      as_of: at(2),
      now,
      total_volume: 500,
      total_open_interest: 1000,
      gex_change: null,
    },
    {
      id: 'unreliable',
      underlying: 'SPX',
      as_of: at(2),
      now,
      ...big,
      gex_change: 0.25,
      source_reliability: 0.6,
    },
    { id: 'stale', underlying: 'SPX', as_of: at(400), now, ...big, gex_change: 0.25 },
    {
      id: 'manual',
      underlying: 'SPX',
      as_of: at(400),
      now,
      total_volume: 10,
      total_open_interest: 10,
      gex_change: 0,
      requested_priority: 'HIGH',
      justification: 'FOMC',
    },
  ];
}

export const toJsonLines = (rows: FactRow[]): string =>
  rows.map((r) => JSON.stringify(r)).join('\n');

/** JSON Lines or one JSON array of fact objects; the error names the line. */
export function parseFacts(text: string): { facts: FactRow[] } | { error: string } {
  const t = text.trim();
  if (!t) return { facts: [] };
  const isRow = (v: unknown): v is FactRow =>
    typeof v === 'object' && v !== null && !Array.isArray(v);
  try {
    if (t.startsWith('[')) {
      const all = JSON.parse(t) as unknown;
      if (!Array.isArray(all) || !all.every(isRow))
        return { error: 'the array must hold one object of facts per request' };
      return { facts: all };
    }
    const facts: FactRow[] = [];
    const lines = t.split('\n');
    for (const [i, line] of lines.entries()) {
      if (!line.trim()) continue;
      let v: unknown;
      try {
        v = JSON.parse(line);
      } catch (e) {
        return { error: `line ${i + 1}: ${(e as Error).message}` };
      }
      if (!isRow(v)) return { error: `line ${i + 1}: one object of facts per line` };
      facts.push(v);
    }
    return { facts };
  } catch (e) {
    return { error: (e as Error).message };
  }
}

/** The name a row goes by in the results: its `id`, else its position. */
export const factId = (row: FactRow, i: number): string =>
  row.id === undefined || row.id === null ? String(i + 1) : String(row.id);
