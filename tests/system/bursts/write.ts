// Writing a planned burst: real-time files carry an as_of equal to their planned arrival
// (to the second, rounded up, so that on time they are 0 s old), which depends on the
// reference — the moment the command will begin submitting — chosen here; and the
// manifests `gex-desk ingest --manifest` replays.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { newYorkTime, totalsOf, writeChain } from './chains.ts';
import { generate, plannedAsOf, type Burst, type PlannedFile } from './plan.ts';

export interface Written {
  referenceMs: number;
  manifest: string;
  /** as_of as written (epoch ms), by path. */
  asOfMs: Map<string, number>;
}

/** Writes one file with its as_of; returns the as_of written. */
function writeOne(f: PlannedFile, referenceMs: number): number {
  const planned = plannedAsOf(f, referenceMs);
  // CBOE CSV dates carry minutes only; the others carry seconds (rounded up).
  const at =
    f.format === 'cboe-csv'
      ? Math.floor(planned / 60_000) * 60_000
      : Math.ceil(planned / 1000) * 1000;
  const { wall, offset } = newYorkTime(at);
  const chain = { ...generate(f), asOf: wall };
  const t = totalsOf(chain);
  if (
    Math.abs(t.gex - f.totals.gex) > 1e-6 * Math.abs(f.totals.gex) ||
    t.openInterest !== f.totals.openInterest
  )
    throw new Error(`${f.path}: written totals differ from the plan`);
  writeChain(f.path, chain, f.format, offset);
  return at;
}

const line = (f: PlannedFile, atMs: number) =>
  JSON.stringify({
    file: f.path,
    source: f.source,
    at_ms: atMs,
    ...(f.requested ? { requested_priority: f.requested, justification: f.justification } : {}),
  });

/** The seeds (stale history of repeated underlyings) and their manifest; null when none. */
export function writeSeeds(b: Burst): string | null {
  if (b.seeds.length === 0) return null;
  for (const f of b.seeds) writeOne(f, 0);
  const manifest = join(b.dir, `${b.kind}-seeds.jsonl`);
  writeFileSync(manifest, b.seeds.map((f) => line(f, 0)).join('\n') + '\n');
  return manifest;
}

/**
 * The burst's files and their manifest, each line `leadMs` later than planned (the
 * command's start-up, during which it submits nothing). Files with a fixed as_of are
 * written first, which gives the writing time per file; the reference is then chosen so
 * that the real-time files are written before it, with the lead still to come:
 * now + (their writing time, with a margin) + `leadMs`.
 */
export function writeBurst(b: Burst, leadMs: number): Written {
  const asOfMs = new Map<string, number>();
  const fixed = b.files.filter((f) => 'fixedMs' in f.asOf);
  const relative = b.files.filter((f) => !('fixedMs' in f.asOf));
  const t0 = Date.now();
  for (const f of fixed) asOfMs.set(f.path, writeOne(f, 0));
  const perFile = fixed.length > 0 ? (Date.now() - t0) / fixed.length : 250;
  const referenceMs = Date.now() + Math.ceil(relative.length * perFile * 1.3) + 1000 + leadMs;
  for (const f of relative) asOfMs.set(f.path, writeOne(f, referenceMs));
  const manifest = join(b.dir, `${b.kind}.jsonl`);
  writeFileSync(manifest, b.files.map((f) => line(f, f.atMs + leadMs)).join('\n') + '\n');
  return { referenceMs, manifest, asOfMs };
}
