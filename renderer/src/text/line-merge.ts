// A line-based three-way merge, for a rule draft whose base version is no longer the
// active one: the analyst's changes (base → draft) carried onto the active version
// (base → active). Only when no two changes touch the same or neighbouring base lines
// (as git's merge would also refuse); otherwise the lines in conflict are named and the
// analyst decides. Changes both sides made identically are taken once.
import { lineDiff } from './line-diff.ts';

/** A change of one side: base lines [from, to) (0-based) replaced by `lines`. */
export interface Hunk {
  from: number;
  to: number;
  lines: string[];
}

/** Lines both sides changed differently: the base's lines `line`…, and what each made of them. */
export interface MergeConflict {
  /** 1-based first base line concerned. */
  line: number;
  base: string[];
  ours: string[];
  theirs: string[];
}

export type MergeResult = { ok: true; text: string } | { ok: false; conflicts: MergeConflict[] };

/** The changes that turn `base` into `other`, in base order. */
export function hunks(base: string, other: string): Hunk[] {
  const out: Hunk[] = [];
  let open: Hunk | null = null;
  let at = 0; // base lines passed
  for (const l of lineDiff(base, other)) {
    if (l.kind === 'same') {
      if (open) out.push(open);
      open = null;
      at++;
      continue;
    }
    open ??= { from: at, to: at, lines: [] };
    if (l.kind === 'del') {
      open.to++;
      at++;
    } else open.lines.push(l.text);
  }
  if (open) out.push(open);
  return out;
}

const touch = (a: Hunk, b: Hunk) => a.from <= b.to && b.from <= a.to;
const same = (a: Hunk, b: Hunk) =>
  a.from === b.from &&
  a.to === b.to &&
  a.lines.length === b.lines.length &&
  a.lines.every((l, i) => l === b.lines[i]);

/** `ours` and `theirs`, both edits of `base`, merged line by line. */
export function mergeLines(base: string, ours: string, theirs: string): MergeResult {
  const b = base.split('\n');
  const all = [
    ...hunks(base, ours).map((h) => ({ ...h, side: 'ours' as const })),
    ...hunks(base, theirs).map((h) => ({ ...h, side: 'theirs' as const })),
  ].sort((x, y) => x.from - y.from || x.to - y.to);
  // Groups of changes that touch one another (transitively).
  const groups: (typeof all)[] = [];
  for (const h of all) {
    const last = groups.at(-1);
    if (last && last.some((g) => touch(g, h))) last.push(h);
    else groups.push([h]);
  }
  const out: string[] = [];
  const conflicts: MergeConflict[] = [];
  let at = 0;
  for (const g of groups) {
    const from = Math.min(...g.map((h) => h.from));
    const to = Math.max(...g.map((h) => h.to));
    out.push(...b.slice(at, from));
    at = to;
    const sides = new Set(g.map((h) => h.side));
    if (sides.size === 1 || (g.length === 2 && same(g[0]!, g[1]!))) {
      // One side's changes only (or both the same): applied in order over the base lines.
      const taken = sides.size === 1 ? g : [g[0]!];
      let k = from;
      for (const h of taken) {
        out.push(...b.slice(k, h.from), ...h.lines);
        k = h.to;
      }
      out.push(...b.slice(k, to));
      continue;
    }
    const side = (s: 'ours' | 'theirs') => {
      const lines: string[] = [];
      let k = from;
      for (const h of g.filter((x) => x.side === s)) {
        lines.push(...b.slice(k, h.from), ...h.lines);
        k = h.to;
      }
      return [...lines, ...b.slice(k, to)];
    };
    conflicts.push({
      line: from + 1,
      base: b.slice(from, to),
      ours: side('ours'),
      theirs: side('theirs'),
    });
  }
  out.push(...b.slice(at));
  return conflicts.length ? { ok: false, conflicts } : { ok: true, text: out.join('\n') };
}
