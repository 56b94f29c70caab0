// A size as a person reads it, written once for the app's views, the browser host's
// upload answers and the engine's and command line's messages: counted in 1,024s and
// labelled so (KiB, MiB, GiB). "MB" over a count of mebibytes understated every size by
// about 5 % (146,302,901 bytes read "139.5 MB": 146.3 MB, or 139.5 MiB). Programs get
// bytes (--json, the API), never this.

const UNITS = [
  ['KiB', 1024, 1],
  ['MiB', 1024 ** 2, 1],
  ['GiB', 1024 ** 3, 2],
] as const;

/** "40 B", "2.0 KiB", "139.5 MiB", "3.00 GiB"; a size that rounds up to 1,024 of a unit is written in the next. */
export function byteSize(n: number): string {
  if (n < 1024) return `${n} B`;
  for (let i = 0; i < UNITS.length; i++) {
    const [unit, size, digits] = UNITS[i]!;
    const text = (n / size).toFixed(digits);
    if (Number(text) < 1024 || i === UNITS.length - 1) return `${text} ${unit}`;
  }
  return `${n} B`; // not reached
}

/**
 * A size beside the limit it is over, told apart: the two as `byteSize` writes them, or
 * in whole bytes when those would read the same ("19.1 MiB is more than the 19.1 MiB
 * limit" says nothing).
 */
export function byteSizesApart(size: number, limit: number): [string, string] {
  const [a, b] = [byteSize(size), byteSize(limit)];
  if (a !== b) return [a, b];
  const exact = (n: number) => `${n.toLocaleString('en-US')} bytes`;
  return [exact(size), exact(limit)];
}
