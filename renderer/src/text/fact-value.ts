// A fact's value as the drawer's Facts table writes it. A duration in seconds (a fact named
// `…_s`, the derived age_s) read "87,084,619.3400": four decimals and no unit; it reads
// "87,084,619.34 s (1,007 days)", with the span a person reads. Beside the facts derived
// from it a value is never rounded onto or across a rule's threshold (QA gd F2: age 4.869
// read "5 s" beside `freshness real-time`, gex_change 0.100001 "0.1000" beside `change
// large`, reliability 0.79999 "0.8000"): written exactly, or cut and followed by "…"
// (shared/decimal-text.ts), a reliability as it reads everywhere (shared/reliability.ts).
import { decimalText } from '../../../shared/decimal-text.ts';
import { reliabilityText } from '../../../shared/reliability.ts';
import { int } from './numbers.ts';

/** "4.869 s", "5,400 s (90 min)", "87,084,619.34 s (1,007 days)": spans rounded down. */
export function seconds(s: number): string {
  // Milliseconds at most (an age is made of two instants in ms), else cut: "4.999… s".
  const exact = `${decimalText(s, { min: 0, max: 3 })} s`;
  const a = Math.abs(s);
  if (a < 120) return exact;
  if (a < 7200) return `${exact} (${int(Math.floor(a / 60))} min)`;
  if (a < 2 * 86_400) {
    const m = Math.floor(a / 60);
    return `${exact} (${Math.floor(m / 60)} h ${m % 60} min)`;
  }
  return `${exact} (${int(Math.floor(a / 86_400))} days)`;
}

export function factValue(key: string, v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'number' && Number.isFinite(v)) {
    if (key === 'source_reliability') return reliabilityText(v);
    if (key.endsWith('_s')) return seconds(v);
    return Number.isInteger(v) ? int(v) : decimalText(v, { min: 2, max: 4 });
  }
  return typeof v === 'string' ? v : JSON.stringify(v);
}
