// Analytics over many snapshots (history, levels, diff), at 1,000 and 10,000 snapshots
// stored by the real pipeline and store: DuckDB over the store's tables (what the engine
// uses for its own snapshots); over the Hive Parquet exports (what an attached folder is),
// the engine's reader (only the partitions a query needs, each row file parsed from its
// bytes; cold, and warm from its per-file cache), nodejs-polars lazy scans and DuckDB's
// read_parquet of the same files, and both engines over a glob of the whole dataset. Every variant's answer is checked against
// the store's before it is timed; variants of one query are timed round-robin, so load
// from other work on the machine falls on all of them alike. `GEX_BENCH_ANALYTICS=1000`
// stops at 1,000.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Analytics } from '../electron/engine/analytics/index.ts';
import { ExportFolder } from '../electron/engine/analytics/export-folder.ts';
import { runPipeline } from '../electron/engine/pipeline/index.ts';
import { SNAPSHOTS_DATASET } from '../electron/engine/export-layout.ts';
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

/**
 * Medians of several variants timed round-robin (one run of each in turn, `repeats` times),
 * so that a burst of load on this shared machine falls on all of them alike.
 */
async function together(
  repeats: number,
  variants: [string, () => Promise<unknown> | unknown][],
): Promise<Measure[]> {
  for (const [, fn] of variants) await fn();
  const times = variants.map((): number[] => []);
  for (let r = 0; r < repeats; r++) {
    for (const [k, [, fn]] of variants.entries()) {
      const t = performance.now();
      await fn();
      times[k]!.push(performance.now() - t);
    }
  }
  return variants.map(([name], k) => ({ name, value: median(times[k]!), unit: 'ms' }));
}

const SUMMARY = [
  'snapshot_id',
  'underlying',
  'as_of',
  'as_of_ms',
  'spot',
  'total_gex',
  'zero_gamma',
  'call_wall',
  'put_wall',
  'exposure_dex',
  'exposure_vex',
  'exposure_cex',
  'absolute_gamma_strike',
  'measures_version',
  'content_hash',
];

async function measureAt(
  n: number,
  store: Store,
  dataDir: string,
  diffIds: [string, string],
): Promise<Measure[]> {
  const pl = (await import('nodejs-polars')).default;
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
  const repeats = n >= 10_000 ? 5 : 9;
  const slowRepeats = 3;
  const tag = `${n.toLocaleString('en-US')} snapshots`;
  const glob = `${join(dataDir, SNAPSHOTS_DATASET)}/**/*.parquet`;
  const cols = SUMMARY.join(', ');
  const out: Measure[] = [];

  // History of one underlying: every variant gives the store's answer first.
  const h = await local.history({ underlying: 'SPX' });
  const hp = await warm.history({ underlying: 'SPX' });
  if (!h.ok || !hp.ok) throw new Error('history failed');
  const ids = h.value.rows.map((p) => p.id);
  same(
    'history: engine reader',
    hp.value.rows.map((p) => [p.id, p.total_gex]),
    h.value.rows.map((p) => [p.id, p.total_gex]),
  );
  const historyFiles = folder.historyFiles('SPX', -8.64e15, 8.64e15);
  const partition = join(dataDir, SNAPSHOTS_DATASET, 'underlying=SPX');
  const polarsPartition = async () =>
    (
      await pl
        .scanParquet(`${partition}/*/*.parquet`)
        .select(...SUMMARY)
        .sort('as_of_ms')
        .collect()
    ).toRecords();
  const duckFiles = () =>
    duck.all(`SELECT ${cols} FROM ${readFiles(historyFiles)} ORDER BY as_of_ms`);
  same(
    'history: Polars',
    (await polarsPartition()).map((r) => r.snapshot_id),
    ids,
  );
  same(
    'history: DuckDB',
    (await duckFiles()).map((r) => r.snapshot_id),
    ids,
  );
  same(
    'history: Polars glob',
    polarsHistoryGlob(dataDir, 'SPX').map((r) => r.snapshot_id),
    ids,
  );
  out.push(
    ...(await together(repeats, [
      [
        `history, ${tag} (${ids.length} of SPX): DuckDB, store tables (engine, local)`,
        () => local.history({ underlying: 'SPX' }),
      ],
      [
        '  exports: engine reader, cold (Polars; lists, stats, reads)',
        () => attachedCold().history({ underlying: 'SPX' }),
      ],
      [
        '  exports: engine reader, warm (rows cached per file)',
        () => warm.history({ underlying: 'SPX' }),
      ],
      [`  exports: Polars lazy scan of the partition's glob (query alone)`, polarsPartition],
      [
        `  exports: DuckDB read_parquet of the same ${historyFiles.length} files (query alone)`,
        duckFiles,
      ],
    ])),
    ...(await together(slowRepeats, [
      [
        '  exports: Polars, glob of the whole dataset + Hive filter',
        () => polarsHistoryGlob(dataDir, 'SPX'),
      ],
      [
        '  exports: DuckDB, glob of the whole dataset + Hive filter',
        () =>
          duck.all(
            `SELECT ${cols} FROM read_parquet('${glob}', hive_partitioning = true) WHERE underlying = 'SPX' ORDER BY as_of_ms`,
          ),
      ],
    ])),
  );

  // Levels: each underlying's latest.
  const l = await local.levels();
  const lp = await warm.levels();
  if (!l.ok || !lp.ok) throw new Error('levels failed');
  const latest = l.value.rows.map((r) => r.id);
  same(
    'levels: engine reader',
    lp.value.rows.map((r) => r.id),
    latest,
  );
  const latestFiles = folder.latestFiles();
  const polarsEach = () =>
    pl
      .concat(latestFiles.map((f) => pl.readParquet(f, { columns: SUMMARY })))
      .sort('as_of_ms', true)
      .groupBy('underlying')
      .agg(pl.all().first())
      .sort('underlying')
      .toRecords();
  const duckLatest = () =>
    duck.all(
      `SELECT ${cols} FROM ${readFiles(latestFiles)} QUALIFY row_number() OVER (PARTITION BY underlying ORDER BY as_of_ms DESC) = 1 ORDER BY underlying`,
    );
  same(
    'levels: Polars',
    polarsEach().map((r) => r.snapshot_id),
    latest,
  );
  same(
    'levels: DuckDB',
    (await duckLatest()).map((r) => r.snapshot_id),
    latest,
  );
  same(
    'levels: Polars glob',
    polarsLevels(dataDir).map((r) => r.snapshot_id),
    latest,
  );
  out.push(
    ...(await together(repeats, [
      [
        `levels, ${tag} (${latest.length} underlyings): DuckDB, store tables (engine, local)`,
        () => local.levels(),
      ],
      [
        `  exports: engine reader, cold (Polars; latest ${latestFiles.length} files)`,
        () => attachedCold().levels(),
      ],
      ['  exports: engine reader, warm (rows cached per file)', () => warm.levels()],
      ['  exports: Polars, the same files read one by one (query alone)', polarsEach],
      ['  exports: DuckDB read_parquet of the same files (query alone)', duckLatest],
    ])),
    ...(await together(slowRepeats, [
      [
        `  exports: Polars, one lazy concat of the same files' scans`,
        () => polarsLevelsConcat(latestFiles),
      ],
      ['  exports: Polars, glob of the whole dataset', () => polarsLevels(dataDir)],
      [
        '  exports: DuckDB, glob of the whole dataset',
        () =>
          duck.all(
            `SELECT ${cols} FROM read_parquet('${glob}') QUALIFY row_number() OVER (PARTITION BY underlying ORDER BY as_of_ms DESC) = 1`,
          ),
      ],
    ])),
  );

  // Diff of two SPX-size snapshots.
  const [a, b] = diffIds;
  const d = await local.diff(a, b);
  const dp = await warm.diff(a, b);
  if (!d.ok || !dp.ok) throw new Error('diff failed');
  const changed = d.value.strikes.map((s) => s.strike);
  same(
    'diff: engine reader',
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
    'diff: Polars',
    polarsDiff(fa, fb).map((r) => r.strike),
    changed,
  );
  same(
    'diff: DuckDB',
    (await duckDiff()).map((r) => r.strike),
    changed,
  );
  out.push(
    ...(await together(repeats * 2, [
      [
        `diff, ${tag} (SPX-size pair, ${changed.length} strikes changed): DuckDB, store tables (engine, local)`,
        () => local.diff(a, b),
      ],
      [
        '  exports: engine reader (Polars; finds both ids, reads rows and strikes)',
        () => attachedCold().diff(a, b),
      ],
      ['  exports: Polars, the two strike files (query alone)', () => polarsDiff(fa, fb)],
      ['  exports: DuckDB read_parquet, the two strike files (query alone)', duckDiff],
    ])),
  );
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
