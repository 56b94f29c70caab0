// Two snapshots of one underlying with the same as_of (a file re-sent with corrected open
// interest): the levels board and history order them alike whether they are read from the
// store or from the export folder attached by another desk. The attached reader used to keep
// whichever file it read first — its order followed the random ids — while the store took
// the one created last. The ids here run against the order of creation, both ways round.
import { renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Analytics } from '../../electron/engine/analytics/index.ts';
import { saveSnapshot } from '../../electron/engine/store/snapshots.ts';
import { cleanupDirs, pipeline, workstation, type Workstation } from './helpers.ts';

afterAll(cleanupDirs);
const NY = 'America/New_York';
const HEADER = 'underlying,as_of,spot,expiry,strike,option_type,open_interest,volume,iv,gamma';
const AS_OF = '2024-01-10T10:30:00-05:00';
const LOW = '00000000-0000-4000-8000-000000000001';
const HIGH = 'ffffffff-ffff-4fff-bfff-ffffffffffff';

/** The first file, and the same with the call at 105 holding 900 contracts (call wall 105). */
function chains(dir: string): { first: string; corrected: string } {
  const rows = (callStrike: number, callOi: number) => [
    HEADER,
    `QTIE,${AS_OF},100,2024-01-19,${callStrike},C,${callOi},1,0.2,`,
    `QTIE,${AS_OF},100,2024-01-19,95,P,100,1,0.2,`,
  ];
  const first = join(dir, 'first.csv');
  const corrected = join(dir, 'corrected.csv');
  writeFileSync(first, rows(100, 100).join('\n') + '\n');
  writeFileSync(corrected, rows(105, 900).join('\n') + '\n');
  return { first, corrected };
}

/** Stores `file` under `id`; returns the row file's time. */
async function store(ws: Workstation, file: string, id: string): Promise<string> {
  const out = await pipeline(ws, file, id);
  await saveSnapshot(ws.store, out, { request_id: null, job_id: null });
  return out.snapshotParquet;
}

/** Rewrites a row file's recorded created_at (its created_at_ms column), as DuckDB copies it. */
async function recordCreated(ws: Workstation, row: string, when: Date): Promise<void> {
  const tmp = `${row}.tmp`;
  await ws.store.run(
    `COPY (SELECT * REPLACE (${when.getTime()}::BIGINT AS created_at_ms) FROM read_parquet('${row}'))
     TO '${tmp}' (FORMAT parquet)`,
  );
  renameSync(tmp, row);
}

/** The same board and history from the store alone and from the folder attached alone. */
type Answer = { levels: (string | number | null)[][]; history: string[] };
async function bothOrigins(theirs: Workstation): Promise<[Answer, Answer]> {
  const mine = await workstation();
  const answers: Answer[] = [];
  for (const analytics of [
    new Analytics({ store: theirs.store, timeZone: NY }),
    new Analytics({ store: mine.store, attach: [theirs.dataDir], timeZone: NY }),
  ]) {
    const levels = await analytics.levels();
    const history = await analytics.history({ underlying: 'QTIE' });
    if (!levels.ok || !history.ok) throw new Error('levels or history failed');
    answers.push({
      levels: levels.value.rows.map((r) => [r.id, r.call_wall]),
      history: history.value.rows.map((r) => r.id),
    });
  }
  await mine.store.close();
  return [answers[0]!, answers[1]!];
}

describe('a tie on as_of', () => {
  for (const [firstId, correctedId] of [
    [HIGH, LOW],
    [LOW, HIGH],
  ] as const) {
    it(`shows the snapshot created last from every origin (first id ${firstId.slice(0, 4)}…)`, async () => {
      const theirs = await workstation();
      const { first, corrected } = chains(theirs.dir);
      const firstRow = await store(theirs, first, firstId);
      // The second is created in a later millisecond than the first (observed, not slept).
      while (Date.now() <= Math.floor(statSync(firstRow).mtimeMs))
        await new Promise((r) => setImmediate(r));
      await store(theirs, corrected, correctedId);
      const [fromStore, attached] = await bothOrigins(theirs);
      expect(fromStore.levels).toEqual([[correctedId, 105]]);
      expect(attached).toEqual(fromStore);
      expect(fromStore.history).toEqual([firstId, correctedId]);
      await theirs.store.close();
    });
  }

  it('created in the same millisecond: the larger id, from every origin', async () => {
    const theirs = await workstation();
    const { first, corrected } = chains(theirs.dir);
    const rows = [await store(theirs, first, HIGH), await store(theirs, corrected, LOW)];
    const when = new Date(Date.UTC(2024, 0, 10, 15, 31));
    for (const row of rows) await recordCreated(theirs, row, when);
    await theirs.store.run('UPDATE gex_snapshots SET created_at = $1::TIMESTAMPTZ', [
      when.toISOString(),
    ]);
    const [fromStore, attached] = await bothOrigins(theirs);
    expect(fromStore.levels).toEqual([[HIGH, 100]]);
    expect(attached).toEqual(fromStore);
    expect(fromStore.history).toEqual([LOW, HIGH]);
    await theirs.store.close();
  });

  it('a snapshot whose measures were refreshed (its row file rewritten) keeps its place, from every origin', async () => {
    const theirs = await workstation();
    const { first, corrected } = chains(theirs.dir);
    const firstRow = await store(theirs, first, HIGH);
    // Stored before the current measures (and before conventions were recorded): the same
    // file ingested again refreshes them.
    await theirs.store.run(
      'UPDATE gex_snapshots SET measures_version = NULL, conventions = NULL WHERE id = $1',
      [HIGH],
    );
    const laterThan = async (row: string) => {
      while (Date.now() <= Math.floor(statSync(row).mtimeMs))
        await new Promise((r) => setImmediate(r));
    };
    await laterThan(firstRow);
    const correctedRow = await store(theirs, corrected, LOW);
    await laterThan(correctedRow);
    const again = await pipeline(theirs, first);
    const saved = await saveSnapshot(theirs.store, again, { request_id: null, job_id: null });
    expect(saved).toMatchObject({ status: 'duplicate', refreshed: true });
    expect(saved.snapshot.id).toBe(HIGH);
    // Its row file was rewritten after the corrected one was written.
    expect(statSync(firstRow).mtimeMs).toBeGreaterThan(statSync(correctedRow).mtimeMs);
    const [fromStore, attached] = await bothOrigins(theirs);
    expect(fromStore.levels).toEqual([[LOW, 105]]);
    expect(attached).toEqual(fromStore);
    expect(fromStore.history).toEqual([HIGH, LOW]);
    // Its conventions stay "not recorded" in the rewritten row, as in the store.
    const mine = await workstation();
    for (const analytics of [
      new Analytics({ store: theirs.store, timeZone: NY }),
      new Analytics({ store: mine.store, attach: [theirs.dataDir], timeZone: NY }),
    ]) {
      const history = await analytics.history({ underlying: 'QTIE' });
      expect(history.ok && history.value.rows.map((r) => r.conventions === null)).toEqual([
        true,
        false,
      ]);
    }
    await mine.store.close();
    await theirs.store.close();
  });
});
