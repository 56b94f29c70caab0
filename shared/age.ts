// How old a snapshot is, as an analyst says it, written once for the app's Levels board
// and `gex-desk levels`: each unit rounded down, so that an age just under a line (299 s,
// under the 300 s fresh/stale one) never reads as past it ("4 min", not "5 min").

/** "45 s", "4 min", "5 h 12 min", "3 d 4 h", "1,062 days"; a negative age is "0 s". */
export function age(seconds: number): string {
  const s = Number.isFinite(seconds) ? Math.max(0, Math.floor(seconds)) : 0;
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h} h ${m % 60} min`;
  const d = Math.floor(h / 24);
  return d < 14 ? `${d} d ${h % 24} h` : `${d.toLocaleString('en-US')} days`;
}
