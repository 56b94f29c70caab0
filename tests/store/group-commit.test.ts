import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { DuckDBInstance } from '@duckdb/node-api';
import { Store, type StoreOptions } from '../../electron/engine/store/db.ts';
import { CommitQueue, DEFAULT_GROUP_COMMIT } from '../../electron/engine/store/group-commit.ts';
import { StatementCache } from '../../electron/engine/store/statement-cache.ts';

const dirs: string[] = [];
const tempDb = () => {
  const dir = mkdtempSync(join(tmpdir(), 'gex-gc-'));
  dirs.push(dir);
  return join(dir, 'gex.duckdb');
};
const stores: Store[] = [];
afterEach(async () => {
  for (const s of stores.splice(0)) await s.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const open = async (path = tempDb(), opts: StoreOptions = {}) => {
  const r = await Store.open(path, { ...opts });
  if (!r.ok) throw new Error(r.error.message);
  stores.push(r.value);
  return r.value;
};

/** Holds the connection with a transaction until `release()`: what is queued meanwhile waits together. */
function hold(store: Store): { release: () => void; done: Promise<void> } {
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const done = store.transaction(() => gate);
  return { release, done };
}

const ids = async (store: Store, table: string) =>
  (await store.all<{ id: number }>(`SELECT id FROM ${table} ORDER BY id`)).map((r) => r.id);

class Refused extends Error {}

describe('group commit', () => {
  it('lands every one of many concurrent transactions, in far fewer commits, each resolving after the commit that holds it', async () => {
    const store = await open();
    await store.run('CREATE TABLE t (id INTEGER PRIMARY KEY, twin INTEGER NOT NULL)');
    const before = store.commitStats();
    const n = 200;
    const committedAtRun = new Map<number, number>();
    const late: number[] = [];
    await Promise.all(
      Array.from({ length: n }, (_, i) =>
        (i % 2 ? store.at('CRITICAL') : store)
          .transaction(async (tx) => {
            await tx.run('INSERT INTO t VALUES ($1, $1)', [i]);
            return store.commitStats().commits; // commits done when this work ran
          })
          .then((commitsWhenRun) => {
            committedAtRun.set(i, commitsWhenRun);
            // At least one more commit happened between the work and its resolution.
            if (store.commitStats().commits <= commitsWhenRun) late.push(i);
          }),
      ),
    );
    expect(late).toEqual([]);
    expect(await ids(store, 't')).toEqual(Array.from({ length: n }, (_, i) => i));
    const after = store.commitStats();
    const commits = after.commits - before.commits;
    expect(commits).toBeGreaterThan(0);
    expect(commits).toBeLessThan(n / 4);
    expect(after.largestBatch).toBeGreaterThan(1);
  });

  it('isolates a failing work: its batch is rolled back, the others run again and land, only it is rejected', async () => {
    const store = await open();
    await store.run('CREATE TABLE t (id INTEGER PRIMARY KEY)');
    const runs = new Map<string, number>();
    const counted =
      (
        name: string,
        body: (tx: Parameters<Parameters<Store['transaction']>[0]>[0]) => Promise<unknown>,
      ) =>
      (tx: Parameters<Parameters<Store['transaction']>[0]>[0]) => {
        runs.set(name, (runs.get(name) ?? 0) + 1);
        return body(tx);
      };
    const h = hold(store);
    const results = await Promise.allSettled([
      store.transaction(counted('a', (tx) => tx.run('INSERT INTO t VALUES (1)'))),
      store.transaction(
        counted('throws', async (tx) => {
          await tx.run('INSERT INTO t VALUES (2)');
          throw new Refused('no');
        }),
      ),
      store.run('INSERT INTO t VALUES (3)'),
      // A work that swallows its statement's error still failed: DuckDB aborted the transaction.
      store.transaction(
        counted('swallows', async (tx) => {
          await tx.run('INSERT INTO t VALUES (1)').catch(() => undefined);
        }),
      ),
      store.transaction(
        counted('solo', (tx) => tx.run('INSERT INTO t VALUES (5)')),
        { solo: true },
      ),
      store.run('INSERT INTO no_such_table VALUES (6)'),
      store.transaction(counted('b', (tx) => tx.run('INSERT INTO t VALUES (7)'))),
      (h.release(), h.done),
    ]);
    expect(results.map((r) => r.status)).toEqual([
      'fulfilled',
      'rejected',
      'fulfilled',
      'rejected',
      'fulfilled',
      'rejected',
      'fulfilled',
      'fulfilled',
    ]);
    expect((results[1] as PromiseRejectedResult).reason).toBeInstanceOf(Refused);
    expect(String((results[3] as PromiseRejectedResult).reason)).toMatch(/constraint|duplicate/i);
    expect(String((results[5] as PromiseRejectedResult).reason)).toMatch(/no_such_table/);
    expect(await ids(store, 't')).toEqual([1, 3, 5, 7]);
    // The failing works ran once; `a` ran again after its batch was rolled back; the
    // solo work ran alone, once.
    expect(runs.get('throws')).toBe(1);
    expect(runs.get('swallows')).toBe(1);
    expect(runs.get('solo')).toBe(1);
    expect(runs.get('a')).toBeGreaterThanOrEqual(2);
    expect(store.commitStats().rollbacks).toBeGreaterThanOrEqual(2);
  });

  it('runs again, in their first order, the works of a rolled-back batch (an urgent statement that depends on an earlier normal one)', async () => {
    const store = await open();
    await store.run('CREATE TABLE items (id VARCHAR PRIMARY KEY, status VARCHAR)');
    const h = hold(store);
    let marked: Promise<{ id: string }[]> | null = null;
    const submitted = store.transaction(async (tx) => {
      await tx.run(`INSERT INTO items VALUES ('j1', 'queued')`);
      // As the submit flow does: the scheduler takes the job and queues its `running`
      // UPDATE in the urgent lane while the submit transaction is still open.
      marked ??= store
        .at('CRITICAL')
        .all<{ id: string }>(
          `UPDATE items SET status = 'running' WHERE id = 'j1' AND status = 'queued' RETURNING id`,
        );
    });
    const failing = store.transaction(async () => {
      throw new Refused('no');
    });
    h.release();
    await h.done;
    await submitted;
    await expect(failing).rejects.toBeInstanceOf(Refused);
    expect(await marked!).toEqual([{ id: 'j1' }]);
    expect(await store.all('SELECT id, status FROM items')).toEqual([
      { id: 'j1', status: 'running' },
    ]);
  });

  it('runs urgent works before normal ones waiting with them, and keeps each lane in order, statements and transactions alike', async () => {
    const store = await open();
    await store.run('CREATE SEQUENCE s START 1');
    await store.run(`CREATE TABLE seen (n INTEGER DEFAULT nextval('s'), what VARCHAR)`);
    const urgent = store.at('CRITICAL');
    const settled: string[] = [];
    const h = hold(store);
    const work: Promise<unknown>[] = [];
    for (let i = 0; i < 6; i++) {
      const what = `normal-${i}`;
      const p =
        i % 2 === 0
          ? store.run('INSERT INTO seen (what) VALUES ($1)', [what])
          : store.transaction((tx) => tx.run('INSERT INTO seen (what) VALUES ($1)', [what]));
      work.push(p.then(() => settled.push(what)));
    }
    for (let i = 0; i < 4; i++) {
      const what = `urgent-${i}`;
      const p =
        i % 2 === 0
          ? urgent.transaction((tx) => tx.run('INSERT INTO seen (what) VALUES ($1)', [what]))
          : urgent.run('INSERT INTO seen (what) VALUES ($1)', [what]);
      work.push(p.then(() => settled.push(what)));
    }
    h.release();
    await Promise.all([h.done, ...work]);
    const expected = [
      ...[0, 1, 2, 3].map((i) => `urgent-${i}`),
      ...[0, 1, 2, 3, 4, 5].map((i) => `normal-${i}`),
    ];
    const ran = (await store.all<{ what: string }>('SELECT what FROM seen ORDER BY n')).map(
      (r) => r.what,
    );
    expect(ran).toEqual(expected);
    expect(settled).toEqual(expected);
  });

  it("takes the last lane's oldest work first, after CRITICAL's, once it has waited: a burst of LOW work does not hold the reads for its whole length", async () => {
    const store = await open();
    await store.run('CREATE TABLE t (n INTEGER)');
    const low = store.at('LOW');
    // 300 LOW works queued at once, 5 ms each: about two seconds of work in lane 3.
    let done = 0;
    const burst = Array.from({ length: 300 }, (_, i) =>
      low
        .transaction(async (tx) => {
          await new Promise((r) => setTimeout(r, 5));
          await tx.run('INSERT INTO t VALUES ($1)', [i]);
        })
        .then(() => done++),
    );
    await new Promise((r) => setTimeout(r, 50));
    // A read of the analyst's (the last lane), as the UI's listing of jobs.
    const doneAtRead = await store.all('SELECT count(*) FROM t').then(() => done);
    await Promise.all(burst);
    expect(done).toBe(300);
    expect(doneAtRead).toBeLessThan(150);
  });

  it("runs every work once when the last lane's head comes of age between a look at the lanes and a take", async () => {
    // A clock that moves 7 ms at every look: the last lane's head comes of age (100 ms)
    // while the queue is choosing. Taking from the lane first *then*, not the one looked
    // at, lost a work (its caller waited for good) and ran another twice.
    const instance = await DuckDBInstance.create(':memory:');
    const conn = await instance.connect();
    let t = 0;
    const queue = new CommitQueue(
      conn,
      DEFAULT_GROUP_COMMIT,
      new StatementCache(conn),
      () => (t += 7),
    );
    await queue.push('statement', (tx) => tx.run('CREATE TABLE t (lane INTEGER, n INTEGER)'), {
      lane: 0,
    });
    // Each LOW work queues a work of the last lane as it runs, so that those come of age
    // while LOW work is still queued.
    const reads = new Map<number, Promise<unknown>>();
    const low = Array.from({ length: 60 }, (_, n) =>
      queue.push(
        'transaction',
        async (tx) => {
          await tx.run('INSERT INTO t VALUES (3, $1)', [n]);
          if (!reads.has(n))
            reads.set(
              n,
              queue.push('statement', (t2) => t2.run('INSERT INTO t VALUES (4, $1)', [n]), {
                lane: 4,
              }),
            );
        },
        { lane: 3 },
      ),
    );
    const settled = await Promise.race([
      Promise.all(low)
        .then(() => Promise.all(reads.values()))
        .then(() => 'all settled'),
      new Promise((r) => setTimeout(() => r('some never settled'), 10_000)),
    ]);
    expect(settled).toBe('all settled');
    const rows = await queue.push(
      'statement',
      (tx) =>
        tx.all<{ runs: bigint }>(
          'SELECT count(*) AS runs FROM t GROUP BY lane, n HAVING count(*) <> 1',
        ),
      { lane: 0 },
    );
    expect(rows).toEqual([]);
    conn.closeSync();
    instance.closeSync();
  });

  it('caps a batch by its number of works and by its time', async () => {
    const store = await open(tempDb(), { groupCommit: { maxWorks: 3, maxMs: 10_000 } });
    await store.run('CREATE TABLE t (id INTEGER)');
    const h = hold(store);
    const base = store.commitStats().commits;
    const many = Array.from({ length: 10 }, (_, i) => store.run('INSERT INTO t VALUES ($1)', [i]));
    h.release();
    await Promise.all([h.done, ...many]);
    expect(store.commitStats().largestBatch).toBe(3);
    expect(store.commitStats().commits - base).toBeGreaterThanOrEqual(4);

    const timed = await open(tempDb(), { groupCommit: { maxWorks: 1000, maxMs: 30 } });
    await timed.run('CREATE TABLE t (id INTEGER)');
    const h2 = hold(timed);
    const before = timed.commitStats().commits;
    const slow = timed.transaction(async (tx) => {
      await tx.run('INSERT INTO t VALUES (0)');
      await new Promise((r) => setTimeout(r, 60)); // past the batch's time
    });
    const after = timed.transaction((tx) => tx.run('INSERT INTO t VALUES (1)'));
    h2.release();
    await Promise.all([h2.done, slow, after]);
    // The work queued behind the slow one went into a batch of its own.
    expect(timed.commitStats().commits - before).toBeGreaterThanOrEqual(2);
  });

  it('runs alone a statement that cannot run inside a transaction, after the works before it have committed', async () => {
    const store = await open();
    await store.run('CREATE TABLE t (id INTEGER)');
    const h = hold(store);
    const work = [
      store.run('INSERT INTO t VALUES (1)'),
      store.run('CHECKPOINT'),
      store.run('INSERT INTO t VALUES (2)'),
    ];
    h.release();
    await Promise.all([h.done, ...work]);
    expect(await ids(store, 't')).toEqual([1, 2]);
  });

  it('with group commit off, gives every work its own commit', async () => {
    const store = await open(tempDb(), { groupCommit: false });
    await store.run('CREATE TABLE t (id INTEGER)');
    const before = store.commitStats();
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        store.transaction((tx) => tx.run('INSERT INTO t VALUES ($1)', [i])),
      ),
    );
    const after = store.commitStats();
    expect(after.commits).toBe(0);
    expect(after.alone - before.alone).toBe(20);
    expect(await ids(store, 't')).toHaveLength(20);
  });

  it('loses nothing it has resolved when the process is SIGKILLed mid-batch', async () => {
    const path = tempDb();
    const child = spawn(
      process.execPath,
      [fileURLToPath(new URL('./group-commit-child.ts', import.meta.url)), path],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    let out = '';
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    await new Promise<void>((resolve, reject) => {
      child.stdout!.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        if ((out.match(/\n/g) ?? []).length > 400) resolve();
      });
      child.once('exit', (code) => reject(new Error(`the writer exited early (${code})`)));
    });
    child.kill('SIGKILL');
    await exited;
    const lines = out.split('\n').slice(0, -1); // the last may be cut
    const said = (kind: string) =>
      lines.filter((l) => l.startsWith(kind + ' ')).map((l) => Number(l.split(' ')[1]));
    const store = await open(path);
    const landed = new Set(await ids(store, 'landed'));
    const twins = new Set(await ids(store, 'landed_twin'));
    const plain = new Set(await ids(store, 'plain'));
    expect(said('tx').length).toBeGreaterThan(100);
    expect(said('tx').filter((id) => !landed.has(id))).toEqual([]);
    expect(said('plain').filter((id) => !plain.has(id))).toEqual([]);
    // Each transaction is whole or absent; refused ones are absent.
    expect([...landed].filter((id) => !twins.has(id))).toEqual([]);
    expect([...twins].filter((id) => !landed.has(id))).toEqual([]);
    expect(said('refused').filter((id) => landed.has(id))).toEqual([]);
  });
});

describe('a database DuckDB has invalidated', () => {
  // DuckDB's words when a checkpoint could not write (a full disk, tests/system/disk-full.test.ts
  // has the real one): from then on nothing can be read or written until the file is opened again.
  const FATAL =
    'FATAL Error: Failed to create checkpoint because of error: Could not write file "x.duckdb": No space left on device';

  it('is told once, fails every later statement at once with why, and still closes', async () => {
    const store = await open();
    await store.run('CREATE TABLE t (id INTEGER)');
    const told: string[] = [];
    store.whenFatal((e) => told.push(`${e.code}: ${e.message}`));
    expect(store.fatal).toBeNull();
    await expect(
      store.transaction(async (tx) => {
        await tx.run('INSERT INTO t VALUES (1)');
        throw new Error(FATAL);
      }),
    ).rejects.toThrow(FATAL);
    expect(told).toHaveLength(1);
    expect(told[0]).toMatch(
      /^IO: The database .* can no longer be written: the disk holding it is full/,
    );
    expect(store.fatal?.code).toBe('IO');
    await expect(store.run('INSERT INTO t VALUES (2)')).rejects.toThrow(FATAL);
    // A listener that comes late is told at once; one that stopped is not told.
    const late: string[] = [];
    store.whenFatal((e) => late.push(e.code));
    expect(late).toEqual(['IO']);
    expect(told).toHaveLength(1);
    await store.close(); // no CHECKPOINT on an invalidated database, but the file is released
    const again = await Store.open(store.path);
    expect(again.ok).toBe(true);
    if (again.ok) {
      expect(await again.value.all('SELECT * FROM t')).toEqual([]);
      await again.value.close();
    }
  });
});
