// The copier process (intake/copier.ts, copier-process.ts) captures a file as the engine's
// own process does: the remote route forced on local files, the staged bytes, hash and
// ends compared with an in-process capture of the same file, and the same Result for a
// file refused (missing, empty, a folder, too large). Killed at close, never waited for;
// a copier killed under a capture says so (IO), and the next capture starts another.
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Staging } from '../../electron/engine/intake/staging.ts';
import { forkWorker, type WorkerProcess } from '../../electron/engine/workers/launcher.ts';

const dirs: string[] = [];
const opened: Staging[] = [];
const temp = () => {
  const d = mkdtempSync(join(tmpdir(), 'gex-copier-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const s of opened.splice(0)) s.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** Two staging areas over one folder each: the engine's own route and the copier's. */
function both(dir: string, maxBytes = 1 << 30, launched?: WorkerProcess[]) {
  const local = new Staging({ dir: join(dir, 'local'), maxBytes });
  const remote = new Staging({
    dir: join(dir, 'remote'),
    maxBytes,
    route: 'copier',
    copier: {
      launch: (entry, o) => {
        const child = forkWorker(entry, o);
        launched?.push(child);
        return child;
      },
    },
  });
  opened.push(local, remote);
  return { local, remote };
}

describe('the copier', () => {
  it('stages the same bytes, hash and ends as the in-process capture', async () => {
    const dir = temp();
    const { local, remote } = both(dir);
    for (const size of [1000, 1024 * 1024 + 100, 3 * 1024 * 1024 + 17]) {
      const file = join(dir, `chain-${size}.csv`);
      writeFileSync(file, randomBytes(size));
      const a = await local.capture(file);
      const b = await remote.capture(file);
      if (!a.ok || !b.ok) throw new Error(JSON.stringify([a, b]));
      expect(b.value.hash).toBe(a.value.hash);
      expect(b.value.size).toBe(size);
      expect(b.value.head.equals(a.value.head)).toBe(true);
      expect(b.value.tail.equals(a.value.tail)).toBe(true);
      expect(b.value.path).not.toBe(a.value.path);
      expect(readFileSync(b.value.path).equals(readFileSync(a.value.path))).toBe(true);
    }
    // One copier for every capture while none timed out.
    expect(remote.copiersStarted).toBe(1);
    expect(local.copiersStarted).toBe(0);
  });

  it('refuses a file with the same Result as the in-process capture', async () => {
    const dir = temp();
    const { local, remote } = both(dir, 100);
    writeFileSync(join(dir, 'empty.csv'), '');
    writeFileSync(join(dir, 'big.csv'), 'x'.repeat(101));
    mkdirSync(join(dir, 'folder'));
    for (const name of ['missing.csv', 'empty.csv', 'big.csv', 'folder']) {
      const file = join(dir, name);
      const a = await local.capture(file);
      const b = await remote.capture(file);
      expect(a.ok, name).toBe(false);
      expect(b, name).toEqual(a);
    }
  });

  it('answers IO when its copier is killed under a capture, and starts another for the next', async () => {
    const dir = temp();
    const launched: WorkerProcess[] = [];
    const { remote } = both(dir, 1 << 30, launched);
    const file = join(dir, 'chain.csv');
    writeFileSync(file, randomBytes(64 * 1024 * 1024));
    const first = remote.capture(file);
    while (launched.length === 0) await new Promise((r) => setTimeout(r, 5));
    launched[0]!.kill();
    const r = await first;
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('IO');
      expect(r.error.message).toContain('the copier process ended');
    }
    writeFileSync(file, 'small');
    expect((await remote.capture(file)).ok).toBe(true);
    expect(remote.copiersStarted).toBe(2);
  });

  it('is stopped at close: a capture under way says SHUTTING_DOWN at once', async () => {
    const dir = temp();
    const { remote } = both(dir);
    const file = join(dir, 'chain.csv');
    writeFileSync(file, randomBytes(64 * 1024 * 1024));
    const capture = remote.capture(file);
    // Its copier launched, not yet started (a Node process takes tens of milliseconds).
    await new Promise((r) => setImmediate(r));
    expect(remote.copiersStarted).toBe(1);
    const t = performance.now();
    remote.close();
    const r = await capture;
    expect(performance.now() - t).toBeLessThan(1000);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.code).toBe('SHUTTING_DOWN');
    // Closed: no capture starts a copier again.
    const after = await remote.capture(file);
    expect(after.ok ? 'ok' : after.error.code).toBe('SHUTTING_DOWN');
    expect(remote.copiersStarted).toBe(1);
  });
});
