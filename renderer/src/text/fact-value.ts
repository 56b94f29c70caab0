// A fact's value as the drawer's Facts table writes it. A duration in seconds (a fact named
// `…_s`, the derived age_s) read "87,084,619.3400": four decimals and no unit; it reads
// "87,084,619 s (1,008 days)", whole seconds with the span a person reads.
import { int, num } from './numbers.ts';

/** "45 s", "5,400 s (1 h 30 min)", "87,084,619 s (1,008 days)". */
export function seconds(s: number): string {
  const whole = `${int(Math.round(s))} s`;
  const a = Math.abs(s);
  if (a < 120) return whole;
  if (a < 7200) return `${whole} (${int(Math.floor(a / 60))} min)`;
  if (a < 2 * 86_400) {
    const m = Math.floor(a / 60);
    return `${whole} (${Math.floor(m / 60)} h ${m % 60} min)`;
  }
  const days = Math.round(a / 86_400);
  return `${whole} (${int(days)} days)`;
}

export function factValue(key: string, v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'number' && key.endsWith('_s') && Number.isFinite(v)) return seconds(v);
  if (typeof v === 'number') return Number.isInteger(v) ? int(v) : num(v, 4);
  return typeof v === 'string' ? v : JSON.stringify(v);
}
