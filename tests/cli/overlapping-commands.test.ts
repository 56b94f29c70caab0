// Commands that overlap on one database with nothing else running on it: the first opens
// it itself, and the next waits for it to end (saying so on stderr) instead of failing,
// up to GEX_DESK_LOCK_WAIT_MS. The first here is this test process, holding the database
// through the same openApi a command uses; the next is the real command.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openApi, type ApiSession } from '../../electron/host/cli/api.ts';
import { holderFile, removeHolder, writeHolder } from '../../electron/host/local/discovery.ts';
import { sayOpening } from '../../electron/host/local/opening.ts';
import { Store } from '../../electron/engine/store/db.ts';
import { writeCboeCsv } from '../fixtures/option-chains.ts';
import { repoRoot } from '../pipeline/helpers.ts';
import { BIN, runCli } from './run-cli.ts';

const savedHome = process.env.GEX_DESK_HOME;
afterEach(() => {
  if (savedHome === undefined) delete process.env.GEX_DESK_HOME;
  else process.env.GEX_DESK_HOME = savedHome;
});

/** A database with one ingested file, and a command holding it as `gex-desk jobs` would. */
async function held() {
  const dir = mkdtempSync(join(tmpdir(), 'gex-overlap-'));
  const home = join(dir, 'home');
  const db = join(dir, 'gex.duckdb');
  const file = join(dir, 'chain.csv');
  writeCboeCsv(file, { seed: 21, expiries: 2, strikesPerExpiry: 8 });
  const ingest = await runCli(['ingest', file, '--db', db], { home });
  expect(ingest.code, ingest.stderr).toBe(0);
  process.env.GEX_DESK_HOME = home;
  const opened = await openApi({ dbPath: db }, { kind: 'store' });
  if (!opened.ok) throw new Error(opened.error.message);
  return { home, db, session: opened.value as ApiSession };
}

/** The real command, its stderr watched as it runs. */
function command(args: string[], home: string, env: NodeJS.ProcessEnv = {}) {
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: repoRoot,
    env: { ...process.env, GEX_DESK_HOME: home, ...env },
  });
  let stdout = '';
  let stderr = '';
  const waiting = new Promise<void>((resolve) =>
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      if (stderr.includes('waiting for it to finish')) resolve();
    }),
  );
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  const ended = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    child.on('close', (code) => resolve({ code, stdout, stderr })),
  );
  return { child, waiting, ended };
}

describe('commands that overlap on a database', () => {
  it('wait for the one that holds it, say so, and then run', { timeout: 60_000 }, async () => {
    const { home, db, session } = await held();
    expect(existsSync(holderFile(home, db))).toBe(true);
    const next = command(['jobs', '--json', '--db', db], home);
    await next.waiting;
    await session.close();
    expect(existsSync(holderFile(home, db))).toBe(false);
    const r = await next.ended;
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(
      `the database ${db} is in use by another gex-desk command (PID ${process.pid}); waiting for it to finish…`,
    );
    expect(
      r.stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { status: string }),
    ).toEqual([expect.objectContaining({ status: 'completed' })]);
  });

  it(
    'wait for it too when their own user folder (GEX_DESK_HOME) is another: the mark beside the database names its note',
    { timeout: 60_000 },
    async () => {
      const { home, db, session } = await held();
      const elsewhere = mkdtempSync(join(tmpdir(), 'gex-script-'));
      const next = command(['jobs', '--json', '--db', db], elsewhere);
      // It used to end at once, exit 3, the database "held by another process".
      const first = await Promise.race([next.waiting.then(() => 'waiting'), next.ended]);
      expect(first).toBe('waiting');
      expect(JSON.parse(readFileSync(`${db}.holder.json`, 'utf8'))).toEqual({
        pid: process.pid,
        home,
      });
      await session.close();
      expect(existsSync(`${db}.holder.json`)).toBe(false);
      const r = await next.ended;
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toContain(
        `the database ${db} is in use by another gex-desk command (PID ${process.pid}); waiting for it to finish…`,
      );
      expect(JSON.parse(r.stdout)).toMatchObject({ status: 'completed' });
    },
  );

  it(
    "counts an ingest's wait for the database in its requests' arrival: latency and the job's submitted_at",
    { timeout: 60_000 },
    async () => {
      const { home, db, session } = await held();
      const file = join(db, '..', 'urgent.csv');
      writeCboeCsv(file, { seed: 22, expiries: 2, strikesPerExpiry: 8 });
      const given = Date.now();
      const next = command(
        ['ingest', file, '--priority', 'critical', '--justification', 'desk', '--json', '--db', db],
        home,
      );
      await next.waiting;
      const waitFrom = Date.now();
      await new Promise((r) => setTimeout(r, 1500));
      const waitTo = Date.now();
      await session.close();
      const r = await next.ended;
      expect(r.code, r.stderr).toBe(0);
      const line = JSON.parse(r.stdout) as { status: string; latency_ms: number; job_id: string };
      expect(line.status).toBe('completed');
      // The file was given to the command before it waited: its wait counts.
      expect(line.latency_ms).toBeGreaterThanOrEqual(waitTo - waitFrom);
      const jobs = await runCli(['jobs', '--json', '--db', db], { home });
      const job = jobs.lines.find((j) => j.id === line.job_id)!;
      expect(Date.parse(String(job.submitted_at))).toBeGreaterThanOrEqual(given);
      expect(Date.parse(String(job.submitted_at))).toBeLessThanOrEqual(waitFrom);
      expect(Date.parse(String(job.finished_at)) - Date.parse(String(job.submitted_at))).toBe(
        line.latency_ms,
      );
    },
  );

  it(
    'exit 3 after GEX_DESK_LOCK_WAIT_MS, naming the command that still holds it',
    { timeout: 60_000 },
    async () => {
      const { home, db, session } = await held();
      try {
        const r = await command(['jobs', '--db', db], home, { GEX_DESK_LOCK_WAIT_MS: '300' }).ended;
        expect(r.code).toBe(3);
        expect(r.stdout).toBe('');
        expect(r.stderr).toMatch(
          new RegExp(
            `DB_LOCKED: The database .* is in use by another gex-desk command \\(PID ${process.pid}, reading it since .*\\), which has not finished after 0.3 s of waiting \\(GEX_DESK_LOCK_WAIT_MS\\)`,
          ),
        );
      } finally {
        await session.close();
      }
    },
  );
});

describe('an ingest interrupted while it waits for another command', () => {
  it(
    'stops waiting at once, says its file was not submitted and exits 130; the other goes on',
    { timeout: 90_000 },
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'gex-overlap-'));
      const home = join(dir, 'home');
      const db = join(dir, 'gex.duckdb');
      const chain = (name: string, seed: number) => {
        const f = join(dir, name);
        writeCboeCsv(f, { seed, expiries: 2, strikesPerExpiry: 8 });
        return f;
      };
      const a = chain('a.csv', 31);
      const b = chain('b.csv', 32);
      // The first holds the database for its manifest's line, due 12 s after it starts.
      const manifest = join(dir, 'm.jsonl');
      writeFileSync(manifest, JSON.stringify({ file: a, at_ms: 12_000 }) + '\n');
      const first = command(['ingest', '--manifest', manifest, '--json', '--db', db], home);
      let firstEnded = false;
      void first.ended.then(() => (firstEnded = true));
      await expect.poll(() => existsSync(holderFile(home, db)), { timeout: 30_000 }).toBe(true);
      const next = command(['ingest', b, '--json', '--db', db], home);
      await next.waiting;
      next.child.kill('SIGINT');
      const r = await next.ended;
      // At once: while the first still holds the database, not once it lets it go. (A bound
      // of 2 s from the signal measured the machine: a loaded one's exit can take longer.)
      expect(firstEnded, 'the interrupted ingest waited for the database').toBe(false);
      expect(r.code, r.stderr).toBe(130);
      expect(r.stdout).toBe('');
      expect(r.stderr).toContain('gex-desk: interrupted. 1 file was not submitted.');
      const done = await first.ended;
      expect(done.code, done.stderr).toBe(0);
      expect(JSON.parse(done.stdout)).toMatchObject({ file: a, status: 'completed' });
      const jobs = await runCli(['jobs', '--json', '--db', db], { home });
      expect(jobs.lines.map((j) => j.file)).toEqual([a]);
    },
  );
});

describe('a command that runs jobs', () => {
  it('notes that it holds the database as soon as it is its own, before the rest of its start', async () => {
    // Its start reads the queue, the rules and the snapshots: seconds with thousands of jobs
    // queued. Noted only after it, a command that came meanwhile found the database locked by
    // a process with no note, and failed at once instead of waiting (`serve` restarted
    // beside a script's ingest: DB_LOCKED, exit 3).
    const dir = mkdtempSync(join(tmpdir(), 'gex-overlap-'));
    const home = join(dir, 'home');
    const db = join(dir, 'gex.duckdb');
    const file = join(dir, 'chain.csv');
    writeCboeCsv(file, { seed: 23, expiries: 2, strikesPerExpiry: 8 });
    expect((await runCli(['ingest', file, '--db', db], { home })).code).toBe(0);
    const log = join(dir, 'data', 'logs', 'gex-desk.log');
    const startsBefore = readFileSync(log, 'utf8').split('engine.started').length;
    const drain = command(['queue', '--drain', '--db', db], home);
    const note = holderFile(home, db);
    let notedFirst: boolean | null = null;
    while (notedFirst === null) {
      // Read the log first: a note seen after it was there before the line.
      const started = readFileSync(log, 'utf8').split('engine.started').length > startsBefore;
      if (existsSync(note)) notedFirst = true;
      else if (started) notedFirst = false;
      else await new Promise((r) => setTimeout(r, 1));
    }
    expect((await drain.ended).code).toBe(0);
    expect(notedFirst, 'noted before the engine said it had started').toBe(true);
  });
});

describe('a database locked a moment ago by a command not yet noted', () => {
  it('is waited for once the note appears, within a grace', { timeout: 60_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gex-overlap-'));
    const home = join(dir, 'home');
    const db = join(dir, 'gex.duckdb');
    // This process opens the database as a command does — saying first that it opens it
    // (opening.ts) — and notes it only 1.5 s later: after the next command found it locked
    // (without that word, or a note, it fails at once), within its grace.
    const unsay = sayOpening(home, db, 'command');
    const opened = await Store.open(db);
    if (!opened.ok) throw new Error(opened.error.message);
    const next = command(['jobs', '--json', '--db', db], home);
    await new Promise((r) => setTimeout(r, 1500));
    writeHolder(holderFile(home, db), {
      pid: process.pid,
      kind: 'store',
      started_at: new Date().toISOString(),
    });
    unsay();
    await Promise.race([next.waiting, next.ended]); // ended: it did not wait
    await opened.value.close();
    removeHolder(holderFile(home, db), process.pid);
    const r = await next.ended;
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('waiting for it to finish');
  });
});
