// "Newest first" and "the last N" on the real store: the files of one command share their
// arrival to the millisecond, and their jobs' `seq` is the order their captures ended
// (rows written as each file was read), not the order they were submitted in. The
// listings place such ties by the request's `arrival_order` (migration 10), which its job
// carries too (migration 11 fills it in for the jobs stored before); a request stored
// before migration 10 has none and keeps its job's `seq`, older than any that has one.
// QA ct F1: `jobs` and `rules whatif --last N` ordered one command's files at random.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listJobs } from '../../electron/engine/jobs/repository.ts';
import type { Store } from '../../electron/engine/store/db.ts';
import { decidedRequests } from '../../electron/engine/store/decided-requests.ts';
import { MIGRATIONS } from '../../electron/engine/store/migrations.ts';
import { openStore } from './open-store.ts';

const s = { dir: '', store: null as unknown as Store };

/**
 * The two commands' rows written by version 10 (its jobs had no place of their own), then
 * the file opened by this version: migration 11 gives each job its request's place.
 */
beforeEach(async () => {
  s.dir = mkdtempSync(join(tmpdir(), 'gex-arrival-order-'));
  const path = join(s.dir, 'gex.duckdb');
  s.store = await openStore(
    path,
    MIGRATIONS.filter((m) => m.version <= 10),
  );
  await twoCommands();
  await s.store.close();
  s.store = await openStore(path);
});
afterEach(async () => {
  await s.store.close();
  rmSync(s.dir, { recursive: true, force: true });
});

/** A decided request and its completed job, as version 10 stored them. */
async function add(
  name: string,
  at: string,
  arrivalOrder: number | null,
  seq: number,
): Promise<void> {
  await s.store.run(
    `INSERT INTO requests (id, file, source, submitted_at, facts, arrival_order)
     VALUES ($1, $2, 'cli', $3::TIMESTAMPTZ, $4, $5)`,
    [
      `req-${name}`,
      `/in/${name}.csv`,
      at,
      JSON.stringify({ given: { underlying: 'SPX', freshness: 'stale' } }),
      arrivalOrder,
    ],
  );
  await s.store.run(
    `INSERT INTO jobs (id, seq, request_id, file, source, underlying, priority, effective_priority, rule,
       status, submitted_at, queued_at, attempts, late)
     VALUES ($1, $2, $3, $4, 'cli', 'SPX', 'LOW', 'LOW', 'G2', 'completed', $5::TIMESTAMPTZ, $5::TIMESTAMPTZ, 1, false)`,
    [`job-${name}`, seq, `req-${name}`, `/in/${name}.csv`, at],
  );
}

const OLD_COMMAND = '2026-12-01T10:00:00.000Z';
const COMMAND = '2026-12-06T10:00:00.000Z';

/** Two commands: one stored before migration 10, one after, each of three files read out of order. */
async function twoCommands(): Promise<void> {
  // Before migration 10: no place; their rows in the order their captures ended.
  await add('old-b', OLD_COMMAND, null, 1);
  await add('old-a', OLD_COMMAND, null, 2);
  // Submitted a, b, c; c (small) was read and written first, then b, then a.
  await add('c', COMMAND, 3, 3);
  await add('b', COMMAND, 2, 4);
  await add('a', COMMAND, 1, 5);
  // A request at the old command's instant given a place since (clamped to the latest
  // arrival stored): it follows those stored before it.
  await add('late', OLD_COMMAND, 4, 0);
}

describe('arrival order of the listings', () => {
  it('gives each job its request’s place', async () => {
    const rows = await s.store.all<{ id: string; arrival_order: bigint | null }>(
      'SELECT id, arrival_order FROM jobs ORDER BY id',
    );
    expect(
      rows.map((r) => [r.id, r.arrival_order === null ? null : Number(r.arrival_order)]),
    ).toEqual([
      ['job-a', 1],
      ['job-b', 2],
      ['job-c', 3],
      ['job-late', 4],
      ['job-old-a', null],
      ['job-old-b', null],
    ]);
  });

  it('lists jobs newest first: one command’s files in reverse submission order, a page at a time too', async () => {
    const all = await listJobs(s.store, { limit: 100 });
    const want = ['job-c', 'job-b', 'job-a', 'job-late', 'job-old-a', 'job-old-b'];
    expect(all.map((j) => j.id)).toEqual(want);
    // Pages of two, each after the last of the one before.
    const paged: string[] = [];
    let after: string | undefined;
    for (;;) {
      const page = await listJobs(s.store, { limit: 2, after });
      if (page.length === 0) break;
      paged.push(...page.map((j) => j.id));
      after = page.at(-1)!.id;
    }
    expect(paged).toEqual(want);
    expect((await listJobs(s.store, { limit: 2, status: 'completed' })).map((j) => j.id)).toEqual(
      want.slice(0, 2),
    );
  });

  it('replays the last N arrivals: --last 2 takes the command’s last two files', async () => {
    expect((await decidedRequests(s.store, 2)).map((r) => r.request_id)).toEqual([
      'req-c',
      'req-b',
    ]);
    expect((await decidedRequests(s.store, 100)).map((r) => r.request_id)).toEqual([
      'req-c',
      'req-b',
      'req-a',
      'req-late',
      'req-old-a',
      'req-old-b',
    ]);
  });
});
