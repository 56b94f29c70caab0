// A file on a stalled share never keeps GEX Desk from exiting (QA rc F1; issue 8). A real
// FUSE file system (stall/hangfs.py) stands for the share: its hang.csv stats fine, but a
// read of it never returns, and a thread in such a read holds its process alive — not
// process.exit, not SIGKILL ends it. The engine captures files on such a file system in a
// copier process it abandons at the capture's timeout (intake/copier.ts), so:
// - `gex-desk ingest hang.csv ok.csv` says TIMEOUT for hang.csv, completes ok.csv, and the
//   process is gone with its exit code (it printed its summary and never exited);
// - `serve`, having captured hang.csv for an `ingest` beside it, exits on SIGTERM within
//   its shutdown deadline (it logged engine.stopped and never exited).
// An attached export folder on a share that stops answering (stall/stallshare.py: a
// passthrough whose reads, or every call, hang while its mode says so; QA nf F1–F3)
// is probed in a copier process first (analytics/attached-probe.ts), so:
// - `gex-desk levels --attach MOUNT` prints this desk's rows, warns that the folder did not
//   answer, and exits (exit 1), whether its reads or its stats hang;
// - `serve` attaching it answers snapshots:levels with this desk's rows and the folder
//   named, engine:health and an ingest of a local file beside it complete, and it exits on
//   SIGTERM within its deadline.
// A watched inbox on such a share (GEX_DESK_INBOX, or the config file's `inbox`) is
// probed in a copier process before each poll and status (intake/inbox-control.ts), so:
// - `gex-desk inbox --json` answers within seconds, its problem NOT_ANSWERING naming it;
// - `serve` watching it starts, says the same, completes a local ingest beside it, and
//   exits on SIGTERM within its deadline;
// - and when its share (stallshare.py read-write) stops answering while serve watches it
//   (QA sv F1: a good probe answer reused for 5 s let ~9 polls in 10 touch it unprobed, and
//   the engine froze), `gex-desk inbox --json` says NOT_ANSWERING within seconds, with the
//   counts last read and when (F2); a local CRITICAL ingest beside it completes; the files
//   dropped meanwhile are taken once it answers, each once; serve exits on SIGTERM in time.
// A file on such a share whose capture's copier, abandoned at its timeout, is still held
// by a call there that never returned (stallshare.py, every call stalled):
// - `serve` refuses another file there at once (TIMEOUT, rejected: nothing taken; before:
//   another 30 s and another process held), and takes one once the share answers.
// Skipped, saying why, where FUSE cannot be mounted (no /dev/fuse, no fusepy, not
// permitted), unless REQUIRE_FUSE=1 (CI sets it where /dev/fuse exists). The file systems
// are mounted by stall/stalling-share.ts.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildRenderer } from '../../electron/host/renderer-build.ts';
import { writeCboeCsv } from '../fixtures/option-chains.ts';
import { repoRoot } from '../pipeline/helpers.ts';
import { BIN } from '../cli/run-cli.ts';
import {
  fuseMissing,
  mountedAt,
  mountHangFs,
  mountStallingShare,
  type FuseMount,
  type StallingShare,
  type StallMode,
} from './stall/stalling-share.ts';

/** The capture's timeout (staging.ts) and the time to say it. */
const CAPTURE_TIMEOUT_MS = 30_000;
/** serve's one shutdown deadline (engine.ts), and a margin for a loaded machine. */
const SHUTDOWN_MS = 10_000 + 8_000;

const dir = mkdtempSync(join(tmpdir(), 'copier-stall-'));
const mnt = join(dir, 'mnt');
const src = join(dir, 'chain.csv');
let hangFs: FuseMount | null = null;
let skipWhy: string | null = null;
const started: ChildProcess[] = [];

/** The stalling share of an attached folder: stallshare.py over another desk's data folder. */
const share = join(dir, 'share');
let shareFs: StallingShare | null = null;

/** Mounts hangfs, or says why it cannot be. */
async function mount(): Promise<string | null> {
  const missing = fuseMissing();
  if (missing) return missing;
  writeCboeCsv(src, { seed: 77, underlying: 'SPX', expiries: 3, strikesPerExpiry: 20 });
  const fs = await mountHangFs(mnt, src);
  if (!fs.ok) return fs.error.message;
  hangFs = fs.value;
  return null;
}

/** Another desk's data folder (one NDX snapshot), served at `share`, answering. */
async function mountShare(): Promise<void> {
  if (shareFs) return;
  const theirs = join(dir, 'home-theirs');
  const chain = join(dir, 'ndx.csv');
  writeCboeCsv(chain, { seed: 3, underlying: 'NDX', expiries: 2, strikesPerExpiry: 6 });
  const r = await run(['ingest', chain, '--json'], theirs, 60_000).ended;
  if (r.code !== 0) throw new Error(`their ingest: ${r.code} ${r.stderr}`);
  const fs = await mountStallingShare(share, join(theirs, 'data'));
  if (!fs.ok) throw new Error(fs.error.message);
  shareFs = fs.value;
}

/** The share stalls (or answers) as `mode` says (mounted by the suite's set-up). */
const stall = (mode: StallMode): void => shareFs!.stall(mode);

beforeAll(async () => {
  skipWhy = await mount();
  if (skipWhy && process.env.REQUIRE_FUSE === '1')
    throw new Error(`REQUIRE_FUSE=1, but ${skipWhy}`);
  if (skipWhy) console.warn(`stalled-share tests skipped: ${skipWhy}`);
}, 30_000);

afterAll(() => {
  // The share answers again: calls held in it (by copiers left behind, or, without the
  // fix, by the commands) return; then it is unmounted.
  shareFs?.unmount();
  // A lazy unmount, then the server's end: the stalled reads (of processes left behind,
  // ours or, without the fix, the command's) end with an error.
  hangFs?.unmount();
  for (const c of started) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  if (!mountedAt(mnt) && !mountedAt(share)) rmSync(dir, { recursive: true, force: true });
});

interface Ended {
  /** null: still running at the limit. */
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the command; resolves when its process exits (not when its pipes close), or at `limitMs`. */
function run(
  args: string[],
  home: string,
  limitMs: number,
  env: NodeJS.ProcessEnv = {},
): { child: ChildProcess; ended: Promise<Ended> } {
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: repoRoot,
    env: { ...process.env, GEX_DESK_HOME: home, GEX_DESK_WORKERS: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  started.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const ended = new Promise<Ended>((resolve) => {
    const limit = setTimeout(() => resolve({ code: null, stdout, stderr }), limitMs);
    child.once('exit', (code, signal) => {
      clearTimeout(limit);
      resolve({ code: code ?? (signal ? -1 : null), stdout, stderr });
    });
  });
  return { child, ended };
}

/** `serve` sent SIGTERM exits 0 within its shutdown deadline (and a margin). */
async function expectStopsOnSigterm(serve: ReturnType<typeof run>): Promise<void> {
  const t1 = Date.now();
  serve.child.kill('SIGTERM');
  const stopped = await Promise.race([
    serve.ended,
    new Promise<null>((r) => setTimeout(() => r(null), SHUTDOWN_MS)),
  ]);
  expect(stopped, `serve still running ${SHUTDOWN_MS} ms after SIGTERM`).not.toBeNull();
  expect(stopped!.code).toBe(0);
  expect(Date.now() - t1).toBeLessThan(SHUTDOWN_MS);
}

const lines = (stdout: string) =>
  stdout
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as { file: string; status: string; error?: { code: string } });

describe('a file on a stalled share', () => {
  it(
    'ingest says TIMEOUT for it, completes the other file, and exits',
    {
      timeout: 120_000,
    },
    async (ctx) => {
      if (skipWhy) return ctx.skip();
      const home = join(dir, 'home-ingest');
      const hang = join(mnt, 'hang.csv');
      const ok = join(mnt, 'ok.csv');
      const t0 = Date.now();
      const { ended } = run(['ingest', hang, ok, '--json'], home, CAPTURE_TIMEOUT_MS + 40_000);
      const r = await ended;
      // The process is gone, with the code of a failed request (1; not killed at the limit).
      expect(r.code, `still running; stdout: ${r.stdout} stderr: ${r.stderr}`).not.toBeNull();
      expect(r.code).toBe(1);
      expect(Date.now() - t0).toBeGreaterThanOrEqual(CAPTURE_TIMEOUT_MS);
      const byFile = new Map(lines(r.stdout).map((l) => [l.file, l]));
      expect(byFile.get(hang)).toMatchObject({ status: 'failed', error: { code: 'TIMEOUT' } });
      expect(byFile.get(ok)).toMatchObject({ status: 'completed' });
    },
  );

  it(
    'serve exits on SIGTERM within its deadline after capturing it',
    {
      timeout: 600_000,
    },
    async (ctx) => {
      if (skipWhy) return ctx.skip();
      // serve serves the renderer: built before its clock starts.
      await buildRenderer();
      const home = join(dir, 'home-serve');
      const serve = run(['serve'], home, 600_000);
      await addressOf(serve);
      const hang = join(mnt, 'hang.csv');
      const beside = join(dir, 'beside.csv');
      writeCboeCsv(beside, { seed: 78, underlying: 'NDX', expiries: 2, strikesPerExpiry: 10 });
      const ingest = await run(
        ['ingest', hang, beside, '--json'],
        home,
        CAPTURE_TIMEOUT_MS + 40_000,
      ).ended;
      expect(ingest.code, `ingest still running: ${ingest.stderr}`).not.toBeNull();
      const byFile = new Map(lines(ingest.stdout).map((l) => [l.file, l]));
      expect(byFile.get(hang)).toMatchObject({ status: 'failed', error: { code: 'TIMEOUT' } });
      expect(byFile.get(beside)).toMatchObject({ status: 'completed' });
      await expectStopsOnSigterm(serve);
    },
  );
});

/** The address `serve` printed (within 60 s), its token in it. */
async function addressOf(serve: ReturnType<typeof run>): Promise<string> {
  let url = '';
  for (let i = 0; i < 600 && !url; i++) {
    url = /GEX Desk at (\S+)/.exec(await peek(serve.child))?.[1] ?? '';
    if (!url) await new Promise((r) => setTimeout(r, 100));
  }
  expect(url, 'serve never said its address').not.toBe('');
  return url;
}

/** What a child has written so far (its stdout is collected by run). */
const seen = new WeakMap<ChildProcess, string>();
function peek(child: ChildProcess): Promise<string> {
  if (!seen.has(child)) {
    seen.set(child, '');
    child.stdout!.on('data', (d: Buffer) => seen.set(child, seen.get(child)! + d.toString()));
  }
  return Promise.resolve(seen.get(child)!);
}

/** One API call to a running serve (its printed address holds the token), or null past `limitMs`. */
async function call(
  url: string,
  name: string,
  body: unknown,
  limitMs: number,
): Promise<{ ok: boolean; value?: unknown; error?: { message: string } } | null> {
  const u = new URL(url);
  const token = u.searchParams.get('token')!;
  try {
    const res = await fetch(`${u.origin}/api/call/${name}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-gex-token': token, origin: u.origin },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(limitMs),
    });
    return (await res.json()) as { ok: boolean; value?: unknown };
  } catch {
    return null;
  }
}

interface LevelsValue {
  rows: { underlying: string; origin: string }[];
  not_exports: { path: string; message: string; cannot_read?: boolean }[];
}

describe('an attached folder on a stalled share', () => {
  /** The probe's deadline (attached-probe.ts), and room to start a command on a loaded machine. */
  const EXIT_MS = 3_000 + 12_000;
  const local = join(dir, 'spx.csv');
  const notAnswering = `warning: the attached folder ${share} could not be read: it did not answer within 3 s (a stalled network share?)`;

  beforeAll(async () => {
    if (skipWhy) return;
    await mountShare();
    writeCboeCsv(local, { seed: 7, underlying: 'SPX', expiries: 2, strikesPerExpiry: 6 });
  }, 120_000);

  for (const mode of ['read', 'all'] as const) {
    it(
      `levels --attach prints this desk's rows, names it and exits (share mode ${mode})`,
      { timeout: 120_000 },
      async (ctx) => {
        if (skipWhy) return ctx.skip();
        const home = join(dir, `home-levels-${mode}`);
        const ingest = await run(['ingest', local, '--json'], home, 60_000).ended;
        expect(ingest.code, ingest.stderr).toBe(0);
        stall('none');
        const seen = await run(['levels', '--attach', share], home, 60_000).ended;
        expect(seen.code, seen.stderr).toBe(0);
        expect(seen.stdout).toContain('NDX');

        stall(mode);
        try {
          const t0 = Date.now();
          const r = await run(['levels', '--attach', share], home, EXIT_MS + 20_000).ended;
          expect(r.code, `still running; stdout: ${r.stdout} stderr: ${r.stderr}`).not.toBeNull();
          expect(Date.now() - t0).toBeLessThan(EXIT_MS);
          expect(r.code).toBe(1);
          expect(r.stdout).toMatch(/^SPX .* local /m);
          expect(r.stdout).not.toContain('NDX');
          expect(r.stderr).toContain(notAnswering);
        } finally {
          stall('none');
        }
      },
    );
  }

  it(
    'serve answers levels, health and a local ingest beside it, and exits on SIGTERM',
    { timeout: 600_000 },
    async (ctx) => {
      if (skipWhy) return ctx.skip();
      await buildRenderer();
      const home = join(dir, 'home-serve-attach');
      mkdirSync(home, { recursive: true });
      writeFileSync(join(home, 'config.json'), JSON.stringify({ attach: [share] }));
      const first = await run(['ingest', local, '--json'], home, 60_000).ended;
      expect(first.code, first.stderr).toBe(0);
      stall('none');
      const serve = run(['serve'], home, 600_000);
      try {
        const url = await addressOf(serve);
        // The board's first read is cold (QA nf F1): nothing of the share's was read before.
        for (const mode of ['read', 'all'] as const) {
          stall(mode);
          // The answer of a probe holds 5 s (attached-probe.ts).
          if (mode === 'all') await new Promise((r) => setTimeout(r, 5_500));
          const levels = await call(url, 'snapshots:levels', {}, 20_000);
          expect(levels, `snapshots:levels gave no answer (share mode ${mode})`).not.toBeNull();
          const value = levels!.value as LevelsValue;
          expect(value.rows.map((r) => [r.underlying, r.origin])).toEqual([['SPX', 'local']]);
          expect(value.not_exports).toEqual([
            expect.objectContaining({
              path: share,
              cannot_read: true,
              message: expect.stringContaining('did not answer within 3 s'),
            }),
          ]);
          const health = await call(url, 'engine:health', {}, 10_000);
          expect(health?.ok, `engine:health (share mode ${mode})`).toBe(true);
          const history = await call(url, 'snapshots:history', { underlying: 'SPX' }, 20_000);
          expect(history?.ok, `snapshots:history (share mode ${mode})`).toBe(true);
          const check = await call(url, 'snapshots:attachedCheck', {}, 20_000);
          expect(check?.ok, `snapshots:attachedCheck (share mode ${mode})`).toBe(true);
        }
        // A local file ingested beside it (the CLI through the running serve).
        const beside = join(dir, 'beside-attach.csv');
        writeCboeCsv(beside, { seed: 79, underlying: 'RUT', expiries: 2, strikesPerExpiry: 6 });
        const ingest = await run(['ingest', beside, '--json'], home, 60_000).ended;
        expect(ingest.code, `ingest beside: ${ingest.stderr}`).toBe(0);
        expect(lines(ingest.stdout)[0]).toMatchObject({ status: 'completed' });

        await expectStopsOnSigterm(serve);
      } finally {
        stall('none');
      }
    },
  );
});

interface InboxValue {
  dir: string;
  problem: string | null;
  problem_code?: string;
  counts_as_of?: string | null;
  takes: boolean;
}

describe('a watched inbox on a stalled share', () => {
  /** The probe's deadline (attached-probe.ts), and room to start a command on a loaded machine. */
  const ANSWER_MS = 3_000 + 12_000;
  const notAnswering = `not answering: ${share} did not answer within 3 s (a stalled network share?)`;

  beforeAll(async () => {
    if (skipWhy) return;
    await mountShare();
  }, 120_000);

  it(
    'gex-desk inbox --json answers within seconds, saying it does not answer',
    { timeout: 120_000 },
    async (ctx) => {
      if (skipWhy) return ctx.skip();
      const home = join(dir, 'home-inbox-cli');
      stall('all');
      try {
        const t0 = Date.now();
        const r = await run(['inbox', '--json'], home, ANSWER_MS + 20_000, {
          GEX_DESK_INBOX: share,
        }).ended;
        expect(r.code, `still running; stdout: ${r.stdout} stderr: ${r.stderr}`).not.toBeNull();
        expect(Date.now() - t0).toBeLessThan(ANSWER_MS);
        expect(r.code, r.stderr).toBe(0);
        const value = JSON.parse(r.stdout) as InboxValue;
        expect(value).toMatchObject({ dir: share, problem_code: 'NOT_ANSWERING', takes: false });
        expect(value.problem).toContain(notAnswering);
        // Never counted by this process: unknown, not 0 (QA sv F2).
        expect(value.counts_as_of).toBeNull();
        const text = await run(['inbox'], home, ANSWER_MS + 20_000, { GEX_DESK_INBOX: share })
          .ended;
        expect(text.code, text.stderr).toBe(0);
        expect(text.stdout).toContain('counts unknown: not read since it stopped answering');
        expect(text.stdout).toMatch(/^ {2}done {7}— /m);
        // Chosen as the inbox meanwhile: refused, the environment's fault (exit 3, not 1: QA sv F7).
        const other = join(share, 'other-inbox');
        const set = await run(['inbox', 'set', other], home, ANSWER_MS + 20_000, {
          GEX_DESK_INBOX: share,
        }).ended;
        expect(set.stderr).toContain(`TIMEOUT: Cannot use ${other} as the inbox: not answering`);
        expect(set.code, set.stderr).toBe(3);
      } finally {
        stall('none');
      }
      // Answering again: the state is gone (the share is read-only: that is its problem now).
      const again = await run(['inbox', '--json'], home, 60_000, { GEX_DESK_INBOX: share }).ended;
      expect(again.code, again.stderr).toBe(0);
      const back = JSON.parse(again.stdout) as InboxValue;
      expect(back.problem_code).toBeUndefined();
      expect(back.problem ?? '').not.toContain('not answering');
    },
  );

  it(
    'serve watching it starts, says so, completes a local ingest and exits on SIGTERM',
    { timeout: 600_000 },
    async (ctx) => {
      if (skipWhy) return ctx.skip();
      await buildRenderer();
      const home = join(dir, 'home-serve-inbox');
      mkdirSync(home, { recursive: true });
      writeFileSync(join(home, 'config.json'), JSON.stringify({ inbox: share }));
      stall('all');
      const serve = run(['serve'], home, 600_000);
      try {
        const url = await addressOf(serve);
        const t0 = Date.now();
        const inbox = await call(url, 'inbox:get', {}, 20_000);
        expect(inbox, 'inbox:get gave no answer').not.toBeNull();
        expect(Date.now() - t0).toBeLessThan(ANSWER_MS);
        expect(inbox!.value).toMatchObject({ dir: share, problem_code: 'NOT_ANSWERING' });
        expect((inbox!.value as InboxValue).problem).toContain(notAnswering);
        const health = await call(url, 'engine:health', {}, 10_000);
        expect(health?.ok, 'engine:health').toBe(true);
        // A local file ingested beside it (the CLI through the running serve), polls going on.
        const beside = join(dir, 'beside-inbox.csv');
        writeCboeCsv(beside, { seed: 80, underlying: 'RUT', expiries: 2, strikesPerExpiry: 6 });
        const ingest = await run(['ingest', beside, '--json'], home, 60_000).ended;
        expect(ingest.code, `ingest beside: ${ingest.stderr}`).toBe(0);
        expect(lines(ingest.stdout)[0]).toMatchObject({ status: 'completed' });
        await expectStopsOnSigterm(serve);
      } finally {
        stall('none');
      }
    },
  );
});

describe('files on a share still stuck', () => {
  beforeAll(async () => {
    if (skipWhy) return;
    await mountShare();
  }, 120_000);

  it(
    'serve refuses at once a file there while the abandoned copier is held, and takes one once it answers',
    { timeout: 600_000 },
    async (ctx) => {
      if (skipWhy) return ctx.skip();
      await buildRenderer();
      const home = join(dir, 'home-serve-held');
      // Files on the share (stallshare.py passes their data folder through, live).
      const onShare = (name: string, seed: number) => {
        writeCboeCsv(join(dir, 'home-theirs', 'data', name), {
          seed,
          underlying: 'SPX',
          expiries: 2,
          strikesPerExpiry: 6,
        });
        return join(share, name);
      };
      const [first, second, later] = [
        onShare('a.csv', 81),
        onShare('b.csv', 82),
        onShare('c.csv', 83),
      ];
      const serve = run(['serve'], home, 600_000);
      try {
        await addressOf(serve);
        // Every call there stalls: the copier's stat of the file never returns, and the
        // copier, killed at the capture's timeout, is held. (The command's wait for the
        // job, jobs:get, no longer stats its file on the engine's thread: before, it hung.)
        const ingest = (file: string) =>
          run(['ingest', file, '--json'], home, CAPTURE_TIMEOUT_MS + 40_000).ended;
        stall('all');
        const stalled = await ingest(first);
        expect(lines(stalled.stdout)[0], stalled.stderr).toMatchObject({
          status: 'failed',
          error: { code: 'TIMEOUT' },
        });
        // Another file there: refused at once, nothing taken (before: another 30 s, and
        // another process held).
        const t0 = Date.now();
        const refused = await ingest(second);
        expect(Date.now() - t0, refused.stdout).toBeLessThan(CAPTURE_TIMEOUT_MS - 10_000);
        expect(lines(refused.stdout)[0], refused.stderr).toMatchObject({
          status: 'rejected',
          error: {
            code: 'TIMEOUT',
            transient: true,
            message: `${second} was not read: ${share} did not answer a moment ago and a read there is still stuck (a stalled network share?); nothing was taken: submit it again when it answers (a file in the inbox is tried again by itself)`,
          },
        });
        // The share answers: the held copier's call returns and it ends; a file there is taken.
        stall('none');
        await new Promise((r) => setTimeout(r, 2000));
        const taken = await ingest(later);
        expect(lines(taken.stdout)[0], taken.stderr).toMatchObject({ status: 'completed' });
        await expectStopsOnSigterm(serve);
      } finally {
        stall('none');
      }
    },
  );
});

interface InboxCounts extends InboxValue {
  counts: { waiting: number; processing: number; done: number; failed: number };
}

describe('a watched inbox whose share stops answering while serve runs', () => {
  /** A read-write stalling share over a folder of ours: an inbox needs a share it can write to. */
  const rw = join(dir, 'rw');
  const rwSrc = join(dir, 'rw-src');
  const inboxDir = join(rw, 'inbox');
  let rwFs: StallingShare | null = null;
  /** What `serve` answers within (the probe's 3 s, a poll, a loaded machine). */
  const ANSWER_MS = 3_000 + 12_000;

  beforeAll(async () => {
    if (skipWhy) return;
    mkdirSync(join(rwSrc, 'inbox'), { recursive: true });
    const fs = await mountStallingShare(rw, rwSrc, { writable: true });
    if (!fs.ok) throw new Error(fs.error.message);
    rwFs = fs.value;
  }, 60_000);

  afterAll(() => rwFs?.unmount());

  /** A file dropped into the inbox on the share's server (not through the share). */
  const drop = (name: string, seed: number) =>
    writeCboeCsv(join(rwSrc, 'inbox', name), {
      seed,
      underlying: 'SPX',
      expiries: 2,
      strikesPerExpiry: 6,
    });
  const doneHere = () => ls(join(rwSrc, 'inbox', 'done'));

  it(
    'says NOT_ANSWERING within seconds, ingests a local CRITICAL file, takes what was dropped meanwhile once it answers, and exits on SIGTERM',
    { timeout: 600_000 },
    async (ctx) => {
      if (skipWhy) return ctx.skip();
      await buildRenderer();
      const home = join(dir, 'home-serve-inbox-rw');
      mkdirSync(home, { recursive: true });
      writeFileSync(join(home, 'config.json'), JSON.stringify({ inbox: inboxDir }));
      const serve = run(['serve'], home, 600_000);
      try {
        const url = await addressOf(serve);
        drop('a.csv', 31);
        drop('b.csv', 32);
        await until(() => doneHere().length === 2, 'a.csv and b.csv in done/', 60_000);
        // What the app was shown last while it answered.
        const before = await call(url, 'inbox:get', {}, 20_000);
        expect((before?.value as InboxCounts).counts).toMatchObject({ done: 2, processing: 0 });

        // The share stops answering mid-session: polls go on every second meanwhile.
        rwFs!.stall('all');
        await new Promise((r) => setTimeout(r, 2_500));
        const t0 = Date.now();
        const r = await run(['inbox', '--json'], home, ANSWER_MS + 20_000).ended;
        expect(r.code, `stdout: ${r.stdout} stderr: ${r.stderr}`).toBe(0);
        expect(Date.now() - t0).toBeLessThan(ANSWER_MS);
        const value = JSON.parse(r.stdout) as InboxCounts;
        expect(value).toMatchObject({ dir: inboxDir, problem_code: 'NOT_ANSWERING', takes: false });
        // The counts last read, and when: not zeros.
        expect(value.counts.done).toBe(2);
        expect(typeof value.counts_as_of).toBe('string');
        const health = await call(url, 'engine:health', {}, 10_000);
        expect(health?.ok, 'engine:health').toBe(true);
        // A local CRITICAL file ingested beside it (the CLI through the running serve).
        const beside = join(dir, 'beside-inbox-rw.csv');
        writeCboeCsv(beside, { seed: 81, underlying: 'RUT', expiries: 2, strikesPerExpiry: 6 });
        const ingest = await run(
          [
            'ingest',
            beside,
            '--priority',
            'CRITICAL',
            '--justification',
            'the desk needs it now',
            '--json',
          ],
          home,
          60_000,
        ).ended;
        expect(ingest.code, `ingest beside: ${ingest.stderr}`).toBe(0);
        expect(lines(ingest.stdout)[0]).toMatchObject({ status: 'completed' });
        // Dropped while it does not answer (on its server), then it answers again.
        drop('c.csv', 33);
        drop('d.csv', 34);
        await new Promise((r) => setTimeout(r, 1_500));
        rwFs!.stall('none');
        await until(() => doneHere().length === 4, 'c.csv and d.csv taken', 60_000);
        const back = await call(url, 'inbox:get', {}, 20_000);
        expect((back?.value as InboxCounts).problem_code).toBeUndefined();

        // It stops answering again: serve still exits on SIGTERM within its deadline.
        rwFs!.stall('all');
        await new Promise((r) => setTimeout(r, 2_500));
        await expectStopsOnSigterm(serve);
      } finally {
        rwFs!.stall('none');
      }
      expect(doneHere()).toEqual(['a.csv', 'b.csv', 'c.csv', 'd.csv']);
      expect(ls(join(rwSrc, 'inbox', 'processing'))).toEqual([]);
      expect(ls(join(rwSrc, 'inbox', 'failed'))).toEqual([]);
      // Each file ingested once: one job each, none doubled.
      const jobs = await run(['jobs', '--json'], home, 60_000).ended;
      expect(jobs.code, jobs.stderr).toBe(0);
      const files = jobsFiles(jobs.stdout).filter((f) => f.startsWith(inboxDir));
      expect(files.sort()).toEqual(
        ['a.csv', 'b.csv', 'c.csv', 'd.csv'].map((n) => join(inboxDir, 'done', n)),
      );
    },
  );
});

/** The files of the jobs `jobs --json` lists (a line each). */
function jobsFiles(stdout: string): string[] {
  return stdout
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => (JSON.parse(l) as { file: string }).file);
}

const ls = (d: string) => (existsSync(d) ? readdirSync(d).sort() : []);

/** Waits until `cond` holds, or fails saying `what`. */
async function until(cond: () => boolean, what: string, limitMs: number): Promise<void> {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > limitMs) throw new Error(`${what}: not within ${limitMs} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
