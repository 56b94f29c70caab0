// The watched inbox against a real folder, a real DuckDB file and a real scheduler on
// child processes. The file's text is the sleepy worker's action (the test double of
// the pipeline's work); `submit` inserts and enqueues a job the way the engine's
// submit flow does, rejects files named reject-*, refuses files named full-* for a
// full disk (transient) the first two times, and ends files named dup-* (a stored
// content) and unreadable-* (a job stored as failed) at submission, as the engine does.
import {
  appendFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { spawnSync } from 'node:child_process';
import { basename, join, relative } from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { SubmitAck } from '../../shared/api.ts';
import type { ProcessingJob } from '../../shared/domain.ts';
import { err, ok, type Result } from '../../shared/result.ts';
import { countUnder, waitingFiles } from '../../electron/engine/intake/inbox-folder.ts';
import { Inbox } from '../../electron/engine/intake/inbox.ts';
import { InboxControl } from '../../electron/engine/intake/inbox-control.ts';
import { EngineEvents } from '../../electron/engine/events.ts';
import { createLogger, type Logger } from '../../electron/engine/log.ts';
import { getJob, insertJob, latestJobOfFile } from '../../electron/engine/jobs/repository.ts';
import { Scheduler } from '../../electron/engine/jobs/scheduler.ts';
import type { Store } from '../../electron/engine/store/db.ts';
import { cleanupDirs, openStore, sleepyPool, tempDir, testRunJob, until } from './helpers.ts';

const teardown: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const t of teardown.splice(0).reverse()) await t();
  cleanupDirs();
});

async function setup(
  opts: {
    holdMs?: number;
    quietMs?: number;
    log?: Logger;
    onSettled?: (jobId: string, file: string) => Promise<void>;
    onMoved?: () => void;
    clock?: () => number;
  } = {},
) {
  const root = tempDir();
  const store = await openStore(join(root, 'gex.duckdb'));
  const pool = sleepyPool({ size: 1, spare: 0 });
  const scheduler = new Scheduler({
    store,
    pool,
    runJob: (job, ctx) =>
      testRunJob(store)({ ...job, file: readFileSync(job.file, 'utf8').trim() }, ctx),
  });
  await scheduler.start();
  const submitted: string[] = [];
  const refusals = new Map<string, number>();
  /** What the file of each job ended at submission held when it was submitted. */
  const contents = new Map<string, string>();
  const submit = async (file: string): Promise<Result<SubmitAck>> => {
    submitted.push(file);
    const request_id = randomUUID();
    const refused = refusals.get(basename(file)) ?? 0;
    if (basename(file).startsWith('full-') && refused < 2) {
      refusals.set(basename(file), refused + 1);
      return err('IO', `${file}: the disk is full: the staging area could not write`, {
        file,
        transient: true,
      });
    }
    const ended = basename(file).match(/^(dup|unreadable)-/)?.[1];
    if (ended) {
      const job_id = randomUUID();
      contents.set(job_id, readFileSync(file, 'utf8'));
      return ok({
        request_id,
        job_id,
        status: ended === 'dup' ? 'duplicate' : 'failed',
        decision: null,
        snapshot_id: null,
        error:
          ended === 'dup' ? null : { code: 'UNKNOWN_FORMAT', message: `${file} is not a chain` },
      });
    }
    if (basename(file).startsWith('reject-'))
      return ok({
        request_id,
        job_id: null,
        status: 'rejected',
        decision: null,
        snapshot_id: null,
        error: { code: 'INVALID_FACT', message: 'as_of is in the future', fact: 'as_of' },
      });
    const id = randomUUID();
    await store.transaction((tx) =>
      insertJob(tx, {
        id,
        request_id,
        file,
        source: 'inbox',
        underlying: null,
        content_hash: null,
        priority: 'HIGH',
        rule: 'G3',
        rule_version: 1,
        submitted_at: new Date().toISOString(),
      }),
    );
    await scheduler.enqueue(id);
    return ok({
      request_id,
      job_id: id,
      status: 'queued',
      decision: null,
      snapshot_id: null,
      error: null,
    });
  };
  const dir = join(root, 'inbox');
  const inbox = new Inbox({
    dir,
    submit,
    pollMs: 60_000,
    // Polled by hand here, two polls in a row: the quiet period is its own test.
    quietMs: opts.quietMs ?? 0,
    holdMs: opts.holdMs,
    log: opts.log,
    onSettled: opts.onSettled,
    onMoved: opts.onMoved,
    findJob: async () => undefined,
    clock: opts.clock,
  });
  scheduler.events.on('job:updated', (j) => inbox.onJobUpdated(j));
  await inbox.start();
  teardown.push(async () => {
    await inbox.stop();
    await scheduler.shutdown(0);
    await store.close();
  });
  return { dir, inbox, scheduler, store, submit, submitted, contents };
}

const ls = (d: string) => (existsSync(d) ? readdirSync(d).sort() : []);

/**
 * A second inbox on the same folder, as after a restart, with job `id` recovered: it must
 * settle what lies in processing/ once the job ends, and submit nothing. The files settled.
 */
async function restartedInbox(
  t: { dir: string; scheduler: Scheduler; store: Store },
  id: string,
): Promise<string[]> {
  const settled: string[] = [];
  const again = new Inbox({
    dir: t.dir,
    submit: async () => {
      throw new Error('must not resubmit');
    },
    pollMs: 60_000,
    quietMs: 0,
    findJob: (file) => getJob(t.store, id).then((j) => (j && j.file === file ? j : undefined)),
    onSettled: (_job, file) => void settled.push(file),
  });
  t.scheduler.events.on('job:updated', (j) => again.onJobUpdated(j));
  await again.start();
  await t.scheduler.enqueue(id);
  await t.scheduler.drain();
  await until(() => ls(join(t.dir, 'processing')).length === 0);
  await again.stop();
  return settled;
}

/** A file a previous run left in processing/, with its job (queued): the job's id. */
async function leftInProcessing(store: Store, dir: string, name: string): Promise<string> {
  const file = join(dir, 'processing', name);
  writeFileSync(file, 'sleep:0');
  const id = randomUUID();
  await store.transaction((tx) =>
    insertJob(tx, {
      id,
      request_id: 'r',
      file,
      source: 'inbox',
      underlying: null,
      content_hash: null,
      priority: 'LOW',
      rule: 'G3',
      rule_version: 1,
      submitted_at: new Date().toISOString(),
    }),
  );
  return id;
}

describe('Inbox', () => {
  it('submits a file only once its size and mtime held still over two polls', async () => {
    const { dir, inbox, submitted, scheduler } = await setup();
    const file = join(dir, 'spx.csv');
    writeFileSync(file, 'sleep:');
    await inbox.poll();
    expect(submitted).toEqual([]); // first sight
    appendFileSync(file, '0');
    await inbox.poll();
    expect(submitted).toEqual([]); // it changed
    await inbox.poll();
    expect(submitted).toEqual([join(dir, 'processing', 'spx.csv')]);
    await inbox.poll();
    expect(submitted).toHaveLength(1); // never twice
    await scheduler.drain();
    await until(() => ls(join(dir, 'done')).length === 1);
    expect(ls(join(dir, 'done'))).toEqual(['spx.csv']);
    expect(ls(dir)).toEqual(['done', 'failed', 'processing']);
  });

  it('waits out a writer that pauses between its pieces: a file still for less than the quiet period is not taken', async () => {
    // The inbox's clock is the test's: real waits of 400 and 300 ms came out 200 ms longer
    // on a loaded machine, past the quiet period, and the file was taken early.
    let now = Date.now();
    const { dir, inbox, submitted } = await setup({ quietMs: 600, clock: () => now });
    const file = join(dir, 'slow.csv');
    writeFileSync(file, 'first rows\n');
    await inbox.poll();
    // The writer pauses 400 ms: two polls see the same size and mtime, as before.
    now += 400;
    await inbox.poll();
    expect(submitted).toEqual([]); // taken here before: half written
    appendFileSync(file, 'the rest\n');
    await inbox.poll();
    now += 300;
    await inbox.poll();
    expect(submitted).toEqual([]); // still for 300 ms only
    now += 300;
    await inbox.poll();
    expect(submitted).toEqual([join(dir, 'processing', 'slow.csv')]);
    expect(readFileSync(submitted[0]!, 'utf8')).toBe('first rows\nthe rest\n');
  });

  it("writes where a job's file goes before it moves there: a crash between never leaves a job naming processing/", async () => {
    const told: { file: string; stillInProcessing: boolean }[] = [];
    const { dir, inbox, scheduler } = await setup({
      onSettled: async (_job, file) => {
        await new Promise((r) => setTimeout(r, 50)); // a store's write
        told.push({ file, stillInProcessing: existsSync(join(dir, 'processing', 'spx.csv')) });
      },
    });
    writeFileSync(join(dir, 'spx.csv'), 'sleep:0');
    await inbox.poll();
    await inbox.poll();
    await scheduler.drain();
    await until(() => ls(join(dir, 'done')).length === 1);
    expect(told).toEqual([{ file: join(dir, 'done', 'spx.csv'), stillInProcessing: true }]);
    expect(ls(join(dir, 'processing'))).toEqual([]);
    expect(inbox.pendingCount).toBe(0);
  });

  it('ignores dotfiles, partial downloads, *.tmp, lock files and reason notes until they are renamed', async () => {
    const { dir, inbox, submitted } = await setup();
    for (const name of [
      '.hidden.csv',
      'big.csv.part',
      'x.tmp',
      'spx.csv.crdownload',
      'spx.csv.partial',
      'spx.csv.download',
      '~$book.xlsx',
      'Thumbs.db',
      'desktop.ini',
      'notes.reason.txt', // the inbox's own name (a failed/ folder dropped in again brings its notes)
      'spx.csv~', // an editor's backup
      '#spx.csv#', // an editor's autosave
    ])
      writeFileSync(join(dir, name), 'sleep:0');
    mkdirSync(join(dir, 'sub'));
    writeFileSync(join(dir, 'sub', 'a.csv.reason.txt'), 'sleep:0');
    await inbox.poll();
    await inbox.poll();
    expect(submitted).toEqual([]);
  });

  it('says the files dropped more than 8 folders deep, which it does not take', async () => {
    const { dir, inbox, submitted } = await setup();
    const eight = join(dir, 'd1', 'd2', 'd3', 'd4', 'd5', 'd6', 'd7', 'd8');
    mkdirSync(join(eight, 'd9'), { recursive: true });
    writeFileSync(join(eight, 'ok.csv'), 'sleep:0');
    writeFileSync(join(eight, 'd9', 'deep.csv'), 'sleep:0');
    writeFileSync(join(eight, 'd9', 'deeper.csv'), 'sleep:0');
    await inbox.poll();
    await inbox.poll();
    expect(submitted).toEqual([join(dir, 'processing', relative(dir, eight), 'ok.csv')]);
    expect(inbox.problem).toBe(
      `2 files lie more than 8 folders deep in the inbox ${dir} (in ${join(eight, 'd9')}, …) and will not be taken: the inbox looks 8 folders deep at most. Move them up into a shallower folder.`,
    );
    rmSync(join(eight, 'd9'), { recursive: true });
    await inbox.poll();
    expect(inbox.problem).toBeNull();
  });

  it('waits for a browser download: the name it reserves beside its *.part is not taken until renamed over', async () => {
    const { dir, inbox, submitted } = await setup();
    // Firefox: an empty file under the final name, the download into <name>.part.
    writeFileSync(join(dir, 'ff.csv'), '');
    writeFileSync(join(dir, 'ff.csv.part'), 'sleep:0');
    mkdirSync(join(dir, 'sub'));
    writeFileSync(join(dir, 'sub', 'ch.csv'), '');
    writeFileSync(join(dir, 'sub', 'ch.csv.crdownload'), 'sleep:0');
    await inbox.poll();
    await inbox.poll();
    expect(submitted).toEqual([]);
    renameSync(join(dir, 'ff.csv.part'), join(dir, 'ff.csv'));
    await inbox.poll();
    await inbox.poll();
    expect(submitted).toEqual([join(dir, 'processing', 'ff.csv')]);
  });

  it('takes the files of a folder dropped in, each once complete, and keeps their folders', async () => {
    const { dir, inbox, scheduler, submitted } = await setup();
    mkdirSync(join(dir, 'batch', 'deeper'), { recursive: true });
    mkdirSync(join(dir, 'batch', 'done'));
    writeFileSync(join(dir, 'a.csv'), 'sleep:0');
    writeFileSync(join(dir, 'batch', 'a.csv'), 'sleep:0');
    writeFileSync(join(dir, 'batch', 'done', 'c.csv'), 'sleep:0');
    writeFileSync(join(dir, 'batch', 'deeper', 'b.csv'), 'fail:BAD_VALUE');
    writeFileSync(join(dir, 'batch', 'big.csv.part'), 'sleep:0');
    writeFileSync(join(dir, 'batch', '.hidden.csv'), 'sleep:0');
    await inbox.poll();
    expect(submitted).toEqual([]); // first sight, in a folder too
    await inbox.poll();
    const p = (...names: string[]) => join(dir, 'processing', ...names);
    expect(submitted.sort()).toEqual(
      [
        p('a.csv'),
        p('batch', 'a.csv'),
        p('batch', 'deeper', 'b.csv'),
        p('batch', 'done', 'c.csv'),
      ].sort(),
    );
    await scheduler.drain();
    await until(() => !existsSync(p('batch', 'deeper', 'b.csv')) && !existsSync(p('a.csv')));
    await until(() => ls(join(dir, 'done', 'batch')).length === 2);
    expect(ls(join(dir, 'done'))).toEqual(['a.csv', 'batch']);
    expect(ls(join(dir, 'done', 'batch'))).toEqual(['a.csv', 'done']);
    expect(ls(join(dir, 'done', 'batch', 'done'))).toEqual(['c.csv']);
    expect(ls(join(dir, 'failed', 'batch', 'deeper'))).toEqual(['b.csv', 'b.csv.reason.txt']);
    expect(
      readFileSync(join(dir, 'failed', 'batch', 'deeper', 'b.csv.reason.txt'), 'utf8'),
    ).toContain(`file: ${join('batch', 'deeper', 'b.csv')}\n`);
    expect(ls(join(dir, 'processing'))).toEqual([]); // its emptied folders there are removed
    // What is not taken yet stays where it was dropped; the emptied folders are left.
    expect(ls(join(dir, 'batch'))).toEqual(['.hidden.csv', 'big.csv.part', 'deeper', 'done']);
    expect(ls(join(dir, 'batch', 'deeper'))).toEqual([]);
  });

  it('moves failed jobs and rejected requests to failed/ with a reason, and never overwrites a name', async () => {
    const { dir, inbox, scheduler } = await setup();
    writeFileSync(join(dir, 'done', 'a.csv'), 'an older a.csv');
    writeFileSync(join(dir, 'a.csv'), 'sleep:0');
    writeFileSync(join(dir, 'bad.csv'), 'fail:BAD_VALUE');
    writeFileSync(join(dir, 'reject-1.csv'), 'sleep:0');
    await inbox.poll();
    await inbox.poll();
    await scheduler.drain();
    await until(() => ls(join(dir, 'processing')).length === 0);
    expect(ls(join(dir, 'done'))).toEqual(['a-1.csv', 'a.csv']);
    expect(readFileSync(join(dir, 'done', 'a.csv'), 'utf8')).toBe('an older a.csv');
    expect(ls(join(dir, 'failed'))).toEqual([
      'bad.csv',
      'bad.csv.reason.txt',
      'reject-1.csv',
      'reject-1.csv.reason.txt',
    ]);
    expect(readFileSync(join(dir, 'failed', 'bad.csv.reason.txt'), 'utf8')).toMatch(
      /^BAD_VALUE: asked to fail[^\n]*\njob: [0-9a-f-]{36}\nfile: bad.csv\n$/,
    );
    expect(readFileSync(join(dir, 'failed', 'reject-1.csv.reason.txt'), 'utf8')).toMatch(
      /^INVALID_FACT: as_of is in the future/,
    );
  });

  it('never has a failed file without its note: a kill at any point leaves the file where it was, or beside its note', async () => {
    const bare: string[] = [];
    // Told right after each move: what lies in failed/ then is what a kill there leaves.
    const { dir, inbox, scheduler } = await setup({
      onMoved: () => {
        for (const f of ls(failed))
          if (!f.endsWith('.reason.txt') && !existsSync(join(failed, `${f}.reason.txt`)))
            bare.push(f);
      },
    });
    const failed = join(dir, 'failed');
    writeFileSync(join(dir, 'bad.csv'), 'fail:BAD_VALUE');
    writeFileSync(join(dir, 'reject-1.csv'), 'sleep:0');
    symlinkSync(join(dir, 'bad.csv'), join(dir, 'link.csv'));
    await inbox.poll();
    await inbox.poll();
    await scheduler.drain();
    await until(() => ls(join(dir, 'processing')).length === 0 && ls(failed).length === 6);
    expect(bare).toEqual([]);
    expect(ls(failed)).toEqual([
      'bad.csv',
      'bad.csv.reason.txt',
      'link.csv',
      'link.csv.reason.txt',
      'reject-1.csv',
      'reject-1.csv.reason.txt',
    ]);
  });

  it('settles a file killed between its note and its move at the next start: the note is written anew beside it', async () => {
    const t = await setup();
    await t.inbox.stop();
    const failed = join(t.dir, 'failed');
    // What a kill between the two left: the file still in processing/, its note in failed/.
    writeFileSync(join(t.dir, 'processing', 'x.csv'), 'fail:BAD_VALUE');
    const before =
      'BAD_VALUE: asked to fail\njob: 00000000-0000-4000-8000-000000000000\nfile: x.csv\n';
    writeFileSync(join(failed, 'x.csv.reason.txt'), before);
    // A note is no failed file, nor a file to take.
    expect(countUnder(failed, true)).toBe(0);
    expect(waitingFiles(t.dir)).toEqual([]);

    const again = new Inbox({
      dir: t.dir,
      submit: t.submit,
      pollMs: 60_000,
      quietMs: 0,
      findJob: (file) => latestJobOfFile(t.store, file),
    });
    t.scheduler.events.on('job:updated', (j) => again.onJobUpdated(j));
    await again.start();
    await t.scheduler.drain();
    await until(() => ls(join(t.dir, 'processing')).length === 0);
    await again.stop();
    expect(ls(failed)).toEqual(['x.csv', 'x.csv.reason.txt']);
    const note = readFileSync(join(failed, 'x.csv.reason.txt'), 'utf8');
    expect(note).toMatch(/^BAD_VALUE: asked to fail[^\n]*\njob: [0-9a-f-]{36}\nfile: x.csv\n$/);
    expect(note).not.toBe(before); // the job that failed it now
    expect(countUnder(failed, true)).toBe(1);
  });

  it('never gives two files that end together one name: each keeps its own, named by its job and its reason', async () => {
    const settled = new Map<string, string>();
    const { dir, inbox, contents } = await setup({
      onSettled: async (job, file) => {
        await new Promise((r) => setTimeout(r, 50)); // a store's write, while the other ends
        settled.set(job, file);
      },
    });
    // Each first name is taken, so each file's next free name is the other's own.
    writeFileSync(join(dir, 'done', 'dup-y1.csv'), 'an older dup-y1.csv');
    writeFileSync(join(dir, 'failed', 'unreadable-z.csv'), 'an older unreadable-z.csv');
    for (const name of ['dup-y1.csv', 'dup-y1-1.csv', 'unreadable-z.csv', 'unreadable-z-1.csv'])
      writeFileSync(join(dir, name), `dropped as ${name}`);
    await inbox.poll();
    await inbox.poll(); // all four taken in one poll, all four ended at submission
    await until(() => settled.size === 4 && ls(join(dir, 'processing')).length === 0);
    expect(ls(join(dir, 'done'))).toEqual(['dup-y1-1.csv', 'dup-y1-2.csv', 'dup-y1.csv']);
    expect(ls(join(dir, 'failed'))).toEqual([
      'unreadable-z-1.csv',
      'unreadable-z-1.csv.reason.txt',
      'unreadable-z-2.csv',
      'unreadable-z-2.csv.reason.txt',
      'unreadable-z.csv',
    ]);
    expect(new Set(settled.values()).size).toBe(4);
    let renames = 0;
    for (const [job, file] of settled) {
      expect(readFileSync(file, 'utf8')).toBe(contents.get(job));
      if (!file.includes(`${join(dir, 'failed')}`)) continue;
      // Its reason names it where it lies now, as its job does, and the name it came in
      // with when that is not its name in failed/.
      const reason = readFileSync(`${file}.reason.txt`, 'utf8');
      const dropped = readFileSync(file, 'utf8').replace('dropped as ', '');
      const renamed = dropped === basename(file) ? '' : `dropped_as: ${dropped}\n`;
      expect(reason).toBe(
        `UNKNOWN_FORMAT: ${file} is not a chain\njob: ${job}\nfile: ${basename(file)}\n${renamed}`,
      );
      renames += renamed ? 1 : 0;
    }
    expect(renames).toBeGreaterThan(0); // unreadable-z.csv's own name was taken
  });

  it('keeps a file refused for a full disk in the inbox, held, and tries it again after a wait that doubles', async () => {
    const holdMs = 1000;
    const { dir, inbox, scheduler, submitted } = await setup({ holdMs });
    writeFileSync(join(dir, 'full-1.csv'), 'sleep:0');
    const taken = join(dir, 'processing', 'full-1.csv');
    const heldFor = async (): Promise<number> => {
      const from = Date.now();
      await until(() => existsSync(join(dir, 'full-1.csv')));
      // Back in the inbox, held: polls meanwhile leave it there.
      const tries = submitted.length;
      await inbox.poll();
      await inbox.poll();
      if (Date.now() - from < holdMs) expect(submitted).toHaveLength(tries);
      expect(inbox.held()).toMatchObject({ count: 1 });
      expect(inbox.held()!.reason).toBe(
        `${join(dir, 'full-1.csv')}: the disk is full: the staging area could not write`,
      );
      while (submitted.length === tries) {
        await new Promise((r) => setTimeout(r, 50));
        await inbox.poll();
      }
      return Date.now() - from;
    };
    await inbox.poll();
    await inbox.poll();
    expect(submitted).toEqual([taken]);
    expect(await heldFor()).toBeGreaterThanOrEqual(holdMs - 50);
    expect(await heldFor()).toBeGreaterThanOrEqual(2 * holdMs - 50);
    expect(submitted).toEqual([taken, taken, taken]);
    await scheduler.drain();
    await until(() => ls(join(dir, 'done')).length === 1);
    expect(ls(join(dir, 'done'))).toEqual(['full-1.csv']);
    expect(ls(join(dir, 'failed'))).toEqual([]);
    expect(inbox.held()).toBeNull();
  });

  it('says once that its folder is gone, makes no folder in its place, and takes files again once it is back', async () => {
    const log = createLogger(tempDir());
    const { dir, inbox, submitted } = await setup({ log });
    const events = () =>
      readFileSync(log.file, 'utf8')
        .trim()
        .split('\n')
        .map((l) => (JSON.parse(l) as { event: string }).event)
        .filter((e) => e.startsWith('inbox.'));
    expect(inbox.problem).toBeNull();
    rmSync(dir, { recursive: true }); // a share disconnected
    for (let i = 0; i < 4; i++) await inbox.poll();
    expect(inbox.problem).toBe(
      `The inbox ${dir} does not exist (a network share disconnected, or the folder moved or deleted); files dropped there are taken once it can be read again.`,
    );
    expect(existsSync(dir)).toBe(false);
    expect(events()).toEqual(['inbox.unreadable']);
    mkdirSync(dir); // back, without its own folders
    writeFileSync(join(dir, 'a.csv'), 'sleep:0');
    await inbox.poll();
    expect(inbox.problem).toBeNull();
    await inbox.poll();
    expect(submitted).toEqual([join(dir, 'processing', 'a.csv')]);
    await until(() => events().includes('inbox.submitted'));
    expect(events()).toEqual(['inbox.unreadable', 'inbox.readable', 'inbox.submitted']);
  });

  it('says once, as its problem, that a file it may not move stays where it is, and takes it once it may', async (ctx) => {
    const log = createLogger(tempDir());
    const { dir, inbox, submitted } = await setup({ log });
    const file = join(dir, 'theirs.csv');
    writeFileSync(file, 'sleep:0');
    // An immutable file (chattr +i): not even root may move it, as a user may not move
    // another's file on a shared folder.
    const chattr = (flag: string) =>
      spawnSync('chattr', [flag, file], { stdio: 'ignore' }).status === 0;
    if (!chattr('+i')) return ctx.skip('chattr +i is not available here');
    try {
      for (let i = 0; i < 6; i++) await inbox.poll();
      expect(submitted).toEqual([]);
      expect(inbox.problem).toBe(
        `theirs.csv in the inbox ${dir} cannot be moved into processing/ (permission denied): GEX Desk moves each file it takes, so it needs the right to: copy the file in again yourself, or have the folder's rights changed.`,
      );
      const events = readFileSync(log.file, 'utf8').match(/"event":"inbox\.take_failed"/g);
      expect(events).toHaveLength(1);
    } finally {
      chattr('-i');
    }
    for (let i = 0; i < 2; i++) await inbox.poll();
    expect(submitted).toEqual([join(dir, 'processing', 'theirs.csv')]);
    expect(inbox.problem).toBeNull();
  });

  it('settles files a previous run left in processing/ once their recovered job ends', async () => {
    const { dir, inbox, scheduler, store } = await setup();
    writeFileSync(join(dir, 'late.csv'), 'sleep:0');
    await inbox.poll();
    await inbox.poll();
    await scheduler.drain();
    await until(() => ls(join(dir, 'done')).length === 1);
    // A second inbox on the same folder, as after a restart, with a job for a file in processing/.
    const id = await leftInProcessing(store, dir, 'left.csv');
    await restartedInbox({ dir, scheduler, store }, id);
    expect(ls(join(dir, 'done'))).toEqual(['late.csv', 'left.csv']);
  });

  it('takes a file put into processing/ by hand while it runs, once it is still, and moves it as its job ends', async () => {
    // Before, such a file was counted as processing, with nothing processing it, until the
    // next start (QA so F1: copied in, or renamed there).
    let now = Date.now();
    const { dir, inbox, scheduler, submitted } = await setup({ quietMs: 600, clock: () => now });
    writeFileSync(join(dir, 'dropped.csv'), 'sleep:0');
    await inbox.poll();
    now += 600;
    await inbox.poll();
    const taken = join(dir, 'processing', 'dropped.csv');
    expect(submitted).toEqual([taken]);
    // By hand, beside the file the inbox took: not taken before it has been still a while.
    const byHand = join(dir, 'processing', 'by-hand.csv');
    writeFileSync(byHand, 'sleep:0');
    now += 5000;
    await inbox.poll();
    expect(submitted).toEqual([taken]);
    now += 5000;
    await inbox.poll();
    // Once, and the file the inbox took itself not again.
    expect(submitted).toEqual([taken, byHand]);
    now += 5000;
    await inbox.poll();
    expect(submitted).toEqual([taken, byHand]);
    await scheduler.drain();
    await until(() => ls(join(dir, 'processing')).length === 0);
    expect(ls(join(dir, 'done'))).toEqual(['by-hand.csv', 'dropped.csv']);
  });

  it('settles every file a previous run left in processing/, whatever its name', async () => {
    const { dir, scheduler, store } = await setup();
    // Left by an earlier version, which took a file so named (`.reason.txt` is ignored now).
    const id = await leftInProcessing(store, dir, 'late.reason.txt');
    const settled = await restartedInbox({ dir, scheduler, store }, id);
    expect(ls(join(dir, 'done'))).toEqual(['late.reason.txt']);
    expect(settled).toEqual([join(dir, 'done', 'late.reason.txt')]);
  });
});

describe('waitingFiles', () => {
  it('lists the files not taken yet, in dropped folders too, and stops at a limit', () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'done'));
    mkdirSync(join(dir, 'batch', 'deep'), { recursive: true });
    for (const f of ['a.csv', 'done/old.csv', '.hidden.csv', 'b.csv.part', 'batch/deep/c.csv'])
      writeFileSync(join(dir, f), 'x');
    expect(waitingFiles(dir).sort()).toEqual(['a.csv', join('batch', 'deep', 'c.csv')]);
    expect(waitingFiles(dir, undefined, 1)).toHaveLength(1);
    expect(waitingFiles(dir, undefined, 0)).toEqual([]);
  });
});

describe('InboxControl at a start', () => {
  it('moves the file of a job that ends while its start still looks up the others in processing/', async () => {
    const root = tempDir();
    const store = await openStore(join(root, 'gex.duckdb'));
    const scheduler = new Scheduler({
      store,
      pool: sleepyPool({ size: 1, spare: 0 }),
      runJob: (job, ctx) =>
        testRunJob(store)({ ...job, file: readFileSync(job.file, 'utf8').trim() }, ctx),
    });
    await scheduler.start();
    const dir = join(root, 'inbox');
    mkdirSync(join(dir, 'processing'), { recursive: true });
    // Two files a previous run left in processing/, their jobs queued.
    const ids = [
      await leftInProcessing(store, dir, 'a.csv'),
      await leftInProcessing(store, dir, 'b.csv'),
    ];
    let lookups = 0;
    const control = new InboxControl({
      dir,
      configFile: join(root, 'config.json'),
      from: 'config',
      events: new EngineEvents(),
      watch: {
        submit: async () => err('INTERNAL', 'must not resubmit'),
        // The scheduler runs before the inbox starts: the first file's job (found queued)
        // ends while the second is looked up.
        findJob: async (file) => {
          if (++lookups === 2) {
            for (const id of ids) await scheduler.enqueue(id);
            await scheduler.drain();
          }
          return latestJobOfFile(store, file);
        },
        pollMs: 60_000,
      },
    });
    scheduler.events.on('job:updated', (j) => control.onJobUpdated(j));
    teardown.push(async () => {
      await control.stop();
      await scheduler.shutdown(0);
      await store.close();
    });
    await control.start();
    expect(lookups).toBe(2);
    await until(
      () => ls(join(dir, 'processing')).length === 0 && ls(join(dir, 'done')).length === 2,
    );
    expect(ls(join(dir, 'done'))).toEqual(['a.csv', 'b.csv']);
  });
});

describe('an inbox deleted or renamed while a file is in processing/', () => {
  it('is not made again when the job ends: the job keeps naming the file where it was, the problem stays said', async () => {
    const settled: string[] = [];
    const log = createLogger(tempDir());
    const t = await setup({ log, onSettled: async (_job, file) => void settled.push(file) });
    const logged = (event: string) =>
      existsSync(log.file) && readFileSync(log.file, 'utf8').includes(`"event":"${event}"`);
    const file = join(t.dir, 'f1.csv');
    // Read when its job starts (as the engine reads its staged copy), then a while running.
    writeFileSync(file, 'sleep:1500');
    await t.inbox.poll();
    await t.inbox.poll();
    await until(() => logged('inbox.submitted'));
    const [job] = await t.store.all('select id from jobs');
    await until(async () => (await getJob(t.store, job!.id as string))?.status === 'running');
    expect(ls(join(t.dir, 'processing'))).toEqual(['f1.csv']);
    const moved = `${t.dir}-moved`;
    renameSync(t.dir, moved);
    await t.inbox.poll();
    expect(t.inbox.problem).toMatch(/does not exist/);
    await t.scheduler.drain();
    expect((await getJob(t.store, job!.id as string))?.status).toBe('completed');
    // The move was tried and failed (the job's end is kept for the folder's return).
    await until(() => logged('inbox.move_failed'));
    await t.inbox.poll();
    expect(existsSync(t.dir)).toBe(false);
    expect(ls(join(moved, 'processing'))).toEqual(['f1.csv']);
    expect(settled.at(-1) ?? join(t.dir, 'processing', 'f1.csv')).toBe(
      join(t.dir, 'processing', 'f1.csv'),
    );
    expect(t.inbox.problem).toMatch(/does not exist/);
    // Back in its place: the file reaches done/, its job names it there.
    renameSync(moved, t.dir);
    await t.inbox.poll();
    expect(t.inbox.problem).toBeNull();
    await until(() => t.inbox.pendingCount === 0 && ls(join(t.dir, 'done')).length === 1);
    expect(ls(join(t.dir, 'done'))).toEqual(['f1.csv']);
    expect(settled.at(-1)).toBe(join(t.dir, 'done', 'f1.csv'));
  });
});

describe('a job that ended failed for the machine', () => {
  it('moves its file to failed/, where its job names it: never back into the inbox beside a job naming processing/', async () => {
    // A run refused by the machine once could end `failed` (a one-shot engine does not wait
    // for the machine), its file then put back into the inbox, held, while its job still
    // named processing/ — and the held file, taken again, became a second job of the bytes.
    const dir = join(tempDir(), 'inbox');
    const settled: [string, string][] = [];
    const inbox = new Inbox({
      dir,
      pollMs: 60_000,
      quietMs: 0,
      submit: async () =>
        ok({
          request_id: 'r1',
          job_id: 'j1',
          status: 'queued',
          decision: null,
          snapshot_id: null,
          error: null,
        }),
      onSettled: (jobId, file) => void settled.push([jobId, file]),
    });
    await inbox.start();
    teardown.push(() => inbox.stop());
    writeFileSync(join(dir, 'spx.csv'), 'chain');
    await inbox.poll();
    await inbox.poll();
    const taken = join(dir, 'processing', 'spx.csv');
    await until(() => existsSync(taken));
    inbox.onJobUpdated({
      id: 'j1',
      file: taken,
      status: 'failed',
      error: {
        code: 'IO',
        message: `${taken}: the disk is full: the pipeline could not write; free some space, then retry`,
        transient: true,
      },
    } as ProcessingJob);
    await until(() => !existsSync(taken));
    await until(() => settled.length > 0 || existsSync(join(dir, 'spx.csv')));
    expect(existsSync(join(dir, 'failed', 'spx.csv'))).toBe(true);
    expect(settled).toEqual([['j1', join(dir, 'failed', 'spx.csv')]]);
    expect(existsSync(join(dir, 'spx.csv'))).toBe(false);
    expect(inbox.held()).toBeNull();
  });
});
