// A data folder the machine stops letting us write while jobs are under way, for real: a
// tmpfs remounted read-only, or filled to its last byte. Runs used to end `failed`
// (INTERNAL "the job runner threw: EROFS …", or IO after 3 attempts of a full disk), their
// inbox files in failed/ — or put back in the inbox beside a failed job still naming
// processing/, which a retry could only duplicate — and files arriving meanwhile were said
// unreadable. Now a job the machine refuses waits (queued, its reason said, attempt not
// charged) and runs once the folder can be written: one job per file, every file in done/,
// nothing failed; the refusal names the folder, never the analyst's file. A full disk
// takes only the kept bytes no retry needs: it used to take every ended job's, the one
// that had just failed for it included (a one-shot `ingest`, which does not wait), whose
// message said "free some space, then retry" while its retry was refused, its bytes gone
// and its source perhaps deleted. Needs a tmpfs mount (root, as in CI).
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statfsSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ProcessingJob } from '../../shared/domain.ts';
import { writeCboeCsv } from '../fixtures/option-chains.ts';
import { engineIn, startTestEngine, type TestEngine } from '../desktop/engine.ts';
import { mountTmpfs, remount, unmount } from './tmpfs.ts';
import { runCli } from '../cli/run-cli.ts';

const work = mkdtempSync(join(tmpdir(), 'gex-data-faults-'));
const roDisk = join(work, 'ro-disk');
const fullDisk = join(work, 'full-disk');
mkdirSync(roDisk);
mkdirSync(fullDisk);
const cliDisk = join(work, 'cli-disk');
mkdirSync(cliDisk);
const oneShotDisk = join(work, 'one-shot-disk');
mkdirSync(oneShotDisk);
const mounted =
  mountTmpfs(roDisk, '64m') &&
  mountTmpfs(fullDisk, '16m') &&
  mountTmpfs(cliDisk, '8m') &&
  mountTmpfs(oneShotDisk, '16m');
if (!mounted) console.warn('[data-folder-faults] skipped: cannot mount a tmpfs here (needs root)');

afterAll(() => {
  for (const at of [roDisk, fullDisk, cliDisk, oneShotDisk]) unmount(at);
  rmSync(work, { recursive: true, force: true });
});

const chain = (name: string, seed: number) => {
  const f = join(work, name);
  writeCboeCsv(f, { seed, expiries: 4, strikesPerExpiry: 30 });
  return f;
};

async function jobs(te: TestEngine): Promise<ProcessingJob[]> {
  const r = await te.engine.handlers['jobs:list']({ limit: 100 });
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

async function inbox(te: TestEngine) {
  const r = await te.engine.handlers['inbox:get']({});
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

/** Whether the staging area under `dataDir` holds the bytes of content `hash`. */
const staged = (dataDir: string, hash: string) =>
  readdirSync(join(dataDir, 'staging')).some((d) => existsSync(join(dataDir, 'staging', d, hash)));

/** Fills the disk under `at` to its last byte, with the file `ballast`. */
function fill(at: string, ballast: string): void {
  const { bavail, bsize } = statfsSync(at);
  writeFileSync(ballast, Buffer.alloc(Number(bavail) * Number(bsize)));
}

const drop = (te: TestEngine, names: string[], seed: number) =>
  names.forEach((n, i) =>
    writeFileSync(
      join(te.engine.config.inbox, n),
      readFileSync(chain(n, seed + i)), // a distinct chain each: none is a duplicate
    ),
  );

describe.skipIf(!mounted)('a data folder the machine stops letting us write', () => {
  it('read-only mid-run: the jobs wait with the folder named, and run once it is writable again', async () => {
    const dataDir = join(roDisk, 'data');
    const te = await startTestEngine({ watchInbox: true, dataDir });
    try {
      const dir = te.engine.config.inbox;
      drop(te, ['first.csv'], 100);
      await expect
        .poll(() => readdirSync(join(dir, 'done')), { timeout: 60_000, interval: 200 })
        .toEqual(['first.csv']);

      // Taken and staged while nothing runs; the folder goes read-only before they run.
      te.engine.scheduler!.pause();
      const staged = ['a.csv', 'b.csv', 'c.csv'];
      drop(te, staged, 200);
      await expect
        .poll(async () => (await jobs(te)).length, { timeout: 60_000, interval: 200 })
        .toBe(4);
      expect(remount(roDisk, 'ro')).toBe(true);
      te.engine.scheduler!.resume();
      // A file arriving meanwhile cannot be staged: held, the data folder named, not the file.
      drop(te, ['late.csv'], 300);

      const waiting = async () =>
        (await jobs(te)).filter((j) => j.status === 'queued' && j.error?.code === 'IO');
      await expect
        .poll(async () => (await waiting()).length, { timeout: 60_000, interval: 200 })
        .toBe(staged.length);
      for (const j of await waiting()) {
        expect(j.error).toMatchObject({ transient: true });
        expect(j.error!.message).toMatch(
          new RegExp(`^the data folder ${dataDir} is read-only|the staging folder ${roDisk}`),
        );
        // A queued job waits, and says so.
        expect(j.error!.message).toContain('nothing is lost, what waits is taken then');
        // Its file stays where its job names it.
        expect(existsSync(j.file)).toBe(true);
      }
      await expect
        .poll(async () => (await inbox(te)).held?.count ?? 0, { timeout: 60_000, interval: 200 })
        .toBe(1);
      const held = (await inbox(te)).held!;
      expect(held.reason).toContain(`the data folder ${dataDir} is read-only`);
      expect(held.reason).not.toMatch(/cannot read/);
      expect(held.reason).toContain('a file in the inbox is tried again by itself');
      expect((await jobs(te)).some((j) => j.status === 'failed')).toBe(false);
      expect(readdirSync(join(dir, 'failed'))).toEqual([]);

      expect(remount(roDisk, 'rw')).toBe(true);
      await expect
        .poll(() => readdirSync(join(dir, 'done')).sort(), { timeout: 120_000, interval: 250 })
        .toEqual(['a.csv', 'b.csv', 'c.csv', 'first.csv', 'late.csv']);
      const all = await jobs(te);
      expect(all.map((j) => j.status)).toEqual(Array(5).fill('completed'));
      expect(readdirSync(join(dir, 'failed'))).toEqual([]);
    } finally {
      remount(roDisk, 'rw');
      await te.stop();
    }
  }, 240_000);

  it('full mid-run: the jobs wait (one job per file, named where it lies), the kept bytes of a cancelled job stay, freeing space is all it takes', async () => {
    const dataDir = join(fullDisk, 'data');
    const te = await startTestEngine({ watchInbox: true, dataDir });
    const ballast = join(fullDisk, 'ballast');
    try {
      const dir = te.engine.config.inbox;
      te.engine.scheduler!.pause();
      const names = ['a.csv', 'b.csv', 'c.csv'];
      drop(te, [...names, 'cancelled.csv'], 400);
      await expect
        .poll(async () => (await jobs(te)).length, { timeout: 60_000, interval: 200 })
        .toBe(4);
      // An ended job keeps its staged bytes for a retry (keepStagedHours)…
      const cancelled = (await jobs(te)).find((j) => j.file.endsWith('cancelled.csv'))!;
      const cancel = await te.engine.handlers['jobs:cancel']({ id: cancelled.id });
      expect(cancel.ok).toBe(true);
      expect(staged(dataDir, cancelled.content_hash!)).toBe(true);
      // …and the disk filling does not take them: a retry may cure a cancelled job.
      fill(fullDisk, ballast);
      te.engine.scheduler!.resume();

      const waiting = async () =>
        (await jobs(te)).filter((j) => j.status === 'queued' && j.error?.code === 'IO');
      await expect
        .poll(async () => (await waiting()).length, { timeout: 20_000, interval: 200 })
        .toBeGreaterThan(0)
        .catch(async (e) => {
          console.log(
            JSON.stringify(
              (await jobs(te)).map((j) => [j.status, j.error]),
              null,
              1,
            ),
          );
          throw e;
        });
      for (const j of await waiting()) {
        expect(j.error).toMatchObject({ transient: true });
        expect(j.error!.message).toMatch(/the disk is full/);
        expect(existsSync(j.file)).toBe(true); // in processing/, as its job says
      }
      expect(staged(dataDir, cancelled.content_hash!)).toBe(true);
      expect((await jobs(te)).filter((j) => j.status === 'failed')).toEqual([]);

      rmSync(ballast);
      await expect
        .poll(() => readdirSync(join(dir, 'done')).sort(), { timeout: 120_000, interval: 250 })
        .toEqual(names);
      const all = await jobs(te);
      expect(all).toHaveLength(4);
      expect(all.filter((j) => j.status === 'completed')).toHaveLength(3);
      expect(readdirSync(dir).filter((n) => n.endsWith('.csv'))).toEqual([]);
      expect(staged(dataDir, cancelled.content_hash!)).toBe(true);
    } finally {
      rmSync(ballast, { force: true });
      await te.stop();
    }
  }, 240_000);

  it('full in a one-shot run: the job that failed for it keeps its bytes (only what no retry needs gives way), and its retry runs once space is freed', async () => {
    // As `gex-desk ingest` alone, then `gex-desk jobs retry`: engines that do not wait out
    // the machine's refusal (the job fails IO), one after the other on the same database.
    const dir = mkdtempSync(join(work, 'one-shot-'));
    const dataDir = join(oneShotDisk, 'data');
    let engine = await engineIn(dir, { dataDir });
    const ballast = join(oneShotDisk, 'ballast');
    const submit = async (file: string) => {
      const r = await engine.handlers['ingest:submit']({ file, source: 'desk' });
      if (!r.ok) throw new Error(r.error.message);
      return r.value;
    };
    const job = async (id: string) => {
      const r = await engine.handlers['jobs:list']({ limit: 100 });
      if (!r.ok) throw new Error(r.error.message);
      return r.value.find((j) => j.id === id)!;
    };
    /** A file arriving on the full disk cannot be staged: it asks for space (yieldSpace). */
    const lateOnFullDisk = async (name: string, seed: number) => {
      fill(oneShotDisk, `${ballast}-${name}`);
      const late = await engine.handlers['ingest:submit']({
        file: chain(name, seed),
        source: 'desk',
      });
      expect(late.ok ? late.value.error?.code : late.error.code).toBe('IO');
    };
    try {
      // A file that fails on its content (a contract twice): its bytes are kept too, for a
      // forced retry…
      const junkFile = chain('junk.csv', 599);
      const lines = readFileSync(junkFile, 'utf8').split('\n');
      lines.splice(4, 0, lines[4]!);
      writeFileSync(junkFile, lines.join('\n'));
      const junk = await submit(junkFile);
      await expect
        .poll(async () => (await job(junk.job_id!)).status, { timeout: 60_000, interval: 200 })
        .toBe('failed');
      expect((await job(junk.job_id!)).error?.code).toBe('DUPLICATE_CONTRACT');
      const junkHash = (await job(junk.job_id!)).content_hash!;
      expect(staged(dataDir, junkHash)).toBe(true);

      engine.scheduler!.pause();
      const chainFile = chain('one-shot.csv', 600);
      const ack = await submit(chainFile);
      await expect
        .poll(async () => (await job(ack.job_id!)).status, { timeout: 60_000, interval: 200 })
        .toBe('queued');
      const hash = (await job(ack.job_id!)).content_hash!;
      // Acknowledged: the analyst may delete the source now, nothing is lost.
      rmSync(chainFile);
      fill(oneShotDisk, ballast);
      engine.scheduler!.resume();

      await expect
        .poll(async () => (await job(ack.job_id!)).status, { timeout: 60_000, interval: 200 })
        .toBe('failed');
      const failed = await job(ack.job_id!);
      expect(failed.error).toMatchObject({ code: 'IO', transient: true });
      expect(failed.error!.message).toMatch(/the disk is full/);
      // What a retry can do, truthfully: it runs the copy kept, the source is not needed.
      expect(failed.error!.message).toContain(
        'free some space, then retry the job: its captured copy is kept for that (keepStagedHours, 72 h; the source file is not needed)',
      );

      // The disk gave up what no retry needs when the run waited for it…
      await expect.poll(() => staged(dataDir, junkHash), { timeout: 30_000 }).toBe(false);
      // …but never the bytes of the job that failed for the full disk, asked again…
      await lateOnFullDisk('late-1.csv', 601);
      expect(staged(dataDir, hash)).toBe(true);
      // …nor by the next command's engine, which knows them from the table.
      await engine.shutdown(5000);
      engine = await engineIn(dir, { dataDir });
      await lateOnFullDisk('late-2.csv', 602);
      expect(staged(dataDir, hash)).toBe(true);
      const kept = await engine.handlers['jobs:bytesKept']({ id: ack.job_id! });
      expect(kept.ok && kept.value.kept).toBe(true);

      for (const n of readdirSync(oneShotDisk))
        if (n.startsWith('ballast')) rmSync(join(oneShotDisk, n));
      const retried = await engine.handlers['jobs:retry']({ id: ack.job_id! });
      expect(retried.ok, retried.ok ? '' : retried.error.message).toBe(true);
      await expect
        .poll(async () => (await job(ack.job_id!)).status, { timeout: 60_000, interval: 200 })
        .toBe('completed');
    } finally {
      for (const n of readdirSync(oneShotDisk))
        if (n.startsWith('ballast')) rmSync(join(oneShotDisk, n));
      await engine.shutdown(5000);
    }
  }, 240_000);

  it('ingest with a read-only data folder: the folder is named, not the file, exit 3', async () => {
    const dataDir = join(cliDisk, 'data');
    const home = join(work, 'cli-home');
    const args = ['--db', join(work, 'cli-db', 'gex.duckdb'), '--data-dir', dataDir];
    const f = chain('cli.csv', 500);
    // The data folder made while writable (a share used before), then remounted read-only.
    expect((await runCli(['ingest', f, '--json', ...args], { home })).code).toBe(0);
    expect(remount(cliDisk, 'ro')).toBe(true);
    try {
      const r = await runCli(['ingest', chain('cli-2.csv', 501), '--json', ...args], { home });
      expect(r.code, r.stderr).toBe(3);
      expect(r.lines).toHaveLength(1);
      const error = r.lines[0]!.error as { code: string; message: string };
      expect(error.code).toBe('IO');
      expect(error.message).toContain(`the data folder ${dataDir} is read-only`);
      expect(error.message).not.toMatch(/cannot read/);
      // Refused at the door: it was not taken, and the message does not promise it will be.
      expect(error.message).toContain('the file was not taken: submit it again then');
      expect(error.message).not.toContain('what waits is taken then');
    } finally {
      remount(cliDisk, 'rw');
    }
  }, 120_000);
});
