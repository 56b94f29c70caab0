// Staged bytes let go while the data folder was read-only (QA rc F5): their removal threw
// (EROFS), and the blobs — with the partial `.capture-*` copies of captures the folder
// refused — stayed in staging until the next start, however long the engine ran after the
// folder was writable again. Now what could not be removed is tried again once the folder
// can be written (after the next capture, and on a timer), and a blob a job has taken again
// meanwhile, or still holds, is kept. The real staging area on a real tmpfs remounted
// read-only (needs root, as in CI).
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Staging } from '../../electron/engine/intake/staging.ts';
import { mountTmpfs, remount, unmount } from './tmpfs.ts';

const work = mkdtempSync(join(tmpdir(), 'gex-staging-ro-'));
const disk = join(work, 'disk');
mkdirSync(disk);
const mounted = mountTmpfs(disk, '8m');
if (!mounted) console.warn('[staging-read-only] skipped: cannot mount a tmpfs here (needs root)');

afterAll(() => {
  remount(disk, 'rw');
  unmount(disk);
  rmSync(work, { recursive: true, force: true });
});

const file = (name: string, text: string): string => {
  const f = join(work, name);
  writeFileSync(f, text);
  return f;
};

async function captured(staging: Staging, path: string): Promise<string> {
  const r = await staging.capture(path);
  if (!r.ok) throw new Error(r.error.message);
  return r.value.hash;
}

describe.skipIf(!mounted)('staged bytes let go while the data folder is read-only', () => {
  it('are removed once it is writable again, on a timer or after the next capture; bytes still needed are kept', async () => {
    const staging = new Staging({ dir: join(disk, 'staging'), maxBytes: 1 << 20, retryMs: 100 });
    try {
      const gone = await captured(staging, file('gone.csv', 'a,b\n1,2\n'));
      const kept = await captured(staging, file('kept.csv', 'a,b\n3,4\n')); // a job still holds it
      const again = await captured(staging, file('again.csv', 'a,b\n5,6\n'));
      expect(remount(disk, 'ro')).toBe(true);
      // Let go while nothing can be removed: no throw, the bytes stay for now.
      staging.release(gone);
      staging.release(again);
      expect(existsSync(staging.pathOf(gone))).toBe(true);
      expect(staging.leftover).toBe(2);
      // Taken again meanwhile (a retry claiming the same content): kept.
      staging.acquire(again);
      expect(remount(disk, 'rw')).toBe(true);
      await expect
        .poll(() => existsSync(staging.pathOf(gone)), { timeout: 10_000, interval: 50 })
        .toBe(false);
      expect(existsSync(staging.pathOf(kept))).toBe(true);
      expect(existsSync(staging.pathOf(again))).toBe(true);
      expect(staging.leftover).toBe(0);

      // No timer soon: the next capture, which writes, removes what is left.
      const slow = new Staging({
        dir: join(disk, 'staging'),
        maxBytes: 1 << 20,
        retryMs: 3_600_000,
      });
      try {
        slow.recover([kept, again]);
        expect(remount(disk, 'ro')).toBe(true);
        slow.release(again);
        expect(slow.leftover).toBe(1);
        expect(remount(disk, 'rw')).toBe(true);
        await captured(slow, file('next.csv', 'a,b\n7,8\n'));
        expect(existsSync(slow.pathOf(again))).toBe(false);
        expect(existsSync(slow.pathOf(kept))).toBe(true);
        expect(slow.leftover).toBe(0);
      } finally {
        slow.close();
      }
    } finally {
      remount(disk, 'rw');
      staging.close();
    }
  });
});
