// On a machine other accounts share, what GEX Desk keeps is the user's alone (QA sec F11):
// under a umask of 022 the database, the staged copies, the uploads and the log were
// readable by every local account. The folders GEX Desk makes for them are 0700 and their
// files 0600 (a staged copy 0400); the exports keep the umask (other desks attach them),
// and a database the user pointed at that exists keeps its mode. Real engine, real files.
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Staging } from '../../electron/engine/intake/staging.ts';
import { ownFolder } from '../../electron/engine/own-folder.ts';
import { Store } from '../../electron/engine/store/db.ts';
import { UploadFolder } from '../../electron/host/http/uploads.ts';
import { uploadFolderOf } from '../../electron/host/serve.ts';
import { cboeCsvText, makeChain } from '../fixtures/option-chains.ts';
import { engineIn } from '../desktop/engine.ts';

const mode = (path: string) => statSync(path).mode & 0o777;

/** Every file under `dir`, by path. */
const filesUnder = (dir: string): string[] =>
  readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name));

let umask = 0;
let dir = '';

beforeAll(() => {
  umask = process.umask(0o022);
  dir = mkdtempSync(join(tmpdir(), 'gex-private-'));
});
afterAll(() => {
  process.umask(umask);
  rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(process.platform === 'win32')('what GEX Desk keeps, under umask 022', () => {
  it('is the user’s alone: its folder, the database, staging, uploads, the log; exports keep the umask', async () => {
    const home = join(dir, 'home');
    const dbPath = join(home, 'gex.duckdb');
    const dataDir = join(dir, 'data');
    const engine = await engineIn(dir, { dbPath, dataDir });
    try {
      const file = join(dir, 'spx.csv');
      writeFileSync(file, cboeCsvText(makeChain({ seed: 7, expiries: 2, strikesPerExpiry: 10 })));
      const r = await engine.handlers['ingest:submit']({ file, source: 'desk' });
      if (!r.ok) throw new Error(r.error.message);
      await engine.drain();

      expect(mode(home), 'the database’s folder, made by GEX Desk').toBe(0o700);
      expect(mode(dbPath), 'the database').toBe(0o600);
      const wal = `${dbPath}.wal`;
      if (readdirSync(home).includes('gex.duckdb.wal')) expect(mode(wal), 'its WAL').toBe(0o600);

      // The data folder (made by GEX Desk here, through its staging folder) keeps the umask:
      // other desks attach its exports. Its own folders are private.
      expect(mode(dataDir), 'the data folder').toBe(0o755);
      const staging = ownFolder(dataDir, dbPath, 'staging');
      expect(mode(staging)).toBe(0o700);
      // A staged copy (released once its job is done: one captured here, as the intake does).
      const captured = await new Staging({
        dir: join(dir, 'staging2', 'db'),
        maxBytes: 1 << 30,
      }).capture(file);
      if (!captured.ok) throw new Error(captured.error.message);
      expect(mode(join(dir, 'staging2', 'db'))).toBe(0o700);
      // The folder above it, made for it, keeps the umask (a new data folder's exports stay
      // attachable by other desks).
      expect(mode(join(dir, 'staging2'))).toBe(0o755);
      expect(mode(captured.value.path), 'a staged copy').toBe(0o400);

      expect(mode(join(dataDir, 'logs'))).toBe(0o700);
      expect(mode(join(dataDir, 'logs', 'gex-desk.log'))).toBe(0o600);

      const exports = filesUnder(dataDir).filter((p) => p.endsWith('.parquet'));
      expect(exports.length, 'the snapshot’s exports').toBeGreaterThan(0);
      for (const p of exports) expect(mode(p), p).toBe(0o644);

      const uploads = await UploadFolder.open(uploadFolderOf(engine.config));
      const got = await uploads.receive(
        'b.csv',
        5,
        (async function* () {
          yield Buffer.from('rows\n');
        })(),
      );
      if (!got.ok) throw new Error(got.error.message);
      expect(mode(uploadFolderOf(engine.config))).toBe(0o700);
      expect(mode(join(got.value.path, '..'))).toBe(0o700);
      expect(mode(got.value.path)).toBe(0o600);
    } finally {
      await engine.shutdown(5000);
    }
  }, 60_000);

  it('leaves the mode of a database the user pointed at that exists', async () => {
    const elsewhere = join(dir, 'shared-folder');
    const dbPath = join(elsewhere, 'team.duckdb');
    const made = await Store.open(dbPath);
    if (!made.ok) throw new Error(made.error.message);
    await made.value.close();
    chmodSync(dbPath, 0o640);
    const engine = await engineIn(dir, { dbPath, dataDir: join(dir, 'data2') });
    await engine.shutdown(5000);
    expect(mode(dbPath)).toBe(0o640);
  }, 60_000);
});
