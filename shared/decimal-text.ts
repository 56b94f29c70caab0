// A number as it reads beside a rule's threshold (a reliability, gex_change, an age in
// seconds): never rounded onto or across one. The drawer's Facts table rounded 4.869 s to
// "5 s" beside `freshness real-time` (age < 5), 0.100001 to "0.1000" beside `change large`
// and 0.79999 to "0.8000" beside G4's "0.7999… < 0.8" (QA gd F2). A value is written with
// the fewest decimals, from `min` to `max`, that write it exactly; one that needs more is
// cut (toward zero, never rounded) to `max` and followed by "…": the digits shown are the
// start of its own, so "0.0499…" reads below 0.05 and "0.1000…" above 0.1.

const formats = new Map<string, Intl.NumberFormat>();
const format = (digits: number, cut: boolean, group: boolean): Intl.NumberFormat => {
  const key = `${digits}/${cut}/${group}`;
  let f = formats.get(key);
  if (!f)
    formats.set(
      key,
      (f = new Intl.NumberFormat('en-US', {
        minimumFractionDigits: digits,
        maximumFractionDigits: digits,
        roundingMode: cut ? 'trunc' : 'halfExpand',
        useGrouping: group,
      })),
    );
  return f;
};

/**
 * "0.10", "0.0499", "0.0499…", "4.869", "87,084,619.34"; with `group: false` no thousands
 * separators. Not a finite number: as String() writes it.
 */
export function decimalText(
  value: number,
  { min, max, group = true }: { min: number; max: number; group?: boolean },
): string {
  if (!Number.isFinite(value)) return String(value);
  const v = value === 0 ? 0 : value; // -0 reads "0"
  for (let digits = min; digits <= max; digits++)
    if (Number(v.toFixed(digits)) === v) return format(digits, false, group).format(v);
  return `${format(max, true, group).format(v)}…`;
}
