// Which rows of a first-hit table (a derived fact's, or a rule's) the analysis saw
// decide and which it saw hold, and the problems that follow: a row that never holds,
// or one that never decides because the rows before it hold whenever it does.
import type { JsonPath, Problem } from './problems.ts';

export type RowReach = { first: boolean[]; holds: boolean[] };

export const rowReach = (rows: number): RowReach => ({
  first: new Array<boolean>(rows).fill(false),
  holds: new Array<boolean>(rows).fill(false),
});

export const reportUnreachable = (
  problems: Problem[],
  rows: readonly { path: JsonPath }[],
  reach: RowReach,
  unique = false,
): void => {
  rows.forEach((r, j) => {
    if (reach.first[j]) return;
    // In a "unique" table a row covered by others (with the same level) is only redundant.
    const redundant = unique && reach.holds[j];
    problems.push({
      path: r.path,
      code: redundant ? 'REDUNDANT_ROW' : 'UNREACHABLE_ROW',
      severity: redundant ? 'warning' : 'error',
      message: reach.holds[j]
        ? 'this row is never reached: the rows before it hold in every case it holds'
        : 'this row never holds: no valid facts satisfy its condition',
    });
  });
};
