// One comparison in a condition ({"<": 5}, {"in": [...]}, a bare value): the checks
// every type shares, then the comparator of the fact's type (compare-number.ts,
// compare-ordered.ts, compare-string.ts).
import type { Cond } from './cond.ts';
import { compareNumber } from './compare-number.ts';
import { compareOrdered } from './compare-ordered.ts';
import { compareString } from './compare-string.ts';
import type { FactInfo } from './fact-table.ts';
import { OPS, type CompareContext, type Op } from './ops.ts';

/** Compiles `fact op v`, or reports why it cannot be and returns null. */
export const comparison = (
  info: FactInfo,
  op: Op,
  v: unknown,
  ctx: CompareContext,
): Cond | null => {
  if (!OPS.includes(op))
    return ctx.mismatch(`: unknown comparison "${op}"; use one of ${OPS.join(', ')}`);
  const list = op === 'in' ? (Array.isArray(v) ? (v as unknown[]) : null) : [v];
  if (!list) return ctx.mismatch(`: "in" needs a list of values`);
  if (typeof v === 'boolean' || list.some((x) => typeof x === 'boolean'))
    return ctx.mismatch(`is never true or false; ${ctx.quote(v)} cannot match`);
  if (info.type === 'number') return compareNumber(info, op, list, ctx);
  if (info.type === 'ordinal' || info.type === 'level') return compareOrdered(info, op, list, ctx);
  return compareString(info, op, v, list, ctx);
};
