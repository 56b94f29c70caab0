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

/**
 * What JSON.parse said, without its own place in the text it read (V8's "at position 34
 * (line 1 column 35)", which is not the box's: each line is read alone) and with the
 * offset of that place, when it gave one, in that text.
 */
export function jsonProblem(message: string, text: string): { what: string; at: number | null } {
  const lower = (m: string) => m.charAt(0).toLowerCase() + m.slice(1);
  const placed = /^(.*?)(?: in JSON)? at position (\d+)(?: \(line \d+ column \d+\))?$/s.exec(
    message,
  );
  if (placed) return { what: lower(placed[1]!), at: Number(placed[2]) };
  // `Unexpected token 'x', "…text…" is not valid JSON`: the text is the one in the box.
  const token = /^Unexpected token '(.+?)', .* is not valid JSON$/s.exec(message);
  if (token) return { what: `unexpected '${token[1]}'`, at: null };
  if (/^Unexpected end of JSON input$/.test(message))
    return { what: 'the text ends before its value does', at: text.length };
  return { what: lower(message), at: null };
}

/** 1-based line and column of `offset` in `text` (UTF-16 columns, lines split at \n). */
function placeOf(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const lineStart = before.lastIndexOf('\n') + 1;
  return { line: before.split('\n').length, column: offset - lineStart + 1 };
}

const saidAt = (p: { line: number; column: number } | { line: number }, what: string) =>
  'column' in p ? `line ${p.line}, column ${p.column}: ${what}` : `line ${p.line}: ${what}`;

/** One request's facts: an object (its fields are the engine's to check). */
export const isRow = (v: unknown): v is FactRow =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * JSON Lines or one JSON array of fact objects; the error names the line of the text
 * (blank lines counted) and, when the parser says where, the column in it.
 */
export function parseFacts(text: string): { facts: FactRow[] } | { error: string } {
  const t = text.trim();
  if (!t) return { facts: [] };
  if (t.startsWith('[')) {
    const lead = text.length - text.trimStart().length;
    let all: unknown;
    try {
      all = JSON.parse(t);
    } catch (e) {
      const p = jsonProblem((e as Error).message, t);
      return {
        error:
          p.at === null
            ? saidAt({ line: placeOf(text, lead).line }, p.what)
            : saidAt(placeOf(text, lead + p.at), p.what),
      };
    }
    if (!Array.isArray(all) || !all.every(isRow))
      return { error: 'the array must hold one object of facts per request' };
    return { facts: all };
  }
  const facts: FactRow[] = [];
  for (const [i, line] of text.split('\n').entries()) {
    if (!line.trim()) continue;
    let v: unknown;
    try {
      v = JSON.parse(line);
    } catch (e) {
      const p = jsonProblem((e as Error).message, line);
      return {
        error: saidAt(p.at === null ? { line: i + 1 } : { line: i + 1, column: p.at + 1 }, p.what),
      };
    }
    if (!isRow(v)) return { error: `line ${i + 1}: one object of facts per line` };
    facts.push(v);
  }
  return { facts };
}

/** The name a row goes by in the results: its `id`, else its position. */
export const factId = (row: FactRow, i: number): string =>
  row.id === undefined || row.id === null ? String(i + 1) : String(row.id);
