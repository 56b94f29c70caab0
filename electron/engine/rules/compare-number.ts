// Comparisons of a number fact (volume, gex_change, an age …) with constants from
// the rule file. Null is NaN in the slot, so that every ordering comparison with it
// is false, as docs/rules.md promises. When the value is unknown it lies in the
// slot's range [lo, hi] (null too if maybeNull), which decides the three-valued answer.
import { reliabilityText } from '../../../shared/reliability.ts';
import { atom, triOf, type Cond } from './cond.ts';
import type { FactInfo } from './fact-table.ts';
import { OP_WORD, type CompareContext, type Op } from './ops.ts';

const fmt = (v: number): string => (Number.isNaN(v) ? 'null' : String(v));

/**
 * A fact's value as an explanation shows it: a reliability as everywhere else it reads
 * (docs/desktop.md, Sources: "0.6666…", not 0.6666666666666666); the facts keep it exact.
 */
export const factText = (info: Pick<FactInfo, 'name'>, v: number): string =>
  info.name === 'source_reliability' && !Number.isNaN(v) ? reliabilityText(v) : fmt(v);

/** Whether a value of `info` in [lo, hi] can equal `c`. */
const canEqual = (info: FactInfo, lo: number, hi: number, c: number): boolean =>
  c >= lo && c <= hi && (!info.integer || Number.isInteger(c));

export const compareNumber = (
  info: FactInfo,
  op: Op,
  list: unknown[],
  ctx: CompareContext,
): Cond | null => {
  const ordering = op === '<' || op === '<=' || op === '>' || op === '>=';
  for (const x of list) {
    if (x === null) {
      if (!info.nullable) return ctx.mismatch(`is never null`);
      if (ordering) return ctx.mismatch(`: null cannot be compared with ${op}`);
    } else if (typeof x !== 'number') return ctx.mismatch(`is a number; ${ctx.quote(x)} is not`);
    else info.thresholds.add(x);
  }
  const { num, lo, hi, maybeNull } = ctx.slots;
  const slot = info.slot;
  const label = ctx.label;
  const mk = (
    holds: () => boolean,
    unknownTri: (l: number, h: number, n: boolean) => ReturnType<typeof triOf>,
    rhs: string,
  ): Cond =>
    atom(
      info,
      ctx.slots,
      holds,
      () => unknownTri(lo[slot]!, hi[slot]!, maybeNull[slot] === 1),
      () => `${label} ${factText(info, num[slot]!)} ${rhs}`,
      `${label} ${rhs}`,
    );

  if (op === 'in') {
    const nums = list.map((x) => (x === null ? NaN : (x as number)));
    const hasNull = nums.some(Number.isNaN);
    const values = nums.filter((x) => !Number.isNaN(x));
    return mk(
      () => {
        const x = num[slot]!;
        return Number.isNaN(x) ? hasNull : nums.includes(x);
      },
      (l, h, n) =>
        triOf(
          (n && hasNull) || values.some((x) => canEqual(info, l, h, x)),
          (n && !hasNull) || !(l === h && values.includes(l)),
        ),
      `in ${nums.map(fmt).join(', ')}`,
    );
  }
  const c = list[0] as number | null;
  if (c === null) {
    // A known-null test: any number in the range makes it false.
    return op === '!='
      ? atom(
          info,
          ctx.slots,
          () => !Number.isNaN(num[slot]!),
          () => triOf(true, maybeNull[slot] === 1),
          () => `${label} ${factText(info, num[slot]!)}`,
          `${label} not null`,
        )
      : atom(
          info,
          ctx.slots,
          () => Number.isNaN(num[slot]!),
          () => triOf(maybeNull[slot] === 1, true),
          () => `${label} null`,
          `${label} null`,
        );
  }
  const rhs = `${OP_WORD[op]} ${c}`;
  switch (op) {
    case '<':
      return mk(
        () => num[slot]! < c,
        (l, h, n) => triOf(l < c, h >= c || n),
        rhs,
      );
    case '<=':
      return mk(
        () => num[slot]! <= c,
        (l, h, n) => triOf(l <= c, h > c || n),
        rhs,
      );
    case '>':
      return mk(
        () => num[slot]! > c,
        (l, h, n) => triOf(h > c, l <= c || n),
        rhs,
      );
    case '>=':
      return mk(
        () => num[slot]! >= c,
        (l, h, n) => triOf(h >= c, l < c || n),
        rhs,
      );
    case '==':
      return mk(
        () => num[slot]! === c,
        (l, h, n) => triOf(canEqual(info, l, h, c), !(l === c && h === c) || n),
        rhs,
      );
    default:
      return mk(
        () => num[slot]! !== c,
        (l, h, n) => triOf(!(l === c && h === c) || n, canEqual(info, l, h, c)),
        rhs,
      );
  }
};
