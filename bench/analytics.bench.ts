// Analytics over many snapshots (history, levels, diff), at 1,000 and 10,000 snapshots
// stored by the real pipeline and store: DuckDB over the store's tables (what the engine
// uses for its own snapshots); over the Hive Parquet exports (what an attached folder is),
// nodejs-polars lazy scans (the engine's reader: only the partitions a query needs; cold,
// and warm from its per-file cache) against DuckDB's read_parquet of the same files, and
// both engines over a glob of the whole dataset. Every variant's answer is checked against
// the store's before it is timed. `GEX_BENCH_ANALYTICS=1000` stops at 1,000.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Analytics } from '../electron/engine/analytics/index.ts';
import { ExportFolder } from '../electron/engine/analytics/export-folder.ts';
import { runPipeline } from '../electron/engine/pipeline/index.ts';
import { SNAPSHOTS_DATASET } from '../electron/engine/pipeline/parquet-out.ts';
import { Store } from '../electron/engine/store/db.ts';
import { saveSnapshot } from '../electron/engine/store/snapshots.ts';
import { GexConventions } from '../shared/domain.ts';
import { chainCsv } from '../tests/analytics/chains.ts';
import { writeCboeCsv } from '../tests/fixtures/option-chains.ts';
import { ParquetReader, readFiles } from './analytics-duckdb.ts';
import {
  polarsDiff,
  polarsHistoryGlob,
  polarsLevels,
  polarsLevelsConcat,
} from './analytics-polars.ts';

type Measure = { name: string; value: number; unit: string };

const UNDERLYINGS = [
  { underlying: 'SPX', spot: 4800, step: 5 },
  { underlying: 'NDX', spot: 17000, step: 25 },
  { underlying: 'RUT', spot: 2000, step: 5 },
  { underlying: 'META', spot: 480, step: 2.5 },
  { underlying: 'AAPL', spot: 190, step: 1 },
];
const HOUR = 3_600_000;
const START = Date.parse('2024-01-02T15:00:00Z');

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function timed(repeats: number, fn: () => Promise<unknown> | unknown): Promise<number> {
  await fn();
  const times: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const t = performance.now();
    await fn();
    times.push(performance.now() - t);
  }
  return median(times);
}

/** as_of of the i-th snapshot: every 3 hours, in New York time with its offset. */
function asOf(i: number): string {
  const ms = START + Math.floor(i / UNDERLYINGS.length) * 3 * HOUR;
  const offset = -5 * HOUR; // Eastern standard time is enough for the bench.
  return new Date(ms + offset).toISOString().slice(0, 19) + '-05:00';
}

/** Snapshots [from, to) of the bench, through the pipeline and the store as a job stores them. */
async function fill(
  store: Store,
  work: string,
  dataDir: string,
  from: number,
  to: number,
): Promise<void> {
  const conv = GexConventions.parse({});
  const file = join(work, 'chain.csv');
  for (let i = from; i < to; i++) {
    const u = UNDERLYINGS[i % UNDERLYINGS.length]!;
    const at = asOf(i);
    const day = at.slice(0, 10);
    const expiries = [1, 2, 7, 30].map((d) =>
      new Date(Date.parse(day) + d * 86_400_000).toISOString().slice(0, 10),
    );
    writeFileSync(
      file,
      chainCsv({
        ...u,
        asOf: at,
        expiries,
        strikes: 15,
        seed: i + 1,
        spot: u.spot * (1 + ((i % 97) - 48) / 2000),
      }),
    );
    const r = await runPipeline({ file, dataDir, snapshotId: `s${i}`, conventions: conv });
    if (!r.ok) throw new Error(r.error.message);
    await saveSnapshot(store, r.value, { request_id: null, job_id: null });
  }
}

/** Two SPX-size snapshots (55 expiries × 191 strikes) for the diff. */
async function bigPair(store: Store, work: string, dataDir: string): Promise<[string, string]> {
  const conv = GexConventions.parse({});
  const ids: [string, string] = ['big-a', 'big-b'];
  for (const [k, id] of ids.entries()) {
    const file = join(work, `${id}.csv`);
    writeCboeCsv(file, {
      seed: 77 + k,
      expiries: 55,
      strikesPerExpiry: 191,
      spot: 4700,
      asOf: `2024-01-08T1${k}:30:00`,
    });
    const r = await runPipeline({ file, dataDir, snapshotId: id, conventions: conv });
    if (!r.ok) throw new Error(r.error.message);
    await saveSnapshot(store, r.value, { request_id: null, job_id: null });
  }
  return ids;
}

function same(label: string, a: unknown, b: unknown): void {
  if (JSON.stringify(a) !== JSON.stringify(b))
    throw new Error(
      `${label}: the answers differ:\n${JSON.stringify(a).slice(0, 400)}\n${JSON.stringify(b).slice(0, 400)}`,
    );
}

async function measureAt(
  n: number,
  store: Store,
  dataDir: string,
  diffIds: [string, string],
): Promise<Measure[]> {
  const tz = 'America/New_York';
  const local = new Analytics({ store, timeZone: tz });
  // The same snapshots as another workstation's attached folder: an empty store + the exports.
  const opened = await Store.open(':memory:');
  if (!opened.ok) throw new Error(opened.error.message);
  const empty = opened.value;
  const attachedCold = () => new Analytics({ store: empty, attach: [dataDir], timeZone: tz });
  const warm = attachedCold();
  const duck = new ParquetReader();
  const folder = new ExportFolder(dataDir);
  const repeats = n >= 10_000 ? 5 : 10;
  const out: Measure[] = [];
  const glob = `${join(dataDir, SNAPSHOTS_DATASET)}/**/*.parquet`;
  const all = -8.64e15;

  // History of one underlying.
  const h = await local.history({ underlying: 'SPX' });
  const hp = await warm.history({ underlying: 'SPX' });
  if (!h.ok || !hp.ok) throw new Error('history failed');
  const ids = h.value.map((p) => p.id);
  same(
    'history: Polars reader',
    hp.value.map((p) => [p.id, p.total_gex]),
    h.value.map((p) => [p.id, p.total_gex]),
  );
  const historyFiles = folder.historyFiles('SPX', all, -all);
  const duckHistory = () =>
    duck.all(`SELECT snapshot_id FROM ${readFiles(historyFiles)} ORDER BY as_of_ms`);
  same(
    'history: DuckDB exports',
    (await duckHistory()).map((r) => r.snapshot_id),
    ids,
  );
  same(
    'history: Polars glob',
    polarsHistoryGlob(dataDir, 'SPX').map((r) => r.snapshot_id),
    ids,
  );
  const tag = `${n.toLocaleString('en-US')} snapshots`;
  out.push({
    name: `history, ${tag} (${ids.length} of SPX): DuckDB, store tables`,
    value: await timed(repeats * 4, () => local.history({ underlying: 'SPX' })),
    unit: 'ms',
  });
  out.push({
    name: `  exports: Polars, engine's reader (cold)`,
    value: await timed(repeats, () => attachedCold().history({ underlying: 'SPX' })),
    unit: 'ms',
  });
  out.push({
    name: `  exports: Polars, engine's reader (warm, cached rows)`,
    value: await timed(repeats * 4, () => warm.history({ underlying: 'SPX' })),
    unit: 'ms',
  });
  out.push({
    name: `  exports: DuckDB read_parquet, the same files`,
    value: await timed(repeats, duckHistory),
    unit: 'ms',
  });
  out.push({
    name: `  exports: Polars, glob of all + Hive filter`,
    value: await timed(repeats, () => polarsHistoryGlob(dataDir, 'SPX')),
    unit: 'ms',
  });
  out.push({
    name: `  exports: DuckDB, glob of all + Hive filter`,
    value: await timed(repeats, () =>
      duck.all(
        `SELECT * FROM read_parquet('${glob}', hive_partitioning = true) WHERE underlying = 'SPX' ORDER BY as_of_ms`,
      ),
    ),
    unit: 'ms',
  });

  // Levels: each underlying's latest.
  const l = await local.levels();
  const lp = await warm.levels();
  if (!l.ok || !lp.ok) throw new Error('levels failed');
  const latest = l.value.map((r) => r.id);
  same(
    'levels: Polars reader',
    lp.value.map((r) => r.id),
    latest,
  );
  const latestFiles = folder.latestFiles();
  const duckLevels = () =>
    duck.all(
      `SELECT snapshot_id, underlying FROM ${readFiles(latestFiles)} QUALIFY row_number() OVER (PARTITION BY underlying ORDER BY as_of_ms DESC) = 1 ORDER BY underlying`,
    );
  same(
    'levels: DuckDB exports',
    (await duckLevels()).map((r) => r.snapshot_id),
    latest,
  );
  same(
    'levels: Polars glob',
    polarsLevels(dataDir).map((r) => r.snapshot_id),
    latest,
  );
  out.push({
    name: `levels, ${tag} (${latest.length} underlyings): DuckDB, store tables`,
    value: await timed(repeats * 4, () => local.levels()),
    unit: 'ms',
  });
  out.push({
    name: `  exports: Polars, engine's reader (latest ${latestFiles.length} files; cold)`,
    value: await timed(repeats, () => attachedCold().levels()),
    unit: 'ms',
  });
  out.push({
    name: `  exports: Polars, engine's reader (warm, cached rows)`,
    value: await timed(repeats * 4, () => warm.levels()),
    unit: 'ms',
  });
  out.push({
    name: `  exports: DuckDB read_parquet, the same files`,
    value: await timed(repeats, duckLevels),
    unit: 'ms',
  });
  out.push({
    name: `  exports: Polars, one lazy concat of the same files' scans`,
    value: await timed(Math.ceil(repeats / 2), () => polarsLevelsConcat(latestFiles)),
    unit: 'ms',
  });
  out.push({
    name: `  exports: Polars, glob of all`,
    value: await timed(repeats, () => polarsLevels(dataDir)),
    unit: 'ms',
  });
  out.push({
    name: `  exports: DuckDB, glob of all`,
    value: await timed(repeats, () =>
      duck.all(
        `SELECT * FROM read_parquet('${glob}') QUALIFY row_number() OVER (PARTITION BY underlying ORDER BY as_of_ms DESC) = 1`,
      ),
    ),
    unit: 'ms',
  });

  // Diff of two SPX-size snapshots.
  const [a, b] = diffIds;
  const d = await local.diff(a, b);
  const dp = await warm.diff(a, b);
  if (!d.ok || !dp.ok) throw new Error('diff failed');
  same(
    'diff: Polars reader',
    dp.value.strikes.map((s) => [s.strike, s.call_open_interest_change]),
    d.value.strikes.map((s) => [s.strike, s.call_open_interest_change]),
  );
  const [fa, fb] = [folder.strikesFile(folder.locate(a)!), folder.strikesFile(folder.locate(b)!)];
  const side = (f: string) =>
    `(SELECT strike, sum(net_gex) n, sum(call_open_interest) c, sum(put_open_interest) p FROM ${readFiles([f])} GROUP BY strike)`;
  const duckDiff = () =>
    duck.all(
      `SELECT coalesce(x.strike, y.strike) AS strike, coalesce(y.n, 0) - coalesce(x.n, 0) AS dn, coalesce(y.c, 0) - coalesce(x.c, 0) AS dc,
         coalesce(y.p, 0) - coalesce(x.p, 0) AS dp FROM ${side(fa)} x FULL JOIN ${side(fb)} y ON x.strike = y.strike
       WHERE dn <> 0 OR dc <> 0 OR dp <> 0 ORDER BY strike`,
    );
  same(
    'diff: Polars exports',
    polarsDiff(fa, fb).map((r) => r.strike),
    d.value.strikes.map((s) => s.strike),
  );
  same(
    'diff: DuckDB exports',
    (await duckDiff()).map((r) => r.strike),
    d.value.strikes.map((s) => s.strike),
  );
  out.push({
    name: `diff, ${tag} (SPX-size pair, ${d.value.strikes.length} strikes changed): DuckDB, store tables`,
    value: await timed(repeats * 4, () => local.diff(a, b)),
    unit: 'ms',
  });
  out.push({
    name: `  exports: Polars, engine's reader (locates both ids, reads rows and strikes)`,
    value: await timed(repeats * 2, () => attachedCold().diff(a, b)),
    unit: 'ms',
  });
  out.push({
    name: `  exports: Polars, the same two files (the query alone)`,
    value: await timed(repeats * 2, () => polarsDiff(fa, fb)),
    unit: 'ms',
  });
  out.push({
    name: `  exports: DuckDB read_parquet, the same two files (the query alone)`,
    value: await timed(repeats * 2, duckDiff),
    unit: 'ms',
  });
  await duck.close();
  await empty.close();
  return out;
}

export async function benchAnalytics(): Promise<Measure[]> {
  const max = Number(process.env.GEX_BENCH_ANALYTICS ?? 10_000);
  const work = mkdtempSync(join(tmpdir(), 'gex-bench-analytics-'));
  const dataDir = join(work, 'data');
  const opened = await Store.open(join(work, 'bench.duckdb'));
  if (!opened.ok) throw new Error(opened.error.message);
  const store = opened.value;
  const out: Measure[] = [];
  try {
    const pair = await bigPair(store, work, dataDir);
    let have = 0;
    for (const n of [1_000, 10_000].filter((x) => x <= max)) {
      const t = performance.now();
      await fill(store, work, dataDir, have, n - 2);
      out.push({
        name: `(stored ${n - 2 - have} more small snapshots through the pipeline)`,
        value: (performance.now() - t) / 1000,
        unit: 's',
      });
      have = n - 2;
      out.push(...(await measureAt(n, store, dataDir, pair)));
    }
    return out;
  } finally {
    await store.close();
    rmSync(work, { recursive: true, force: true });
  }
}
