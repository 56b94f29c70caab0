// A file the watched inbox took is read only if it is still that file (QA sec2 N7): links
// were refused at the door only, and a file swapped for a symbolic link once in
// processing/ (writable by whoever can write a shared inbox) was followed at its capture,
// the link's target — any file the analyst can read — ingested. The inbox now records the
// file it takes (device and inode); the capture opens it without following a link
// (O_NOFOLLOW), and reads its descriptor only if it is that file. The swap is made here
// before the capture runs, not raced: in the submit the inbox calls, and on files given
// to the capture. Real inbox, real staging (in this process and in the copier), real files.
import { createHash } from 'node:crypto';
import {
  lstatSync,
  mkdtempSync,
  readdirSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { SubmitAck } from '../../shared/api.ts';
import type { FileIdentity } from '../../shared/copier.ts';
import { ok, type Result } from '../../shared/result.ts';
import { identityOf } from '../../electron/engine/intake/capture-copy.ts';
import { Inbox } from '../../electron/engine/intake/inbox.ts';
import { Staging } from '../../electron/engine/intake/staging.ts';

const dirs: string[] = [];
const opened: Staging[] = [];
const temp = () => {
  const d = mkdtempSync(join(tmpdir(), 'gex-swap-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const s of opened.splice(0)) s.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const PRIVATE = 'UNDERLYING,PRIVATE\nonly the analyst may read this\n';
const sha = (text: string) => createHash('sha256').update(text).digest('hex');
const seenOf = (path: string): FileIdentity => identityOf(lstatSync(path, { bigint: true }));

/** The analyst's private file, which a vendor writing the inbox cannot read. */
function privateFile(dir: string): string {
  const target = join(dir, 'private.csv');
  writeFileSync(target, PRIVATE, { mode: 0o600 });
  return target;
}

function staging(dir: string, route: 'auto' | 'copier'): Staging {
  const s = new Staging({ dir: join(dir, `staging-${route}`), maxBytes: 1 << 20, route });
  opened.push(s);
  return s;
}

describe.skipIf(process.platform === 'win32')('a file swapped in processing/', () => {
  for (const route of ['auto', 'copier'] as const)
    it(`is not read: a link is refused unfollowed, another file refused (${route})`, async () => {
      const dir = temp();
      const target = privateFile(dir);
      const s = staging(dir, route);
      const file = join(dir, 'taken.csv');

      writeFileSync(file, 'garbage\n');
      const seen = seenOf(file);
      rmSync(file);
      symlinkSync(target, file);
      const linked = await s.capture(file, { seen });
      expect(linked.ok).toBe(false);
      if (!linked.ok) {
        expect(linked.error.code).toBe('NOT_A_FILE');
        expect(linked.error.message).toBe(
          `${file} was replaced by a symbolic link after the inbox took it; links are never followed, nothing was read`,
        );
      }

      // Another regular file renamed over it: not the file taken.
      rmSync(file);
      writeFileSync(file, 'garbage\n');
      const taken = seenOf(file);
      const other = join(dir, 'other.csv');
      writeFileSync(other, PRIVATE);
      renameSync(other, file);
      const replaced = await s.capture(file, { seen: taken });
      expect(replaced.ok).toBe(false);
      if (!replaced.ok) {
        expect(replaced.error.code).toBe('FILE_CHANGED');
        expect(replaced.error.message).toMatch(/is no longer the file the inbox took/);
      }
      expect(
        readdirSync(s.dir).filter((n) => !n.startsWith('.')),
        'nothing staged',
      ).toEqual([]);

      // The file taken, untouched: captured as ever.
      const kept = await s.capture(file, { seen: seenOf(file) });
      if (!kept.ok) throw new Error(kept.error.message);
      expect(kept.value.hash).toBe(sha(PRIVATE));
      expect(kept.value.size).toBe(PRIVATE.length);
    });

  it('by the inbox, after it took it, is refused at its capture: the link’s target is never read', async () => {
    const dir = temp();
    const target = privateFile(dir);
    const s = staging(dir, 'auto');
    const captures: Result<unknown>[] = [];
    const inbox = new Inbox({
      dir: join(dir, 'inbox'),
      pollMs: 60_000,
      quietMs: 0,
      // The engine's submit captures the file first (submit.ts): here the swap comes just
      // before, as a vendor writing processing/ would make it.
      submit: async (file, _source, _inbox, seen): Promise<Result<SubmitAck>> => {
        rmSync(file);
        symlinkSync(target, file);
        const captured = await s.capture(file, { seen });
        captures.push(captured);
        return ok({
          request_id: 'r',
          job_id: null,
          status: 'failed',
          decision: null,
          snapshot_id: null,
          error: captured.ok ? null : captured.error,
        });
      },
    });
    await inbox.start();
    try {
      writeFileSync(join(inbox.dir, 'race.csv'), 'garbage\n');
      await inbox.poll();
      await inbox.poll();
      while (captures.length === 0) await new Promise((r) => setTimeout(r, 10));
      const [captured] = captures;
      expect(captured?.ok).toBe(false);
      if (captured && !captured.ok) expect(captured.error.code).toBe('NOT_A_FILE');
      expect(readdirSync(s.dir).filter((n) => !n.startsWith('.'))).toEqual([]);
    } finally {
      await inbox.stop();
    }
  });
});
