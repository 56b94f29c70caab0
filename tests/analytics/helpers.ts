// Set-up for the analytics tests: a workstation = a real DuckDB store and a data folder;
// snapshots enter it through the real pipeline and the store's own saveSnapshot; and a
// store can be made as version 2 of the schema wrote it (the old migrations, the old
// statements, the old Parquet columns), to test what migration 3 does with it.
import { randomUUID } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  renameSync,
  rmdirSync,
  rmSync,
  statSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { runPipeline } from '../../electron/engine/pipeline/index.ts';
import { Store } from '../../electron/engine/store/db.ts';
import { MIGRATIONS } from '../../electron/engine/store/migrations.ts';
import { saveSnapshot } from '../../electron/engine/store/snapshots.ts';
import type { PipelineOutput } from '../../shared/pipeline.ts';
import { conventions } from '../pipeline/helpers.ts';
import { writeChain, writeTinyChain, type GeneratedChain } from './chains.ts';
import {
  EXPIRIES_DATASET,
  segment,
  SNAPSHOTS_DATASET,
} from '../../electron/engine/export-layout.ts';

const dirs: string[] = [];
export function tempDir(prefix = 'gex-analytics-'): string {
  const d = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(d);
  return d;
}
export function cleanupDirs(): void {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
}

export type Workstation = { dir: string; dataDir: string; dbPath: string; store: Store };

export async function workstation(migrations = MIGRATIONS): Promise<Workstation> {
  const dir = tempDir();
  const dbPath = join(dir, 'gex.duckdb');
  const r = await Store.open(dbPath, migrations);
  if (!r.ok) throw new Error(r.error.message);
  return { dir, dataDir: join(dir, 'data'), dbPath, store: r.value };
}

/** Runs the pipeline on `file` as a job would, without saving. */
export async function pipeline(
  ws: Pick<Workstation, 'dataDir'>,
  file: string,
  id: string = randomUUID(),
): Promise<PipelineOutput> {
  const r = await runPipeline({
    file,
    dataDir: ws.dataDir,
    snapshotId: id,
    conventions: conventions(),
  });
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return r.value;
}

/** Runs the pipeline on `file` (any format it reads) and stores the snapshot. */
export async function ingestFile(ws: Workstation, file: string) {
  const output = await pipeline(ws, file);
  const saved = await saveSnapshot(ws.store, output, { request_id: null, job_id: null });
  return { file, output, id: saved.snapshot.id, status: saved.status };
}

/** Writes a generated chain and stores its snapshot; returns the run and the chain's contracts. */
export async function ingestChain(ws: Workstation, name: string, g: GeneratedChain) {
  const file = join(ws.dir, `${name}.csv`);
  const contracts = writeChain(file, g);
  return { ...(await ingestFile(ws, file)), contracts };
}

/** Stores the smallest chain of `underlying` (writeTinyChain) as of `date`. */
export async function ingestTiny(ws: Workstation, underlying: string, date = '2024-03-15') {
  const file = join(ws.dir, `tiny-${randomUUID()}.csv`);
  writeTinyChain(file, underlying, date);
  const output = await pipeline(ws, file);
  const saved = await saveSnapshot(ws.store, output, { request_id: null, job_id: null });
  return { file, output, id: saved.snapshot.id };
}

/**
 * Lays a workstation's exports out as versions before 2026-12-05 wrote them: each
 * underlying's folder named with `_` for every character outside [A-Za-z0-9._-] (so that
 * `BRK/B`, `BRK\B` and `BRK_B` share `underlying=BRK_B`), the store's paths moved with them.
 */
export async function asOldLayout(ws: Workstation): Promise<void> {
  for (const root of [
    ws.dataDir,
    join(ws.dataDir, EXPIRIES_DATASET),
    join(ws.dataDir, SNAPSHOTS_DATASET),
  ]) {
    if (!existsSync(root)) continue;
    for (const name of readdirSync(root).filter((n) => n.startsWith('underlying='))) {
      const old = `underlying=${segment(decodeURIComponent(name.slice('underlying='.length)))}`;
      if (old === name) continue;
      for (const date of readdirSync(join(root, name))) {
        mkdirSync(join(root, old, date), { recursive: true });
        for (const f of readdirSync(join(root, name, date)))
          renameSync(join(root, name, date, f), join(root, old, date, f));
        rmdirSync(join(root, name, date));
      }
      rmdirSync(join(root, name));
    }
  }
  const rows = await ws.store.all<{ id: string; underlying: string; parquet: string }>(
    'SELECT id, underlying, parquet FROM gex_snapshots',
  );
  for (const r of rows) {
    const date = basename(dirname(r.parquet));
    const moved = join(
      ws.dataDir,
      `underlying=${segment(r.underlying)}`,
      date,
      basename(r.parquet),
    );
    await ws.store.run('UPDATE gex_snapshots SET parquet = $1 WHERE id = $2', [moved, r.id]);
  }
}

/**
 * Stores a run as version 2 did: the columns it had, its positional strike insert, and a
 * strike file without dex/vex/cex and no expiry or snapshot files (`store` opened with
 * MIGRATIONS.slice(0, 2)).
 */
export async function saveAsVersion2(store: Store, output: PipelineOutput): Promise<void> {
  const s = output.snapshot;
  await store.transaction(async (tx) => {
    await tx.run(
      `INSERT INTO gex_snapshots (id, underlying, as_of, as_of_text, spot, contracts, total_gex, call_gex, put_gex,
         zero_gamma, call_wall, put_wall, max_pain, total_open_interest, total_volume, quality, content_hash, format,
         source_file, parquet, created_at, request_id, job_id)
       VALUES ($1, $2, $3::TIMESTAMPTZ, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15::JSON, $16, $17, $18, $19,
         now(), NULL, NULL)`,
      [
        s.id,
        s.underlying,
        s.as_of,
        s.spot,
        s.contracts,
        s.total_gex,
        s.call_gex,
        s.put_gex,
        s.zero_gamma,
        s.call_wall,
        s.put_wall,
        s.max_pain,
        s.total_open_interest,
        s.total_volume,
        JSON.stringify({ ...s.quality, partial: undefined }),
        s.content_hash,
        s.format,
        s.source_file,
        s.parquet,
      ],
    );
    await tx.run(
      `INSERT INTO gex_strikes SELECT snapshot_id, CAST(expiry AS DATE), strike, call_gex, put_gex, net_gex,
         call_open_interest, put_open_interest, call_volume, put_volume, CAST(contracts AS BIGINT)
       FROM read_parquet($1, hive_partitioning = false)`,
      [output.strikesParquet],
    );
    const values = output.profile.map((p) => `($1, ${p.level}, ${p.gex})`).join(', ');
    await tx.run(`INSERT INTO gamma_profiles VALUES ${values}`, [s.id]);
  });
  // The export as version 2 wrote it.
  const db = await DuckDBInstance.create(':memory:');
  const con = await db.connect();
  const q = (p: string) => `'${p.replaceAll("'", "''")}'`;
  const tmp = `${output.strikesParquet}.v2`;
  await con.run(
    `COPY (SELECT * EXCLUDE (dex, vex, cex) FROM read_parquet(${q(output.strikesParquet)}, hive_partitioning = false)) TO ${q(tmp)} (FORMAT parquet, COMPRESSION zstd)`,
  );
  con.closeSync();
  db.closeSync();
  rmSync(output.strikesParquet);
  renameSync(tmp, output.strikesParquet);
  rmSync(output.expiriesParquet);
  rmSync(output.snapshotParquet);
}

/** Every file under `dir` with its size and modification time: to show nothing was written there. */
export function tree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else {
        const st = statSync(p);
        out[relative(dir, p)] = `${st.size}:${st.mtimeMs}`;
      }
    }
  };
  walk(dir);
  return out;
}
