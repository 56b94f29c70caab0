// Captures in the copier (intake/staging.ts, copier.ts) when a file's share stalls. Real
// copier processes, launched through a wrapper that stands for the share: a request for a
// file named hang* is never passed on (a read that never returns), and, where the test
// says so, the copier's kill does not end it (a process held by that read) until the test
// ends it itself (the share answered). Shares are named by the file's folder.
// - A capture that shared a copier abandoned for ANOTHER capture's timeout is tried again
//   on a fresh copier and captured (before: IO, "the copier process was abandoned").
// - While the copier abandoned for a share is held, a capture of a file there is refused at
//   once (TIMEOUT, transient: nothing taken) and starts no process; a file elsewhere is
//   captured; once the held copier ends, the share's files are captured again (before:
//   a process started, and held, at every capture there).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Staging } from '../../electron/engine/intake/staging.ts';
import {
  forkWorker,
  type LaunchWorker,
  type WorkerProcess,
} from '../../electron/engine/workers/launcher.ts';

const dirs: string[] = [];
const opened: Staging[] = [];
const launched: WorkerProcess[] = [];
afterEach(() => {
  for (const s of opened.splice(0)) s.close();
  for (const c of launched.splice(0))
    try {
      if (c.pid) process.kill(c.pid, 'SIGKILL');
    } catch {
      // Ended already.
    }
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A folder per share, with the files named. */
function shares(files: Record<string, string[]>): string {
  const dir = mkdtempSync(join(tmpdir(), 'gex-copier-stall-'));
  dirs.push(dir);
  for (const [share, names] of Object.entries(files)) {
    mkdirSync(join(dir, share));
    for (const name of names) writeFileSync(join(dir, share, name), `${share}/${name}\n`);
  }
  return dir;
}

/**
 * Real copiers whose requests for hang* files (and, in the first copier, `stuckFirst`
 * files: ones about to answer when it was abandoned) are never passed on; `held`: their
 * kill does not end them.
 */
function stallingLaunch(o: { held: boolean; stuckFirst?: RegExp }): LaunchWorker {
  return (entry, opts) => {
    const child = forkWorker(entry, opts);
    const first = launched.length === 0;
    launched.push(child);
    return {
      pid: child.pid,
      send: (m) => {
        const file = basename((m as { file?: string }).file ?? '');
        if (file.startsWith('hang')) return;
        if (first && o.stuckFirst?.test(file)) return;
        child.send(m);
      },
      kill: () => (o.held ? undefined : child.kill()),
      terminate: () => (o.held ? undefined : child.terminate()),
      onMessage: (l) => child.onMessage(l),
      onExit: (l) => child.onExit(l),
      onStderr: (l) => child.onStderr(l),
      unref: () => child.unref?.(),
    };
  };
}

function staging(dir: string, launch: LaunchWorker, timeoutMs: number): Staging {
  const s = new Staging({
    dir: join(dir, 'staging'),
    maxBytes: 1 << 20,
    timeoutMs,
    // Every file here is on a "share": its folder.
    shareOf: (file) => basename(dirname(file)),
    copier: { launch },
  });
  opened.push(s);
  return s;
}

const codeOf = (r: { ok: boolean; error?: { code: string } }) => (r.ok ? 'ok' : r.error!.code);

describe('captures in a copier abandoned for a stalled share', () => {
  it("are tried again on a fresh copier when another capture's timeout abandoned theirs", async () => {
    const dir = shares({ down: ['hang.csv'], up: ['a.csv', 'b.csv'] });
    const s = staging(dir, stallingLaunch({ held: false, stuckFirst: /^a\.csv$/ }), 3000);
    const hang = s.capture(join(dir, 'down', 'hang.csv'));
    // On the same copier: one answered, and, halfway to the stalled one's timeout, one
    // about to answer when it is abandoned.
    expect(codeOf(await s.capture(join(dir, 'up', 'b.csv')))).toBe('ok');
    await new Promise((r) => setTimeout(r, 1500));
    const a = s.capture(join(dir, 'up', 'a.csv'));
    const stalled = await hang;
    const t = performance.now();
    expect(stalled.ok ? 'ok' : stalled.error.message).toMatch(/could not be read within 3 s/);
    const r = await a;
    // Its own file answered on a fresh copier, well within its own timeout.
    expect(r.ok ? 'ok' : r.error.message).toBe('ok');
    expect(performance.now() - t).toBeLessThan(1500);
    if (r.ok) expect(r.value.size).toBe('up/a.csv\n'.length);
    expect(s.copiersStarted).toBe(2);
  });

  it('refuses at once a file on a share whose read is still stuck, and takes it again once it answers', async () => {
    const dir = shares({ down: ['hang.csv', 'hang-2.csv', 'ok.csv'], up: ['a.csv'] });
    const s = staging(dir, stallingLaunch({ held: true }), 1000);
    const first = await s.capture(join(dir, 'down', 'hang.csv'));
    expect(codeOf(first)).toBe('TIMEOUT');
    expect([s.copiersStarted, s.copiersLeftBehind]).toEqual([1, 1]);

    // The share has not answered: refused at once, no process started, nothing taken.
    const t = performance.now();
    const again = await s.capture(join(dir, 'down', 'hang-2.csv'));
    expect(performance.now() - t).toBeLessThan(500);
    expect(again).toEqual({
      ok: false,
      error: {
        code: 'TIMEOUT',
        message: `${join(dir, 'down', 'hang-2.csv')} was not read: down did not answer a moment ago and a read there is still stuck (a stalled network share?); nothing was taken: submit it again when it answers (a file in the inbox is tried again by itself)`,
        file: join(dir, 'down', 'hang-2.csv'),
        transient: true,
      },
    });
    expect(codeOf(await s.capture(join(dir, 'down', 'ok.csv')))).toBe('TIMEOUT');
    expect(s.copiersStarted).toBe(1);

    // Another share is unaffected.
    expect(codeOf(await s.capture(join(dir, 'up', 'a.csv')))).toBe('ok');
    expect(s.copiersStarted).toBe(2);

    // The share answers: the held copier ends, and its files are captured again.
    const ended = new Promise<void>((resolve) => launched[0]!.onExit(() => resolve()));
    process.kill(launched[0]!.pid!, 'SIGKILL');
    await ended;
    expect(s.copiersLeftBehind).toBe(0);
    expect(codeOf(await s.capture(join(dir, 'down', 'ok.csv')))).toBe('ok');
  });

  it("refuses a capture that shared the copier abandoned for its own share's stall", async () => {
    const dir = shares({ down: ['hang.csv', 'ok.csv'] });
    const s = staging(dir, stallingLaunch({ held: true, stuckFirst: /^ok\.csv$/ }), 1000);
    const hang = s.capture(join(dir, 'down', 'hang.csv'));
    // Sent to the same copier half its timeout later: its own timer must not be due with
    // the first's (the refusal ends only after the capture's temporary file is removed, an
    // I/O a loaded machine may delay past a timer due at the same moment: seen once).
    await new Promise((r) => setTimeout(r, 500));
    const other = s.capture(join(dir, 'down', 'ok.csv'));
    expect(codeOf(await hang)).toBe('TIMEOUT');
    const r = await other;
    expect(r.ok ? 'ok' : [r.error.code, r.error.transient]).toEqual(['TIMEOUT', true]);
    expect(s.copiersStarted).toBe(1);
  });
});
