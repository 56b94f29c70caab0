// The store checkpoints between bursts, not inside them: its WAL threshold is raised, and
// once it has been idle after writing, the WAL is folded into the file. Real DuckDB.
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { Store } from '../../electron/engine/store/db.ts';
import { IDLE_CHECKPOINT_MS } from '../../electron/engine/store/idle-checkpoint.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const walBytes = (db: string): number => (existsSync(`${db}.wal`) ? statSync(`${db}.wal`).size : 0);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

it('raises the WAL threshold and checkpoints once idle after writes, then stays quiet', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'gex-idle-ckpt-'));
  dirs.push(dir);
  const db = join(dir, 'gex.duckdb');
  const opened = await Store.open(db);
  if (!opened.ok) throw new Error(opened.error.message);
  const store = opened.value;
  try {
    const setting = await store.one<{ v: string }>(
      "SELECT current_setting('checkpoint_threshold') AS v",
    );
    expect(setting?.v).toBe('244.1 MiB'); // 256 MB
    // About 3 MB of WAL, under the threshold: DuckDB alone would leave it there.
    await store.run('CREATE TABLE t AS SELECT range AS i, random() AS x FROM range(200000)');
    for (let i = 0; i < 5; i++)
      await store.run('INSERT INTO t SELECT range, random() FROM range(20000)');
    expect(walBytes(db)).toBeGreaterThan(100_000);
    const before = store.idleCheckpoints();
    // Busy: writes closer together than the idle time never checkpoint.
    for (let i = 0; i < 4; i++) {
      await sleep(IDLE_CHECKPOINT_MS / 10);
      await store.run('INSERT INTO t VALUES (1, 0.5)');
    }
    expect(store.idleCheckpoints()).toBe(before);
    const deadline = Date.now() + IDLE_CHECKPOINT_MS * 10;
    // The WAL empties during the CHECKPOINT; the count follows once it has returned.
    while ((walBytes(db) > 0 || store.idleCheckpoints() === before) && Date.now() < deadline)
      await sleep(50);
    expect(walBytes(db)).toBe(0);
    expect(store.idleCheckpoints()).toBe(before + 1);
    // Reads only since: nothing to fold in, no checkpoint.
    await store.all('SELECT count(*) FROM t');
    await sleep(IDLE_CHECKPOINT_MS * 2);
    expect(store.idleCheckpoints()).toBe(before + 1);
    expect((await store.one<{ n: bigint }>('SELECT count(*) AS n FROM t'))?.n).toBe(300_004n);
  } finally {
    await store.close();
  }
});
