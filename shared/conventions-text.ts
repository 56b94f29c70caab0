// The conventions a snapshot was computed under, as one short line for an analyst (the
// snapshot's detail in the app, `gex-desk snapshot`): the four that move every figure
// always (day count, rate, dividend yield, multiplier), the rest only where they are not
// the defaults, so that two snapshots made under different conventions never look alike.
import { conventionsKey, DEFAULT_CONVENTIONS, type GexConventions } from './domain.ts';

/** Percent without float noise: 0.05 → "5", 0.0125 → "1.25". */
export const pct = (x: number): string => String(Number((x * 100).toPrecision(12)));

/** Whether these are the defaults (no `conventions` in the config). */
export const areDefaults = (c: GexConventions): boolean =>
  conventionsKey(c) === conventionsKey(DEFAULT_CONVENTIONS);

/** What a snapshot stored before conventions were recorded says of them. */
export const NOT_RECORDED = 'not recorded (stored before GEX Desk recorded them)';

/** "business-262, r 0 %, q 0 %, ×100" and what else is not the default; NOT_RECORDED for null. */
export function conventionsLine(c: GexConventions | null): string {
  if (c === null) return NOT_RECORDED;
  const d = DEFAULT_CONVENTIONS;
  const parts = [
    c.day_count,
    `r ${pct(c.rate)} %`,
    `q ${pct(c.dividend_yield)} %`,
    `×${c.contract_multiplier}`,
  ];
  if (c.move !== d.move) parts.push(`per ${pct(c.move)} % move`);
  if (
    c.profile_points !== d.profile_points ||
    c.profile_low !== d.profile_low ||
    c.profile_high !== d.profile_high
  )
    parts.push(
      `profile ${c.profile_points} points ${pct(c.profile_low)}–${pct(c.profile_high)} % of spot`,
    );
  if (c.exchange_time_zone !== d.exchange_time_zone) parts.push(c.exchange_time_zone);
  return parts.join(', ') + (areDefaults(c) ? ' (the defaults)' : ' (not the defaults)');
}
