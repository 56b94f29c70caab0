// "Did you mean …?": the known word a slip was most likely meant as (a subcommand typed
// `cancle`, a manifest key written `priority` for `requested_priority`, an API request's
// `dryRun` for `dry_run`). Shared by the command line's usage errors (cli/args.ts), the
// manifest's key check (cli/manifest.ts) and the API's refusal of unknown keys
// (electron/host/handlers.ts), and the names a `--source` filter matched none of
// (cli/source-filter.ts). Imports nothing.

/** Lower case, without `_`, `-` and spaces: `Requested-Priority` and `requested_priority` are one word. */
const squeezed = (w: string): string => w.toLowerCase().replace(/[-_\s]/g, '');

/** The parts of a key (`requested_priority` → requested, priority). */
const parts = (w: string): string[] =>
  w
    .toLowerCase()
    .split(/[-_\s]+/)
    .filter(Boolean);

/** Levenshtein distance, with a transposition (`cancle` → `cancel`) counted as one edit. */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1);
    }
  return d[a.length]![b.length]!;
}

/**
 * The known word `word` is close to, or undefined: the same word but for case, `_` and
 * `-`; one edit away from a word of three letters or more, two from one of five or more
 * (so that `b` is not `db`, nor `ls` `id`); or one word of the other's parts (`priority`
 * of `requested_priority`, `file` of `file_path`). The nearest when several are.
 */
export function nearWord(word: string, known: readonly string[]): string | undefined {
  const w = squeezed(word);
  if (!w) return undefined;
  let best: { word: string; distance: number } | undefined;
  for (const k of known) {
    const s = squeezed(k);
    const distance = editDistance(w, s);
    const shorter = Math.min(w.length, s.length);
    const close =
      distance <= (shorter >= 5 ? 2 : shorter >= 3 ? 1 : 0) ||
      (parts(k).length > 1 && parts(k).includes(w)) ||
      (parts(word).length > 1 && parts(word).includes(s));
    if (close && (!best || distance < best.distance)) best = { word: k, distance };
  }
  return best?.word;
}

/**
 * The known names `name` may be a slip of, where a name is matched exactly (a source:
 * `jobs --source acmee`): each one the same but for letter case (read alike, in NFC), or one
 * edit away ignoring case — every one of them, nearest first, never only the first found,
 * so that a hint names both "acme" and "ACME" when both are. `name` itself is none.
 */
export function nearNames(name: string, known: readonly string[]): string[] {
  const folded = (w: string): string => w.normalize('NFC').toLowerCase();
  const w = folded(name);
  return known
    .filter((k) => k !== name)
    .map((k) => ({ k, distance: editDistance(w, folded(k)) }))
    .filter((n) => n.distance <= 1)
    .sort((a, b) => a.distance - b.distance)
    .map((n) => n.k);
}
