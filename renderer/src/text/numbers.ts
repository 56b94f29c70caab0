// Number formatting for a dense professional UI: fixed decimals, thousands
// separators, durations compact (850 ms, 12.4 s, 3m 05s), percentages with a space
// ("97.9 %"). GEX figures go through scale.ts, so that one view uses one scale.
// signDisplay 'negative': a figure that rounds to zero reads "0.00", never "-0.00".
import { byteSize } from '../../../shared/bytes.ts';
import { elapsed } from '../../../shared/elapsed.ts';
import { shownPriceDecimals } from '../../../shared/prices.ts';
import { visible } from '../../../shared/visible.ts';

const nf = (digits: number) =>
  new Intl.NumberFormat('en-US', {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
    signDisplay: 'negative',
  });
const cache = new Map<number, Intl.NumberFormat>();
const fmt = (digits: number) => {
  let f = cache.get(digits);
  if (!f) cache.set(digits, (f = nf(digits)));
  return f;
};

export const DASH = '—';

export function num(value: number | null | undefined, digits = 2): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return DASH;
  return fmt(digits).format(value);
}

export function int(value: number | null | undefined): string {
  return num(value, 0);
}

/**
 * The decimals that write a step exactly: those of its significant digits (1 → 0, 2.5 → 1,
 * 0.25 → 2, 0.005 → 3), up to 20. A tick's step comes from subtracting two ticks, so a
 * digit within a millionth of the step is float noise, not a decimal.
 */
export function stepDigits(step: number): number {
  const s = Math.abs(step);
  if (!(s > 0) || !Number.isFinite(s)) return 0;
  for (let d = 0; d < 20; d++) {
    const scaled = s * 10 ** d;
    if (Math.abs(scaled - Math.round(scaled)) <= scaled * 1e-6) return d;
  }
  return 20;
}

/**
 * An axis tick with the decimals its step needs, so that ticks 2.5 apart read "-7.5, -5.0,
 * -2.5, 0.0" and never "-8, -5, -3, 0": two ticks never share a label, each reads its value.
 */
export function tickNumber(value: number, step: number): string {
  return num(value, stepDigits(step));
}

/**
 * A strike or price: no decimals when whole, otherwise 2 from $1 up; below $1 the decimals
 * it is written with, up to its precision (shared/prices.ts: 0.0125, 0.013, 0.010932), so
 * that a sub-dollar underlying's spot, walls and flip do not all read "0.01".
 */
export function price(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return DASH;
  return Number.isInteger(value) ? int(value) : num(value, shownPriceDecimals(value));
}

/**
 * A spot: always two decimals from $1 up ("500.00" beside "505.10" in one column), where
 * strikes and walls (`price`) drop them when whole; below $1 as `price` shows it.
 */
export function spotPrice(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return DASH;
  return num(value, shownPriceDecimals(value));
}

/** A time measured: "347 ms", "12.4 s", "3m 05s" (shared/elapsed.ts, as the command line writes it). */
export const duration = elapsed;

/** A share 0..1 as a percentage: "97.9 %". */
export function pct(share: number | null | undefined, digits = 1): string {
  if (share === null || share === undefined || !Number.isFinite(share)) return DASH;
  return `${fmt(digits).format(share * 100)} %`;
}

/** A file's size in binary units, labelled as such: "139.5 MiB" (shared/bytes.ts, as the engine writes it). */
export const bytes = byteSize;

export function basename(path: string): string {
  const i = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  return i >= 0 ? path.slice(i + 1) : path;
}

/**
 * A file's name as shown: its control and format characters escaped (`\u202e`), as the
 * command line shows them — U+202E reversed what followed it, a zero-width space made two
 * names look alike (shared/visible.ts). `basename` keeps the name as it is, for matching.
 */
export const shownName = (path: string): string => visible(basename(path));

/** A round span as people say it: "30 s", "5 min", "2 h"; other spans as `duration`. */
export function span(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return DASH;
  if (ms >= 3_600_000 && ms % 3_600_000 === 0) return `${ms / 3_600_000} h`;
  if (ms >= 60_000 && ms % 60_000 === 0) return `${ms / 60_000} min`;
  if (ms >= 1000 && ms % 1000 === 0) return `${ms / 1000} s`;
  return duration(ms);
}
