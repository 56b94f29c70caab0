// Comparisons of a string fact (underlying, justification): equality and "in", case-
// insensitively and ignoring surrounding spaces, since analysts write "SPX" and
// files say " spx". An unknown string may be any string, so only an empty "in"
// list has a definite answer then.
import { FALSE, UNKNOWN, atom, type Cond } from './cond.ts';
import type { FactInfo } from './fact-table.ts';
import type { CompareContext, Op } from './ops.ts';

export const compareString = (
  info: FactInfo,
  op: Op,
  v: unknown,
  list: unknown[],
  ctx: CompareContext,
): Cond | null => {
  if (op === '<' || op === '<=' || op === '>' || op === '>=')
    return ctx.mismatch(`is a string and can only be compared with ==, != or in`);
  const lits: (string | null)[] = [];
  for (const x of list) {
    if (x === null) {
      if (!info.nullable) return ctx.mismatch(`is never null`);
      lits.push(null);
    } else if (typeof x !== 'string') return ctx.mismatch(`is a string; ${ctx.quote(x)} is not`);
    else {
      const lit = x.trim().toLowerCase();
      lits.push(lit);
      info.literals.add(lit);
    }
  }
  const { str, rawStr } = ctx.slots;
  const slot = info.slot;
  const label = ctx.label;
  const shown = () => {
    const raw = rawStr[slot] ?? null;
    return raw === null ? 'null' : ctx.quote(raw);
  };
  const explain = () => `${label} ${shown()}`;
  const l = lits[0] ?? null;
  if (op === 'in') {
    const empty = lits.length === 0;
    return atom(
      info,
      ctx.slots,
      () => lits.includes(str[slot] ?? null),
      () => (empty ? FALSE : UNKNOWN),
      explain,
      `${label} in ${list.map(ctx.quote).join(', ')}`,
    );
  }
  if (op === '!=')
    return atom(
      info,
      ctx.slots,
      () => (str[slot] ?? null) !== l,
      () => UNKNOWN,
      explain,
      `${label} ≠ ${ctx.quote(v)}`,
    );
  return atom(
    info,
    ctx.slots,
    () => (str[slot] ?? null) === l,
    () => UNKNOWN,
    explain,
    `${label} ${ctx.quote(v)}`,
  );
};
