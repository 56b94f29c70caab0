// A line diff of two texts (the active rule set and what would replace it), for the
// confirmation dialog: the longest common subsequence of lines after the common
// start and end are set aside, then the changes with a few lines of context and the
// unchanged stretches between them folded.
export interface DiffLine {
  kind: 'same' | 'add' | 'del';
  text: string;
  /** 1-based line in the old text (null for an added line). */
  a: number | null;
  /** 1-based line in the new text (null for a removed line). */
  b: number | null;
}
export type DiffRow = DiffLine | { kind: 'skip'; count: number };

export function lineDiff(before: string, after: string): DiffLine[] {
  const x = before.split('\n');
  const y = after.split('\n');
  let start = 0;
  while (start < x.length && start < y.length && x[start] === y[start]) start++;
  let endX = x.length;
  let endY = y.length;
  while (endX > start && endY > start && x[endX - 1] === y[endY - 1]) {
    endX--;
    endY--;
  }
  const n = endX - start;
  const m = endY - start;
  // lcs[i][j]: the longest common subsequence of x[start+i..endX) and y[start+j..endY).
  const lcs = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--)
    for (let j = m - 1; j >= 0; j--)
      lcs[i]![j] =
        x[start + i] === y[start + j]
          ? lcs[i + 1]![j + 1]! + 1
          : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);

  const out: DiffLine[] = [];
  for (let k = 0; k < start; k++) out.push({ kind: 'same', text: x[k]!, a: k + 1, b: k + 1 });
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && x[start + i] === y[start + j]) {
      out.push({ kind: 'same', text: x[start + i]!, a: start + i + 1, b: start + j + 1 });
      i++;
      j++;
    } else if (i < n && (j === m || lcs[i + 1]![j]! >= lcs[i]![j + 1]!)) {
      // Removed lines before the lines that replace them, as in a unified diff.
      out.push({ kind: 'del', text: x[start + i]!, a: start + i + 1, b: null });
      i++;
    } else {
      out.push({ kind: 'add', text: y[start + j]!, a: null, b: start + j + 1 });
      j++;
    }
  }
  for (let k = 0; k < x.length - endX; k++)
    out.push({ kind: 'same', text: x[endX + k]!, a: endX + k + 1, b: endY + k + 1 });
  return out;
}

/** The changes with `context` unchanged lines around each; longer unchanged stretches folded. */
export function foldUnchanged(lines: DiffLine[], context = 3): DiffRow[] {
  const keep = lines.map(() => false);
  lines.forEach((l, i) => {
    if (l.kind === 'same') return;
    for (let k = Math.max(0, i - context); k <= Math.min(lines.length - 1, i + context); k++)
      keep[k] = true;
  });
  const out: DiffRow[] = [];
  let skipped = 0;
  lines.forEach((l, i) => {
    if (keep[i]) {
      if (skipped) out.push({ kind: 'skip', count: skipped });
      skipped = 0;
      out.push(l);
    } else skipped++;
  });
  if (skipped) out.push({ kind: 'skip', count: skipped });
  return out;
}

export function diffStats(lines: DiffLine[]): { added: number; removed: number } {
  let added = 0;
  let removed = 0;
  for (const l of lines) {
    if (l.kind === 'add') added++;
    else if (l.kind === 'del') removed++;
  }
  return { added, removed };
}
