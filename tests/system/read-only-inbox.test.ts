// A watched inbox on a read-only file system (a share mounted read-only, for real: a tmpfs
// remounted `ro`). The engine, the desktop app's and `gex-desk serve`'s, used to fail to
// start (EROFS making processing/) and `serve` then stayed alive holding the database. Now
// it starts, says why the folder cannot be used, takes nothing from it, and takes its files
// once the folder is writable. Needs a tmpfs mount (root, as in CI); elsewhere skipped.
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { uploadFolderOf } from '../../electron/host/serve.ts';
import { writeCboeCsv } from '../fixtures/option-chains.ts';
import { startTestEngine, type TestEngine } from '../desktop/engine.ts';
import { mountTmpfs, remount, unmount } from './tmpfs.ts';

const work = mkdtempSync(join(tmpdir(), 'gex-ro-inbox-'));
const share = join(work, 'share');
mkdirSync(share);
const mounted = mountTmpfs(share, '8m');
if (!mounted) console.warn('[read-only-inbox] skipped: cannot mount a tmpfs here (needs root)');

afterAll(() => {
  unmount(share);
  rmSync(work, { recursive: true, force: true });
});

/** The inbox's state as the engine reports it. */
async function inboxStatus(te: TestEngine) {
  const r = await te.engine.handlers['inbox:get']({});
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

/** What the inbox says of the share while it is read-only. */
const readOnlyProblem = () =>
  `The inbox ${share} is on a read-only file system: GEX Desk moves each file it takes into processing/, then done/ or failed/, there. Make it writable or choose another folder; files dropped there are taken then.`;

describe.skipIf(!mounted)('an inbox on a read-only share', () => {
  it('does not keep the engine from starting, says why, and is used once writable', async () => {
    const chain = join(work, 'spx.csv');
    writeCboeCsv(chain, { seed: 77, expiries: 2, strikesPerExpiry: 10 });
    copyFileSync(chain, join(share, 'spx.csv'));
    expect(remount(share, 'ro')).toBe(true);

    const te = await startTestEngine({ watchInbox: true, inbox: share });
    try {
      const status = () => inboxStatus(te);
      const first = await status();
      expect(first.problem).toBe(readOnlyProblem());
      expect(first.counts.waiting).toBe(1);
      // The browser host's uploads are kept in the data folder, not in the inbox.
      expect(uploadFolderOf(te.engine.config).startsWith(te.engine.config.dataDir)).toBe(true);

      expect(remount(share, 'rw')).toBe(true);
      await expect
        .poll(async () => readdirSync(join(share, 'done')).sort(), { timeout: 30_000 })
        .toEqual(['spx.csv']);
      expect((await status()).problem).toBeNull();
    } finally {
      await te.stop();
    }
  }, 60_000);

  it('says the folder is read-only, not the files rights, once its own folders are made', async () => {
    // A share used before, its folders made, remounted read-only with a file dropped in.
    expect(remount(share, 'rw')).toBe(true);
    rmSync(join(share, 'done'), { recursive: true, force: true });
    for (const d of ['processing', 'done', 'failed'])
      mkdirSync(join(share, d), { recursive: true });
    writeCboeCsv(join(share, 'late.csv'), { seed: 78, expiries: 2, strikesPerExpiry: 10 });
    expect(remount(share, 'ro')).toBe(true);
    const te = await startTestEngine({ watchInbox: true, inbox: share });
    try {
      const status = () => inboxStatus(te);
      await expect
        .poll(async () => (await status()).problem, { timeout: 30_000 })
        .toBe(readOnlyProblem());
    } finally {
      expect(remount(share, 'rw')).toBe(true);
      await te.stop();
    }
  }, 60_000);
});
