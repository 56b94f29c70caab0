// Many rows in one INSERT: `VALUES ($1, $2::JSON, …), ($3, $4::JSON, …)` with its
// parameters. DuckDB's cost is mostly per statement, so a burst's rows written together
// cost about what one row does.
import type { Params } from './db.ts';

/** The VALUES clause of `rows` (each the same length), with an optional cast per column. */
export function values(
  rows: readonly (readonly unknown[])[],
  casts: readonly (string | null)[] = [],
): { sql: string; params: Params } {
  const params: unknown[] = [];
  const tuples = rows.map((row) => {
    const cells = row.map((v, i) => {
      params.push(v);
      const cast = casts[i];
      return cast ? `$${params.length}::${cast}` : `$${params.length}`;
    });
    return `(${cells.join(', ')})`;
  });
  return { sql: `VALUES ${tuples.join(', ')}`, params: params as Params };
}
