// What a process killed at an awkward moment leaves in the data folder is settled at the
// next start: no export file of no snapshot stays for good (a workstation attaching the
// folder reads every file there as a snapshot), and nothing a stored snapshot needs goes.
// Each case makes the state the kill leaves — by a real SIGKILL where it can land anywhere
// in a long stretch, and otherwise by putting back what the dead process had not removed.
import { copyFileSync, cpSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { exportFilesOf } from '../../electron/engine/export-layout.ts';
import { ownFolder } from '../../electron/engine/own-folder.ts';
import { writeCboeCsv } from '../fixtures/option-chains.ts';
import { parquetFiles } from '../system/bursts/observe.ts';
import { BIN, cliHome, runCli } from './run-cli.ts';

type Line = { job_id: string; status: string; snapshot: { id: string; parquet: string } };
type Files = ReturnType<typeof exportFilesOf>;

function desk() {
  const home = cliHome();
  const run = (...args: string[]) => runCli([...home.args, ...args]);
  const ingest = async (file: string): Promise<Line> => {
    const r = await run('ingest', '--json', file);
    expect(r.code, r.stderr).toBe(0);
    return r.lines[0] as unknown as Line;
  };
  const chain = (name: string, seed: number, size = 20) => {
    const file = join(home.dir, name);
    writeCboeCsv(file, { seed, expiries: 3, strikesPerExpiry: size });
    return file;
  };
  /** The data folder, from a stored snapshot's strike file. */
  const dataDirOf = (s: Files) => dirname(dirname(dirname(s.strikes)));
  /** Copies a stored snapshot's three files under another id's names, as a run of it writes them. */
  const writtenAs = (stored: Files, id: string): Files => {
    const as = exportFilesOf(join(dirname(stored.strikes), `${id}.parquet`));
    for (const k of ['strikes', 'expiries', 'snapshot'] as const) copyFileSync(stored[k], as[k]);
    return as;
  };
  /** A chain ingested, then a copy of it: the copy is a duplicate of the first's snapshot. */
  const twice = async (seed: number) => {
    const a = chain('a.csv', seed);
    const again = join(home.dir, 'a-again.csv');
    copyFileSync(a, again);
    const first = await ingest(a);
    const dup = await ingest(again);
    expect(dup.status).toBe('duplicate');
    return { first, dup };
  };
  return { home, run, ingest, chain, dataDirOf, writtenAs, twice };
}

describe('what a killed engine left of a run', () => {
  it("a duplicate's files, when it died before removing them, go at the next start", async () => {
    const d = desk();
    const { first, dup } = await d.twice(3);
    const stored = exportFilesOf(first.snapshot.parquet);
    const dataDir = d.dataDirOf(stored);
    d.writtenAs(stored, dup.job_id);
    // Its marker: the engine was storing it (engine-phase.ts).
    const markers = ownFolder(dataDir, d.home.db, 'in-engine');
    mkdirSync(markers, { recursive: true });
    writeFileSync(join(markers, dup.job_id), '');
    expect(parquetFiles(dataDir)).toHaveLength(6);

    const next = await d.ingest(d.chain('b.csv', 4));
    expect(next.status).toBe('completed');
    expect(parquetFiles(dataDir).sort()).toEqual(
      [...Object.values(stored), ...Object.values(exportFilesOf(next.snapshot.parquet))].sort(),
    );
  });

  it('a run killed with its files written, then cancelled, leaves none of them', async () => {
    const d = desk();
    const first = await d.ingest(d.chain('a.csv', 5));
    const stored = exportFilesOf(first.snapshot.parquet);
    const dataDir = d.dataDirOf(stored);
    // A chain long enough to run for a while; the engine is killed once its run has begun.
    const big = d.chain('big.csv', 6, 3000);
    const runs = ownFolder(dataDir, d.home.db, 'in-run');
    const child = spawn(process.execPath, [BIN, ...d.home.args, 'ingest', big], {
      env: { ...process.env, GEX_DESK_HOME: d.home.dir, GEX_DESK_WORKERS: '1' },
      stdio: 'ignore',
    });
    const exited = new Promise((r) => child.on('exit', r));
    let jobId: string | undefined;
    const deadline = Date.now() + 30_000;
    while (!jobId && Date.now() < deadline) {
      jobId = existsSync(runs) ? readdirSync(runs)[0] : undefined;
      if (!jobId) await new Promise((r) => setTimeout(r, 2));
    }
    child.kill('SIGKILL');
    await exited;
    expect(jobId, 'the run began (its marker)').toBeDefined();
    // What its worker had written by then (it writes nothing once its engine has gone), and a
    // temporary file of a write under way, named after its file.
    const left = d.writtenAs(stored, jobId!);
    const tmp = join(dirname(left.expiries), `.${jobId}.parquet.999999.1.abc.tmp`);
    copyFileSync(stored.expiries, tmp);

    const cancelled = await d.run('jobs', 'cancel', jobId!, '--json');
    expect(cancelled.code, cancelled.stderr).toBe(0);
    expect([...Object.values(left), tmp].filter((f) => existsSync(f))).toEqual([]);
    expect(parquetFiles(dataDir).sort()).toEqual(Object.values(stored).sort());
  });
});

describe('a start that sweeps', () => {
  it('forgets a run only once its files are gone (a start killed while it sweeps leaves its markers)', async () => {
    const d = desk();
    const { first, dup } = await d.twice(12);
    const stored = exportFilesOf(first.snapshot.parquet);
    const dataDir = d.dataDirOf(stored);
    const left = Object.values(d.writtenAs(stored, dup.job_id));
    const runs = ownFolder(dataDir, d.home.db, 'in-run');
    mkdirSync(runs, { recursive: true });
    const marker = join(runs, dup.job_id);
    writeFileSync(marker, '');
    // A long desk: the sweep reads many date folders, time enough to watch it.
    for (const f of left)
      for (let i = 0; i < 1500; i++) mkdirSync(join(dirname(dirname(f)), `date=x${i}`));
    const child = spawn(process.execPath, [BIN, ...d.home.args, 'queue', '--drain'], {
      env: { ...process.env, GEX_DESK_HOME: d.home.dir, GEX_DESK_WORKERS: '1' },
      stdio: 'ignore',
    });
    let running = true;
    const exited = new Promise((r) => child.on('exit', r)).then(() => (running = false));
    const seen: string[] = [];
    while (running) {
      // Its marker gone while a file of it is still there: a kill now would leave that file.
      if (!existsSync(marker) && left.some((f) => existsSync(f))) seen.push('forgotten first');
      await new Promise((r) => setTimeout(r, 1));
    }
    await exited;
    expect(seen).toEqual([]);
    expect(left.filter((f) => existsSync(f))).toEqual([]);
    expect(existsSync(marker)).toBe(false);
  });
});

describe('what a killed removal left', () => {
  it('removes the files of a snapshot whose rows went, and keeps those of one whose removal never committed', async () => {
    const d = desk();
    const a = await d.ingest(d.chain('a.csv', 9));
    const b = await d.ingest(d.chain('b.csv', 10));
    const filesA = Object.values(exportFilesOf(a.snapshot.parquet));
    const filesB = Object.values(exportFilesOf(b.snapshot.parquet));
    const dataDir = d.dataDirOf(exportFilesOf(a.snapshot.parquet));
    const saved = filesA.map((f) => {
      copyFileSync(f, `${f}.saved`);
      return f;
    });
    const removed = await d.run(
      'snapshots',
      'remove',
      a.snapshot.id,
      '--justification',
      'wrong file',
      '--json',
    );
    expect(removed.code, removed.stderr).toBe(0);
    // Killed after the commit, before the files went: they are back, with the note it wrote
    // before the commit. And a note of b, whose removal was killed before its commit.
    for (const f of saved) copyFileSync(`${f}.saved`, f);
    const notes = ownFolder(dataDir, d.home.db, 'removing');
    mkdirSync(notes, { recursive: true });
    writeFileSync(
      join(notes, 'a.json'),
      JSON.stringify([{ snapshot_id: a.snapshot.id, files: filesA }]),
    );
    writeFileSync(
      join(notes, 'b.json'),
      JSON.stringify([{ snapshot_id: b.snapshot.id, files: filesB }]),
    );
    // And a note cut short as it was written.
    writeFileSync(join(notes, 'c.json'), '[{"snapshot_id": "');

    const next = await d.ingest(d.chain('c.csv', 11));
    expect(next.status).toBe('completed');
    expect(filesA.filter((f) => existsSync(f))).toEqual([]);
    expect(filesB.filter((f) => !existsSync(f))).toEqual([]);
    expect(readdirSync(notes)).toEqual([]);
  });
});

describe('a copied desk', () => {
  it("removes its own copy of a snapshot's files, never the files of the desk it was copied from", async () => {
    const d = desk();
    const a = await d.ingest(d.chain('a.csv', 13));
    const original = Object.values(exportFilesOf(a.snapshot.parquet));
    const copy = join(d.home.dir, 'copy');
    mkdirSync(copy);
    cpSync(d.home.db, join(copy, 'gex.duckdb'));
    cpSync(d.dataDirOf(exportFilesOf(a.snapshot.parquet)), join(copy, 'data'), { recursive: true });
    const copied = original.map((f) =>
      join(copy, 'data', relative(d.dataDirOf(exportFilesOf(a.snapshot.parquet)), f)),
    );
    expect(copied.filter((f) => !existsSync(f))).toEqual([]);
    const removed = await runCli([
      '--db',
      join(copy, 'gex.duckdb'),
      '--data-dir',
      join(copy, 'data'),
      'snapshots',
      'remove',
      a.snapshot.id,
      '--justification',
      'wrong file',
      '--json',
    ]);
    expect(removed.code, removed.stderr).toBe(0);
    expect(copied.filter((f) => existsSync(f))).toEqual([]);
    expect(original.filter((f) => !existsSync(f))).toEqual([]);
  });
});
