// Ctrl-C in a terminal reaches the whole process group: the command and its pipeline
// workers (so do a service manager's SIGTERM and a dropped terminal's SIGHUP). The command stops as the app does (its running jobs finish, the rest stay
// queued); a worker must not die of it, or its task counts as a crash on the file's
// content and charges an attempt — three Ctrl-Cs, and a healthy file was set aside as a
// poison file. `ingest` and `queue --drain` (each with an engine of its own) are run in
// a process group of their own and sent SIGINT as a terminal sends it, once a small
// file's Parquet shows that a big file, started beside it, is mid-run.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it, onTestFinished } from 'vitest';
import { writeCboeCsv } from '../fixtures/option-chains.ts';
import { cleanUp, newHome, runCommand, startCommand, type Home } from './bursts/command.ts';
import { parquetFiles } from './bursts/observe.ts';

/** Resolves once `test` holds (polled every 10 ms), or `false` when the process has exited first. */
function when(test: () => boolean, exited: Promise<unknown>): Promise<boolean> {
  return new Promise((resolve) => {
    const poll = setInterval(() => {
      if (!test()) return;
      clearInterval(poll);
      resolve(true);
    }, 10);
    void exited.then(() => {
      clearInterval(poll);
      resolve(false);
    });
  });
}

/** What the database holds of the jobs and their trail, once no command holds it. */
async function stored(home: Home) {
  const instance = await DuckDBInstance.create(home.db, { access_mode: 'READ_ONLY' });
  const conn = await instance.connect();
  try {
    const q = async <T>(sql: string) => (await conn.runAndReadAll(sql)).getRowObjectsJS() as T[];
    return {
      jobs: await q<{ status: string; crashes: number; attempts: number }>(
        'SELECT status, coalesce(crashes, 0)::INTEGER AS crashes, attempts::INTEGER AS attempts FROM jobs ORDER BY seq',
      ),
      files: await q<{ file: string; status: string }>(
        'SELECT file, status FROM jobs ORDER BY seq',
      ),
      crashed: await q<{ explanation: string }>(
        `SELECT explanation FROM audit_log WHERE explanation LIKE '%WORKER_CRASHED%'`,
      ),
    };
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}

/** A big chain (seconds of work) and a small one, in a new home. */
function place(name: string): { home: Home; big: string; small: string } {
  const home = newHome(`gex-interrupt-${name}-`);
  onTestFinished(cleanUp(home));
  const big = join(home.dir, 'big.csv');
  const small = join(home.dir, 'small.csv');
  writeCboeCsv(big, { seed: 61, expiries: 250, strikesPerExpiry: 1000 });
  writeCboeCsv(small, { seed: 62, expiries: 4, strikesPerExpiry: 40 });
  return { home, big, small };
}

/** Starts `args` in a group of its own; `signal` to the group once a first Parquet file appears. */
async function interruptedMidRun(home: Home, args: string[], signal: NodeJS.Signals = 'SIGINT') {
  const run = startCommand(home, args, { group: true });
  const before = new Set(parquetFiles(home.dataDir));
  const seen = await when(() => parquetFiles(home.dataDir).some((p) => !before.has(p)), run.exited);
  expect(seen, 'a first snapshot before the command ended').toBe(true);
  process.kill(-run.child.pid!, signal);
  return run.exited;
}

describe('stop signals to the process group: Ctrl-C, a service manager, a terminal gone', () => {
  it(
    'ingest stops as the app does: the big file running beside finishes, no crash is counted',
    { timeout: 120_000 },
    async () => {
      const { home, big, small } = place('ingest');
      const r = await interruptedMidRun(home, ['ingest', big, small, '--workers', '2']);
      expect(r.code, r.stderr).toBe(130);
      expect(r.stderr).toContain('gex-desk: interrupted.');
      const { jobs, crashed } = await stored(home);
      expect(crashed).toEqual([]);
      expect(jobs).toEqual([
        { status: 'completed', crashes: 0, attempts: 1 },
        { status: 'completed', crashes: 0, attempts: 1 },
      ]);
    },
  );

  it(
    'ingest interrupted while a job runs: the line of each request that ended during the stop, and only those left queued counted',
    { timeout: 120_000 },
    async () => {
      const { home, big, small } = place('lines');
      const given = [big, small];
      const r = await interruptedMidRun(home, ['ingest', ...given, '--workers', '2', '--json']);
      expect(r.code, r.stderr).toBe(130);
      const jobs = (await stored(home)).files;
      // The big file, mid-run at the signal, finished during the stop: its line is printed.
      expect(jobs.find((j) => j.file === big)?.status).toBe('completed');
      const ended = jobs.filter((j) => j.status !== 'queued');
      expect(
        r.lines.map((l) => [l.file, l.status]),
        r.stderr,
      ).toEqual(given.flatMap((f) => ended.filter((j) => j.file === f).map((j) => [f, j.status])));
      const queued = jobs.filter((j) => j.status === 'queued').length;
      const said = Number(
        /(\d+) requests? submitted had not ended: they stay queued/.exec(r.stderr)?.[1] ?? 0,
      );
      expect(said, r.stderr).toBe(queued);
    },
  );

  it(
    'ingest interrupted while its engine starts: said once it has, every file accounted for',
    { timeout: 120_000 },
    async () => {
      const home = newHome('gex-interrupt-early-');
      onTestFinished(cleanUp(home));
      const files = [1, 2, 3].map((i) => {
        const f = join(home.dir, `early-${i}.csv`);
        writeCboeCsv(f, { seed: 70 + i, expiries: 3, strikesPerExpiry: 20 });
        return f;
      });
      const run = startCommand(home, ['ingest', ...files], { group: true });
      // The database appears as the engine begins to open it.
      expect(await when(() => existsSync(home.db), run.exited)).toBe(true);
      process.kill(-run.child.pid!, 'SIGINT');
      const r = await run.exited;
      expect(r.code, r.stderr).toBe(130);
      expect(r.stderr).toMatch(/^gex-desk: interrupted\./);
      const unsent = Number(/(\d+) files? w(?:as|ere) not submitted/.exec(r.stderr)?.[1] ?? 0);
      const { jobs, crashed } = await stored(home);
      expect(crashed).toEqual([]);
      expect(jobs.length + unsent).toBe(files.length);
    },
  );

  it.each([
    ['SIGTERM', 'a service manager stopping it'],
    ['SIGHUP', 'its terminal gone: an ssh session dropped'],
  ] as const)(
    '%s to the whole group (%s): the job its worker ran goes back to the queue, uncharged, no crash',
    { timeout: 120_000 },
    async (signal, _why) => {
      const { home, big, small } = place(signal);
      const r = await interruptedMidRun(home, ['ingest', big, small, '--workers', '2'], signal);
      expect(r.code, r.stderr).toBe(130);
      expect(r.stderr).toContain('gex-desk: interrupted.');
      const { jobs, crashed } = await stored(home);
      expect(crashed).toEqual([]);
      expect(jobs.map((j) => j.crashes)).toEqual([0, 0]);
      // The next engine runs what was stopped, as its first attempt.
      const drained = await runCommand(home, ['queue', '--drain', '--json']);
      expect(drained.code, drained.stderr).toBe(0);
      expect((await stored(home)).jobs).toEqual([
        { status: 'completed', crashes: 0, attempts: 1 },
        { status: 'completed', crashes: 0, attempts: 1 },
      ]);
    },
  );

  it(
    'queue --drain stops as the app does: what runs finishes, the rest stays queued, nothing else is said',
    { timeout: 120_000 },
    async () => {
      const { home, big, small } = place('drain');
      // Two requests stored and not run (or the small one run): their command killed once
      // both were acknowledged.
      const ingest = startCommand(home, ['ingest', big, small], { group: true });
      const acknowledged = await when(() => {
        ingest.log.poll();
        return ingest.log.of(ingest.child.pid, 'request.accepted').length >= 2;
      }, ingest.exited);
      expect(acknowledged).toBe(true);
      process.kill(-ingest.child.pid!, 'SIGKILL');
      await ingest.exited;

      const r = await interruptedMidRun(home, ['queue', '--drain', '--workers', '2']);
      expect(r.code, r.stderr).toBe(130);
      expect(r.stderr).toMatch(
        /^gex-desk: draining [12] jobs? \(\d waiting, \d running\); it ends once none is left\ngex-desk: interrupted\. The jobs not run stay queued, nothing is lost: .*\n$/,
      );
      const { jobs, crashed } = await stored(home);
      expect(crashed).toEqual([]);
      expect(jobs.map((j) => [j.status, j.crashes])).toEqual([
        ['completed', 0],
        ['completed', 0],
      ]);
      // A later drain has nothing left.
      const again = await runCommand(home, ['queue', '--drain', '--json']);
      expect(again.code, again.stderr).toBe(0);
      expect(again.stderr).toBe('');
    },
  );
});
