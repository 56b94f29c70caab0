// Issue 4's durability promise, tested the hard way: the engine (a real `gex-desk
// ingest` process with its real workers) is killed with SIGKILL at random moments of
// a load, 20 times, and started again each time. In the end every acknowledged
// request (a stored job) has completed exactly once, and no snapshot — nor any of its
// strike rows, nor its Parquet file — was written twice.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import { rng, writeCboeCsv, writeCboeJson } from '../fixtures/option-chains.ts';
import { repoRoot } from '../pipeline/helpers.ts';
import { BIN, cliHome, runCli } from '../cli/run-cli.ts';

const KILLS = 20;

/** Starts the command and SIGKILLs it `ms` after it acknowledged its first request (read from its log). */
function killAfter(args: string[], home: string, log: string, ms: number): Promise<{ killed: boolean }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: repoRoot,
      env: { ...process.env, GEX_DESK_HOME: home, GEX_DESK_WORKERS: '1' },
      stdio: 'ignore',
    });
    let exited = false;
    let timer: NodeJS.Timeout | null = null;
    const started = `"pid":${child.pid},"event":"request.accepted"`;
    const poll = setInterval(() => {
      if (!existsSync(log) || !readFileSync(log, 'utf8').includes(started)) return;
      clearInterval(poll);
      timer = setTimeout(() => {
        if (!exited) child.kill('SIGKILL');
      }, ms);
    }, 20);
    child.on('exit', (_code, signal) => {
      exited = true;
      clearInterval(poll);
      if (timer) clearTimeout(timer);
      resolve({ killed: signal === 'SIGKILL' });
    });
  });
}

const listFiles = (dir: string): string[] =>
  readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile() && d.name.endsWith('.parquet'))
    .map((d) => join(d.parentPath, d.name));

describe('SIGKILL at random moments of a load', () => {
  it(`loses no acknowledged request and writes no snapshot twice over ${KILLS} kills`, { timeout: 900_000 }, async () => {
    const { dir, db, args } = cliHome();
    const home = mkdtempSync(join(tmpdir(), 'gex-crash-home-'));
    const files: string[] = [];
    for (let i = 0; i < 160; i++) {
      const f = join(dir, `chain-${i}.${i % 2 ? 'json' : 'csv'}`);
      const opts = { seed: 500 + i, underlying: ['SPX', 'AAPL', 'QQQ'][i % 3]!, expiries: i % 10 === 0 ? 30 : 4, strikesPerExpiry: i % 10 === 0 ? 150 : 25 };
      if (i % 2) writeCboeJson(f, opts);
      else writeCboeCsv(f, opts);
      files.push(f);
    }
    const rand = rng(2024);
    let killedMidRun = 0;
    // Runs until the engine has been killed mid-run KILLS times (a run may finish before its kill).
    for (let k = 0; killedMidRun < KILLS && k < 2 * KILLS; k++) {
      // Each run submits new files and re-submits an earlier one (a duplicate), in a burst.
      const mine = files.slice(k * 4, k * 4 + 4);
      const again = k > 2 ? [files[Math.floor(rand() * k * 4)]!] : [];
      const manifest = join(dir, `part-${k}.jsonl`);
      writeFileSync(manifest, [...mine, ...again].map((file, i) => JSON.stringify({ file, at_ms: i * 150 })).join('\n'));
      const log = join(dir, 'data', 'logs', 'gex-desk.log');
      const { killed } = await killAfter(['ingest', '--manifest', manifest, '--json', ...args], home, log, Math.floor(rand() * 1500));
      if (killed) killedMidRun++;
    }
    expect(killedMidRun).toBe(KILLS);

    const drained = await runCli(['queue', '--drain', '--json', ...args], { home });
    expect(drained.stderr).toBe('');
    expect(drained.code).toBe(0);

    const instance = await DuckDBInstance.create(db);
    const conn = await instance.connect();
    const q = async <T,>(sql: string) => (await conn.runAndReadAll(sql)).getRowObjectsJS() as T[];
    try {
      const jobs = await q<{ status: string; n: number }>('SELECT status, count(*)::INT AS n FROM jobs GROUP BY status ORDER BY status');
      const acknowledged = jobs.reduce((n, r) => n + r.n, 0);
      expect(acknowledged).toBeGreaterThan(10);
      expect(jobs.filter((r) => r.status !== 'completed' && r.status !== 'duplicate')).toEqual([]);
      expect(await q('SELECT request_id FROM jobs GROUP BY request_id HAVING count(*) > 1')).toEqual([]);
      expect(await q(`SELECT id FROM jobs WHERE snapshot_id IS NULL OR snapshot_id NOT IN (SELECT id FROM gex_snapshots)`)).toEqual([]);
      expect(await q('SELECT content_hash FROM gex_snapshots GROUP BY content_hash HAVING count(*) > 1')).toEqual([]);
      const { hashes } = (await q<{ hashes: number }>('SELECT count(DISTINCT content_hash)::INT AS hashes FROM jobs'))[0]!;
      const snapshots = await q<{ id: string; parquet: string; rows: number }>(
        'SELECT s.id, s.parquet, (SELECT count(*)::INT FROM gex_strikes g WHERE g.snapshot_id = s.id) AS rows FROM gex_snapshots s',
      );
      expect(snapshots).toHaveLength(hashes);
      for (const s of snapshots) {
        const { n } = (await q<{ n: number }>(`SELECT count(*)::INT AS n FROM read_parquet('${s.parquet.replace(/'/g, "''")}')`))[0]!;
        expect(s.rows, `strike rows of ${s.id}`).toBe(n);
      }
      // Each snapshot's three exports (strikes, and beside them its expiries and its row), no
      // other: a run repeated after a kill rewrote its own files.
      const data = join(dir, 'data');
      const exports = snapshots.flatMap((s) => {
        const rel = relative(data, s.parquet);
        return [s.parquet, join(data, 'expiries', rel), join(data, 'snapshots', rel)];
      });
      expect(listFiles(data).sort()).toEqual(exports.sort());
    } finally {
      conn.closeSync();
      instance.closeSync();
    }
  });
});
