// Choosing the watched folder from the app, on the real engine with a real worker:
// inbox:get names the folders and counts what ended in done/ and failed/, an event
// follows every change, inbox:set keeps the new folder in the config file and watches
// it at once, a file still in the old processing/ is moved to the old done/ when its job
// ends (never stranded), and the browser host may not choose a folder (a path).
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InboxStatus } from '../../shared/api.ts';
import { createDispatcher } from '../../electron/host/handlers.ts';
import { cboeCsvText, makeChain } from '../fixtures/option-chains.ts';
import { startEngine } from '../../electron/engine/engine.ts';
import { startTestEngine, type TestEngine } from './engine.ts';

let te: TestEngine;
const events: InboxStatus[] = [];
const poll = <T>(fn: () => T | Promise<T>) => expect.poll(fn, { timeout: 30_000, interval: 100 });
const status = async (): Promise<InboxStatus> => {
  const r = await te.engine.handlers['inbox:get']({});
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
};
const chain = (dir: string, name: string, seed: number) =>
  writeFileSync(
    join(dir, name),
    cboeCsvText(makeChain({ seed, expiries: 2, strikesPerExpiry: 10 })),
  );

beforeAll(async () => {
  te = await startTestEngine({ workers: 1, watchInbox: true });
  te.engine.events.on('inbox:updated', (s) => events.push(s));
});
afterAll(async () => {
  await te.stop();
});

describe('the inbox from the app', () => {
  it('names its folders, counts files done and failed, and announces the changes', async () => {
    const first = await status();
    const dir = te.engine.config.inbox;
    expect(first).toEqual({
      dir,
      processing: join(dir, 'processing'),
      done: join(dir, 'done'),
      failed: join(dir, 'failed'),
      counts: { waiting: 0, processing: 0, done: 0, failed: 0 },
      refused: { count: 0, recent: [] },
      changed: { count: 0, recent: [] },
      held: null,
      problem: null,
      takes: true,
      left_behind: null,
      watching: true,
      config_file: te.engine.config.configFile,
    });
    chain(dir, 'good.csv', 1);
    writeFileSync(join(dir, 'junk.csv'), 'not an option chain\n');
    await poll(async () => (await status()).counts).toEqual({
      waiting: 0,
      processing: 0,
      done: 1,
      failed: 1,
    });
    await poll(() => events.at(-1)?.counts).toEqual({
      waiting: 0,
      processing: 0,
      done: 1,
      failed: 1,
    });
    // A folder dropped in: its files run on the real engine and are counted in their folder.
    mkdirSync(join(dir, 'batch'));
    chain(join(dir, 'batch'), 'good.csv', 4);
    writeFileSync(
      join(dir, 'batch', 'junk.csv'),
      'underlying,as_of,spot,expiry,strike,option_type,open_interest,volume,iv\n' +
        'SPX,2024-01-08T10:30:00-05:00,4700,2024-01-19,4700,C,abc,1,0.2\n',
    );
    await poll(async () => (await status()).counts).toEqual({
      waiting: 0,
      processing: 0,
      done: 2,
      failed: 2,
    });
    // The reason names the file where it lies now, not where it was read (processing/).
    const failed = join(dir, 'failed', 'batch', 'junk.csv');
    const reason = readFileSync(`${failed}.reason.txt`, 'utf8');
    expect(reason).toMatch(/^BAD_VALUE: /);
    expect(reason).toContain(`${failed}, line 2, field "open_interest"`);
    expect(reason).not.toContain('processing');
    // Then what a script reads, a "key: value" line each.
    expect(reason.split('\n').slice(1)).toEqual([
      'line: 2',
      'field: open_interest',
      expect.stringMatching(/^job: [0-9a-f-]{36}$/),
      `file: ${join('batch', 'junk.csv')}`,
      '',
    ]);
    // Each job names its file where it lies now (what `gex-desk jobs` prints), not the
    // processing/ path it was read from, which no longer exists.
    const jobFiles = async () => {
      const r = await te.engine.handlers['jobs:list']({ limit: 100 });
      if (!r.ok) throw new Error(r.error.message);
      return r.value.map((j) => j.file);
    };
    await poll(async () => (await jobFiles()).map((f) => f.slice(dir.length + 1)).sort()).toEqual(
      [
        join('done', 'good.csv'),
        join('failed', 'junk.csv'),
        join('done', 'batch', 'good.csv'),
        join('failed', 'batch', 'junk.csv'),
      ].sort(),
    );
    // Its error too, as the reason file beside it does.
    const jobs = await te.engine.handlers['jobs:list']({ limit: 100 });
    const junk = jobs.ok ? jobs.value.find((j) => j.file === failed) : undefined;
    expect(junk?.error).toMatchObject({ code: 'BAD_VALUE', file: failed, line: 2 });
    expect(junk?.error?.message).toContain(`${failed}, line 2, field "open_interest"`);
    expect(junk?.error?.message).not.toContain('processing');
    for (const f of await jobFiles()) expect(existsSync(f), f).toBe(true);
  });

  it('watches a new folder, kept in the config file, and finishes the files the old one took', async () => {
    const old = te.engine.config.inbox;
    const next = join(mkdtempSync(join(tmpdir(), 'gex-inbox-')), 'new inbox');
    // Held by a paused queue, the next file stays in the old processing/ during the change.
    await te.engine.handlers['queue:pause']({});
    chain(old, 'held.csv', 2);
    await poll(async () => (await status()).counts.processing).toBe(1);

    // A folder that already holds a file is refused (the inbox would take and move it), and
    // nothing changes, until the analyst confirms; the file then waits there until two
    // polls find it complete.
    mkdirSync(next, { recursive: true });
    chain(next, 'early.csv', 5);
    const refused = await te.engine.handlers['inbox:set']({ dir: next });
    expect(refused).toEqual({
      ok: false,
      error: {
        code: 'CONFLICT',
        field: 'take_existing',
        file: next,
        message: `${next} already holds 1 file (early.csv): as the inbox it would ingest each and move it into its done/ or failed/ folder. Choose an empty folder, or confirm that it should take them.`,
      },
    });
    expect((await status()).dir).toBe(old);
    expect(existsSync(join(next, 'processing'))).toBe(false);
    const set = await te.engine.handlers['inbox:set']({ dir: next, take_existing: true });
    if (!set.ok) throw new Error(set.error.message);
    expect(set.value).toMatchObject({
      dir: next,
      watching: true,
      counts: { waiting: 1, processing: 0, done: 0, failed: 0 },
    });
    expect(JSON.parse(readFileSync(te.engine.config.configFile, 'utf8'))).toEqual({ inbox: next });
    expect(events.at(-1)!.dir).toBe(next);
    const health = await te.engine.handlers['engine:health']({});
    expect(health.ok && health.value.inbox).toBe(next);

    await te.engine.handlers['queue:resume']({});
    await poll(() => existsSync(join(old, 'done', 'held.csv'))).toBe(true);
    expect(readdirSync(join(old, 'processing'))).toEqual([]);

    copyFileSync(join(old, 'done', 'held.csv'), join(next, 'again.csv')); // a duplicate: done
    chain(next, 'fresh.csv', 3);
    await poll(async () => (await status()).counts).toEqual({
      waiting: 0,
      processing: 0,
      done: 3,
      failed: 0,
    });
    expect(existsSync(join(old, 'again.csv'))).toBe(false);
  });

  it("is never a folder that holds GEX Desk's own files", async () => {
    const { dbPath, dataDir } = te.engine.config;
    const before = (await status()).dir;
    for (const [dir, what] of [
      [join(dbPath, '..'), `database, ${dbPath}`],
      [dataDir, `data folder (exports and staged files), ${dataDir}`],
      [join(dbPath, '..', '..'), `database, ${dbPath}`],
    ] as const) {
      // Taking what it holds is no answer either.
      const r = await te.engine.handlers['inbox:set']({ dir, take_existing: true });
      expect(r.ok ? null : r.error).toMatchObject({
        code: 'VALIDATION',
        field: 'dir',
        message: expect.stringContaining(`cannot be the inbox: it holds GEX Desk's own ${what}`),
      });
    }
    // Nor a folder in the data folder, where exports and staged files are written.
    const inData = await te.engine.handlers['inbox:set']({ dir: join(dataDir, 'underlying=SPX') });
    expect(inData.ok ? null : inData.error.message).toBe(
      `${join(dataDir, 'underlying=SPX')} cannot be the inbox: it lies in GEX Desk's own data folder (exports and staged files), ${dataDir}, whose files it would take as files dropped in. Choose a folder of its own.`,
    );
    expect((await status()).dir).toBe(before);
  });

  it('does not watch a configured folder that holds its own files, and says why', async () => {
    // config.json edited by hand: the inbox is the folder of the database itself.
    const dir = mkdtempSync(join(tmpdir(), 'gex-own-'));
    chain(dir, 'dropped.csv', 7);
    const own = await startTestEngine({
      dbPath: join(dir, 'gex.duckdb'),
      dataDir: join(dir, 'data'),
      inbox: dir,
      watchInbox: true,
    });
    try {
      const get = async () => {
        const r = await own.engine.handlers['inbox:get']({});
        if (!r.ok) throw new Error(r.error.message);
        return r.value;
      };
      expect(await get()).toMatchObject({
        dir,
        watching: false,
        problem: `${dir} cannot be the inbox: it holds GEX Desk's own database, ${join(dir, 'gex.duckdb')}, whose files it would take as files dropped in. Choose a folder of its own. Nothing is taken from it until another folder is chosen.`,
      });
      await new Promise((r) => setTimeout(r, 1500)); // polls would have taken them by now
      const left = readdirSync(dir);
      expect(left).toEqual(expect.arrayContaining(['dropped.csv', 'gex.duckdb']));
      expect(left).not.toContain('processing');
      // Another folder is watched at once.
      const next = join(dir, '..', `${basename(dir)}-inbox`);
      const set = await own.engine.handlers['inbox:set']({ dir: next });
      expect(set.ok && set.value).toMatchObject({ dir: next, watching: true, problem: null });
      chain(next, 'a.csv', 8);
      await poll(async () => (await get()).counts.done).toBe(1);
    } finally {
      await own.stop();
      for (const d of [dir, `${dir}-inbox`]) rmSync(d, { recursive: true, force: true });
    }
  });

  it('may be chosen over IPC and the local endpoint, never by the browser host', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gex-inbox-'));
    const http = await createDispatcher(te.engine.handlers, { transport: 'http' })('inbox:set', {
      dir,
    });
    expect(http).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST', field: 'dir' } });
    expect((await status()).dir).not.toBe(dir);
    for (const transport of ['ipc', 'local'] as const) {
      const r = await createDispatcher(te.engine.handlers, { transport })('inbox:set', {
        dir: join(dir, transport),
      });
      expect(r).toMatchObject({ ok: true, value: { dir: join(dir, transport), watching: true } });
    }
    const get = await createDispatcher(te.engine.handlers, { transport: 'http' })('inbox:get', {});
    expect(get).toMatchObject({ ok: true, value: { dir: join(dir, 'local') } });
  });

  it('counts what its folders hold: a refused link is a failed file, a reason note is not', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gex-inbox-'));
    const outside = mkdtempSync(join(tmpdir(), 'gex-outside-'));
    try {
      const set = await te.engine.handlers['inbox:set']({ dir });
      expect(set.ok).toBe(true);
      chain(outside, 'target.csv', 9);
      symlinkSync(join(outside, 'target.csv'), join(dir, 'link.csv'));
      symlinkSync(outside, join(dir, 'link-to-folder'));
      writeFileSync(join(dir, 'junk.csv'), 'not an option chain\n');
      chain(dir, 'notes.reason.txt', 10); // the inbox's own name: left where it is
      await poll(async () => (await status()).counts).toEqual({
        waiting: 0,
        processing: 0,
        done: 0,
        failed: 3,
      });
      expect(readdirSync(join(dir, 'failed')).sort()).toEqual([
        'junk.csv',
        'junk.csv.reason.txt',
        'link-to-folder',
        'link-to-folder.reason.txt',
        'link.csv',
        'link.csv.reason.txt',
      ]);
      expect(readdirSync(dir).sort()).toEqual(['done', 'failed', 'notes.reason.txt', 'processing']);
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });

  it('says the files left in the folder it stops watching, dropped there too late to be taken', async () => {
    const old = (await status()).dir;
    const next = mkdtempSync(join(tmpdir(), 'gex-inbox-'));
    chain(old, 'late.csv', 11); // dropped just now: complete for the inbox in 2 s only
    const set = await te.engine.handlers['inbox:set']({ dir: next });
    if (!set.ok) throw new Error(set.error.message);
    // Its notes.reason.txt (ignored) is not one of them.
    expect(set.value.left_behind).toEqual({ dir: old, count: 1 });
    expect(events.at(-1)!.left_behind).toEqual({ dir: old, count: 1 });
    await new Promise((r) => setTimeout(r, 3000)); // the old inbox would have taken it by now
    expect(existsSync(join(old, 'late.csv'))).toBe(true);
    expect((await status()).left_behind).toEqual({ dir: old, count: 1 });
    // Moved into the new folder, as the analyst is told to: taken there, and no longer said.
    renameSync(join(old, 'late.csv'), join(next, 'late.csv'));
    await poll(async () => (await status()).counts.done).toBe(1);
    expect((await status()).left_behind).toBeNull();
    expect(events.at(-1)!.left_behind).toBeNull();
  });
});

describe('an inbox changed while its files were in processing/', () => {
  it('finishes them after the app stopped and started again: they reach its done/, their jobs name them there', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gex-resume-'));
    const old = join(dir, 'old inbox');
    const next = join(dir, 'next inbox');
    const base = {
      dbPath: join(dir, 'gex.duckdb'),
      dataDir: join(dir, 'data'),
      configFile: join(dir, 'config.json'),
      workers: 1,
      watchInbox: true,
    };
    const start = async (inbox: string) => {
      const started = await startEngine({ ...base, inbox });
      if (!started.ok) throw new Error(started.error.message);
      return started.value;
    };
    const jobs = async (engine: Awaited<ReturnType<typeof start>>) => {
      const r = await engine.handlers['jobs:list']({ limit: 10 });
      if (!r.ok) throw new Error(r.error.message);
      return r.value;
    };
    let engine = await start(old);
    try {
      // Held by a paused queue, the file is in the old processing/ when the inbox changes,
      // and still there when the app stops.
      await engine.handlers['queue:pause']({});
      chain(old, 'held.csv', 7);
      await poll(async () => (await jobs(engine)).length).toBe(1);
      const set = await engine.handlers['inbox:set']({ dir: next });
      expect(set.ok).toBe(true);
      await engine.shutdown(5000);
      expect(readdirSync(join(old, 'processing'))).toEqual(['held.csv']);

      engine = await start(next);
      await engine.handlers['queue:resume']({});
      await poll(() => existsSync(join(old, 'done', 'held.csv'))).toBe(true);
      expect(readdirSync(join(old, 'processing'))).toEqual([]);
      await poll(async () => (await jobs(engine)).map((j) => [j.status, j.file])).toEqual([
        ['completed', join(old, 'done', 'held.csv')],
      ]);
    } finally {
      await engine.shutdown(5000);
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
