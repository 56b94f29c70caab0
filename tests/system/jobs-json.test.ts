// `gex-desk jobs --json` must say when each job's level was decided (`decided_at`, issue 8:
// a job being decided by a facts read is in service, one decided waits for its run), so
// that inversions can be judged from arrival with the command's own output.
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it, onTestFinished } from 'vitest';
import { writeCboeCsv } from '../fixtures/option-chains.ts';
import { newHome, runCommand, cleanUp } from './bursts/command.ts';

describe('gex-desk jobs --json', () => {
  it('prints decided_at, as the jobs table holds it', { timeout: 300_000 }, async () => {
    const home = newHome('gex-jobs-json-');
    onTestFinished(cleanUp(home));
    const file = join(home.dir, 'chain.csv');
    writeCboeCsv(file, {
      seed: 11,
      underlying: 'AAPL',
      spot: 190,
      expiries: 3,
      strikesPerExpiry: 10,
    });
    const ingested = await runCommand(home, ['ingest', file, '--json']);
    expect(ingested.code).toBe(0);
    const listed = await runCommand(home, ['jobs', '--json']);
    expect(listed.code).toBe(0);
    expect(listed.lines).toHaveLength(1);

    const instance = await DuckDBInstance.create(home.db, { access_mode: 'READ_ONLY' });
    const conn = await instance.connect();
    try {
      const rows = (
        await conn.runAndReadAll('SELECT epoch_ms(decided_at) AS d FROM jobs')
      ).getRowObjectsJS() as { d: bigint }[];
      expect(rows[0]!.d).not.toBeNull();
      expect(listed.lines[0]).toHaveProperty(
        'decided_at',
        new Date(Number(rows[0]!.d)).toISOString(),
      );
    } finally {
      conn.closeSync();
      instance.closeSync();
    }
  });
});
