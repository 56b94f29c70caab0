// A watched inbox on a share that stops answering (issue 8 item 4, QA nf): each poll, each
// status and each change first ask whether the folder answers (inbox-control.ts: a probe
// in a copier process for a folder on a file system that can stall). Here the answer is
// injected (`silent`) over a real Inbox on a real temporary folder: while it does not
// answer, nothing is taken from it or moved in it (a job that ends meanwhile has its file
// moved later), the status says NOT_ANSWERING with the folder named, `inbox:set` to such a
// folder is refused; once it answers, polling resumes by itself and the state clears. The
// counts shown meanwhile are the last read, with when (`counts_as_of`; null: never read). A
// job that ends between two polls has its folder asked before its file moves (QA sv F1).
// Then the real probe (a copier process, `mayStall` forced) on a local folder: it answers,
// asked afresh each time (a good answer is not held), and past a deadline it cannot meet
// the folder is said not to answer, which is held.
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { InboxStatus, SubmitAck } from '../../shared/api.ts';
import type { ProcessingJob } from '../../shared/domain.ts';
import { ok } from '../../shared/result.ts';
import { EngineEvents } from '../../electron/engine/events.ts';
import { AttachedProbes } from '../../electron/engine/analytics/attached-probe.ts';
import { InboxControl } from '../../electron/engine/intake/inbox-control.ts';
import { cleanupDirs, tempDir } from '../scheduler/helpers.ts';
import { until } from './inbox-engine.ts';

const stopping: InboxControl[] = [];
afterEach(async () => {
  for (const c of stopping.splice(0)) await c.stop();
  cleanupDirs();
});

const ls = (d: string) => (existsSync(d) ? readdirSync(d).sort() : []);
const LATE = 'did not answer within 3 s (a stalled network share?)';

function control(
  dir: string,
  opts: Partial<ConstructorParameters<typeof InboxControl>[0]> = {},
): { control: InboxControl; submitted: string[]; events: InboxStatus[] } {
  const submitted: string[] = [];
  const events = new EngineEvents();
  const announced: InboxStatus[] = [];
  events.on('inbox:updated', (s) => announced.push(s));
  const c = new InboxControl({
    dir,
    configFile: join(dir, '..', 'config.json'),
    from: 'config',
    events,
    announceEveryMs: 10,
    watch: {
      submit: async (file): Promise<ReturnType<typeof ok<SubmitAck>>> => {
        submitted.push(file);
        return ok({
          request_id: `r${submitted.length}`,
          job_id: `j${submitted.length}`,
          status: 'queued',
          decision: null,
          snapshot_id: null,
          error: null,
        });
      },
      findJob: async () => undefined,
      pollMs: 20,
    },
    ...opts,
  });
  stopping.push(c);
  return { control: c, submitted, events: announced };
}

const ended = (id: string, file: string) =>
  ({ id, file, status: 'completed', error: null }) as unknown as ProcessingJob;

describe('an inbox whose folder does not answer', () => {
  it('is not touched while silent, says NOT_ANSWERING, and resumes by itself once it answers', async () => {
    const root = tempDir();
    const dir = join(root, 'inbox');
    let silent: string | null = null;
    let asked = 0;
    const {
      control: c,
      submitted,
      events,
    } = control(dir, {
      silent: async () => {
        asked++;
        return silent;
      },
    });
    await c.start();
    writeFileSync(join(dir, 'first.csv'), 'a');
    await until(() => submitted.length === 1, 'first.csv taken');
    const first = join(dir, 'processing', 'first.csv');
    expect(submitted).toEqual([first]);
    const answering = await c.status();
    expect(answering.problem_code).toBeUndefined();
    expect(answering.takes).toBe(true);

    silent = LATE;
    await until(() => events.at(-1)?.problem_code === 'NOT_ANSWERING', 'announced');
    // A file dropped meanwhile is not taken, however long it stays complete.
    writeFileSync(join(dir, 'second.csv'), 'b');
    const before = asked;
    await until(() => asked >= before + 10, 'asked at each poll');
    // The first file's job ends: its file is not moved in a folder that does not answer.
    c.onJobUpdated(ended('j1', first));
    await new Promise((r) => setTimeout(r, 3_000));
    expect(submitted).toEqual([first]);
    expect(ls(dir)).toEqual(['done', 'failed', 'processing', 'second.csv']);
    expect(ls(join(dir, 'processing'))).toEqual(['first.csv']);
    const s = await c.status();
    expect(s).toMatchObject({
      dir,
      problem: expect.stringMatching(
        new RegExp(
          `^not answering: ${dir} did not answer within 3 s \\(a stalled network share\\?\\)`,
        ),
      ),
      problem_code: 'NOT_ANSWERING',
      takes: false,
      watching: true,
      // The counts last read (first.csv in processing/), and when: not zeros (QA sv F2).
      counts: { waiting: 0, processing: 1, done: 0, failed: 0 },
      counts_as_of: expect.any(String),
    });
    expect(Date.parse(s.counts_as_of!)).toBeLessThanOrEqual(Date.now());
    expect(answering.counts_as_of).toBeUndefined();

    // Another folder on a share that does not answer cannot be chosen: nothing made, nothing kept.
    const other = join(root, 'other');
    const refused = await c.set(other);
    expect(refused.ok).toBe(false);
    if (!refused.ok) {
      expect(refused.error.code).toBe('TIMEOUT');
      // The machine's doing, not the choice's (a command exits 3 for it: cli/io.ts exitFor).
      expect(refused.error.transient).toBe(true);
      expect(refused.error.message).toContain(`not answering: ${other} ${LATE}`);
    }
    expect(existsSync(other)).toBe(false);
    expect(existsSync(join(root, 'config.json'))).toBe(false);

    silent = null;
    await until(() => submitted.length === 2, 'second.csv taken once it answers');
    await until(() => ls(join(dir, 'done')).includes('first.csv'), 'first.csv moved to done/');
    await until(() => events.at(-1)?.problem_code === undefined, 'the state cleared');
    const back = await c.status();
    expect(back.problem).toBeNull();
    expect(back.problem_code).toBeUndefined();
    expect(back.takes).toBe(true);
    expect(back.counts).toMatchObject({ processing: 1, done: 1 });
    expect(back.counts_as_of).toBeUndefined();
  }, 60_000);

  it('a job that ends between two polls: its folder is asked before its file moves (QA sv F1)', async () => {
    const dir = join(tempDir(), 'inbox');
    let silent: string | null = null;
    const asked: string[] = [];
    const { control: c, submitted } = control(dir, {
      silent: async () => {
        asked.push(silent === null ? 'answers' : 'silent');
        return silent;
      },
    });
    await c.start();
    writeFileSync(join(dir, 'first.csv'), 'a');
    await until(() => submitted.length === 1, 'first.csv taken');
    const first = join(dir, 'processing', 'first.csv');
    // The share stops answering; before any poll has seen it, the file's job ends.
    silent = LATE;
    const before = asked.length;
    c.onJobUpdated(ended('j1', first));
    await until(() => asked.length > before, 'asked');
    await new Promise((r) => setTimeout(r, 300));
    expect(ls(join(dir, 'processing'))).toEqual(['first.csv']);
    expect(ls(join(dir, 'done'))).toEqual([]);
    silent = null;
    await until(() => ls(join(dir, 'done')).includes('first.csv'), 'moved once it answers');
  });

  it('never read while it answered: its counts are 0 and said unknown (counts_as_of null)', async () => {
    const dir = join(tempDir(), 'inbox');
    const { control: c } = control(dir, { silent: async () => LATE, watch: null });
    const s = await c.status();
    expect(s).toMatchObject({ problem_code: 'NOT_ANSWERING', counts_as_of: null });
    expect(s.counts).toEqual({ waiting: 0, processing: 0, done: 0, failed: 0 });
  });

  it('started silent: its processing/ is settled at the first poll that it answers', async () => {
    const root = tempDir();
    const dir = join(root, 'inbox');
    mkdirSync(join(dir, 'processing'), { recursive: true });
    writeFileSync(join(dir, 'processing', 'left.csv'), 'a');
    let silent: string | null = LATE;
    const { control: c, submitted } = control(dir, { silent: async () => silent });
    await c.start();
    await new Promise((r) => setTimeout(r, 500));
    expect(submitted).toEqual([]);
    expect(ls(dir)).toEqual(['processing']); // its done/ and failed/ not made yet
    expect((await c.status()).problem_code).toBe('NOT_ANSWERING');
    silent = null;
    await until(() => submitted.length === 1, 'left.csv submitted');
    expect(submitted).toEqual([join(dir, 'processing', 'left.csv')]);
    expect(ls(dir)).toEqual(['done', 'failed', 'processing']);
  });
});

describe('the probe of an inbox (a copier process)', () => {
  it('asks afresh each time the folder answered (not held); a silence is held', async () => {
    const dir = tempDir();
    let now = 1_000_000;
    const probes = new AttachedProbes({
      mayStall: () => true,
      now: () => now,
      look: 'inbox',
    });
    try {
      const [a, b] = await Promise.all([probes.silent(dir), probes.silent(dir)]);
      expect([a, b, probes.sent]).toEqual([null, null, 1]); // callers at once share one
      now += 100;
      expect(await probes.silent(dir)).toBeNull();
      expect(probes.sent).toBe(2);
      now += 100;
      expect(await probes.silent(dir)).toBeNull();
      expect(probes.sent).toBe(3);
    } finally {
      probes.close();
    }
    const late = new AttachedProbes({
      mayStall: () => true,
      now: () => now,
      look: 'inbox',
      deadlineMs: 1,
    });
    try {
      expect(await late.silent(dir)).toContain('did not answer');
      now += 1_000;
      expect(await late.silent(dir)).toContain('did not answer');
      expect(late.sent).toBe(1);
    } finally {
      late.close();
    }
  });

  it('a folder that answers is watched; one past the deadline is said not to answer', async () => {
    const dir = join(tempDir(), 'inbox');
    const { control: c, submitted } = control(dir, { probe: { mayStall: () => true } });
    await c.start();
    writeFileSync(join(dir, 'a.csv'), 'a');
    await until(() => submitted.length === 1, 'a.csv taken');
    expect((await c.status()).problem_code).toBeUndefined();

    // No copier answers in 1 ms: abandoned, as one held by a stalled share.
    const late = control(join(tempDir(), 'inbox'), {
      probe: { mayStall: () => true, deadlineMs: 1 },
    });
    await late.control.start();
    const s = await late.control.status();
    expect(s.problem_code).toBe('NOT_ANSWERING');
    expect(s.problem).toContain('did not answer within 0 s (a stalled network share?)');
  });
});
