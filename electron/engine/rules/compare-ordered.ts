// Comparisons of an ordered fact: a derived ordinal (impact, freshness …), compared
// by the order its values are declared in, or a level (requested_priority), which
// only compares for equality. The slot holds the value's rank (NaN for null). When
// the value is unknown the slot holds the set of possible ranks as bits, and the
// answer comes from the set of ranks for which the comparison holds, computed once.
import { UNKNOWN, atom, triOf, type Cond, type Tri } from './cond.ts';
import { MASK_VALUES, NULL_BIT, type FactInfo } from './fact-table.ts';
import { OP_WORD, type CompareContext, type Op } from './ops.ts';

/** The bits of the ranks (and of null) for which `pred` holds. */
const truthMask = (info: FactInfo, pred: (x: number) => boolean): number => {
  let m = pred(NaN) ? NULL_BIT : 0;
  for (let k = 0; k < Math.min(info.values.length, MASK_VALUES); k++) if (pred(k)) m |= 1 << k;
  return m;
};

export const compareOrdered = (
  info: FactInfo,
  op: Op,
  list: unknown[],
  ctx: CompareContext,
): Cond | null => {
  const isLevel = info.type === 'level';
  const ordering = op === '<' || op === '<=' || op === '>' || op === '>=';
  if (isLevel && ordering) return ctx.mismatch(`can only be compared with ==, != or in`);
  const codes: number[] = [];
  for (const x of list) {
    if (x === null) {
      if (!info.nullable) return ctx.mismatch(`is never null`);
      codes.push(NaN);
      continue;
    }
    const i = typeof x === 'string' ? info.values.indexOf(x) : -1;
    if (i < 0)
      return ctx.mismatch(
        typeof x === 'string'
          ? `has no value ${ctx.quote(x)}; its values are ${info.values.join(', ')}`
          : `is ${isLevel ? 'a level' : 'an ordered fact'} (${info.values.join(', ')}); ${ctx.quote(x)} is not one of its values`,
      );
    codes.push(i);
  }
  const { num, mask } = ctx.slots;
  const slot = info.slot;
  const label = ctx.label;
  const name = (k: number) => (Number.isNaN(k) ? 'null' : info.values[k]!);
  const val = () => name(num[slot]!);
  // Too many values to track as a set: an unknown one may satisfy anything.
  const wide = info.values.length > MASK_VALUES;
  const mk = (pred: (x: number) => boolean, explain: () => string, text: string): Cond => {
    const tm = truthMask(info, pred);
    const unknownTri = (): Tri => {
      if (wide) return UNKNOWN;
      const m = mask[slot]!;
      return triOf((m & tm) !== 0, (m & ~tm) !== 0);
    };
    return atom(info, ctx.slots, () => pred(num[slot]!), unknownTri, explain, text);
  };

  if (op === 'in') {
    const hasNull = codes.some(Number.isNaN);
    return mk(
      (x) => (Number.isNaN(x) ? hasNull : codes.includes(x)),
      () => `${label} ${val()}`,
      `${label} in ${codes.map(name).join(', ')}`,
    );
  }
  const k = codes[0]!;
  if (Number.isNaN(k)) {
    return op === '!='
      ? mk(
          (x) => !Number.isNaN(x),
          () => `${label} ${val()}`,
          `${label} given`,
        )
      : mk(
          (x) => Number.isNaN(x),
          () => `${label} null`,
          `${label} null`,
        );
  }
  if (op === '>=' && k === 0)
    ctx.warn(
      'ALWAYS_HOLDS',
      `${ctx.quote(info.values[0])} is the lowest ${info.name}, so "at least" it always holds; write {"==": ${ctx.quote(info.values[0])}} for exactly ${info.values[0]}`,
    );
  const top = info.values.length - 1;
  const atLeastText = k === top ? `${label} ${name(k)}` : `${label} at least ${name(k)}`;
  switch (op) {
    case '>=':
      return mk(
        (x) => x >= k,
        () => (num[slot] === k ? `${label} ${name(k)}` : `${label} ${val()} ≥ ${name(k)}`),
        ctx.bare || k === top ? atLeastText : `${label} ≥ ${name(k)}`,
      );
    case '==':
      return mk(
        (x) => x === k,
        () => `${label} ${name(k)}`,
        `${label} ${name(k)}`,
      );
    case '!=':
      return mk(
        (x) => x !== k,
        () => `${label} ${val()} ≠ ${name(k)}`,
        `${label} ≠ ${name(k)}`,
      );
    default: {
      const f =
        op === '<'
          ? (x: number) => x < k
          : op === '<='
            ? (x: number) => x <= k
            : (x: number) => x > k;
      return mk(
        f,
        () => `${label} ${val()} ${OP_WORD[op]} ${name(k)}`,
        `${label} ${OP_WORD[op]} ${name(k)}`,
      );
    }
  }
};
