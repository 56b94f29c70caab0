// Fuzzing in the suite: a seeded sample of damaged chains (from the real samples when
// they are there, and always from generated chains) through the real readers and REAL
// pipeline worker processes: 0 INTERNAL errors, 0 crashed workers, every file completed
// or refused with a clear code, sniff's facts the reader's, messages quoting at most 40
// characters of the file; then a good file ingests normally. FUZZ_SEED picks other files;
// `npm run bench -- fuzz` runs 10,000.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WorkerPool } from '../../electron/engine/workers/pool.ts';
import { PipelineResult } from '../../shared/pipeline.ts';
import { fixtureBases, sampleBases } from '../fixtures/damaged-chains.ts';
import { formatReport, runFuzz } from './fuzz-runner.ts';
import { conventions, runSampleTests, samplesDir, tempDir } from './helpers.ts';

const SEED = Number(process.env.FUZZ_SEED ?? 20240107);
const COUNT = Number(process.env.FUZZ_COUNT ?? 300);

let pool: WorkerPool;
beforeAll(async () => {
  pool = new WorkerPool({ size: 2, spare: 0, nice: 0 });
  await pool.ready();
});
afterAll(async () => {
  await pool?.close();
});

describe('fuzz: damaged chains through the readers and real workers', () => {
  it(`${COUNT} damaged chains (seed ${SEED}): clear codes only, no crashed worker, then a good file ingests`, async () => {
    const samples = runSampleTests ? sampleBases(samplesDir) : [];
    if (process.env.REQUIRE_SAMPLES === '1') expect(samples.map((b) => b.name)).toHaveLength(2);
    const bases = [...fixtureBases(SEED), ...samples];
    const dir = tempDir('gex-fuzz-');
    const pids = pool.pids.sort();
    const report = await runFuzz({
      bases,
      seed: SEED,
      count: COUNT,
      dir,
      conventions: conventions(),
      pool,
      inProcess: true,
      checkEcho: true,
      concurrency: 4,
    });
    console.log(formatReport(report));
    expect(report.problems).toEqual([]);
    expect(report.internal).toBe(0);
    expect(report.crashed).toBe(0);
    expect(report.files).toBe(COUNT);
    // Every kind of damage was tried, and some files of every kind were refused or read.
    expect(report.outcomes.size).toBe(12);
    // The same worker processes are alive: none died and was replaced.
    expect(pool.pids.sort()).toEqual(pids);
    const good = join(dir, 'good.csv');
    (await import('node:fs')).writeFileSync(good, bases[0]!.bytes);
    const r = PipelineResult.parse(
      await pool.run({
        type: 'run',
        taskId: 'good',
        input: {
          file: good,
          dataDir: join(dir, 'data'),
          snapshotId: 'good',
          conventions: conventions(),
        },
      }),
    );
    if (!r.ok) throw new Error(JSON.stringify(r.error));
    expect(r.value.snapshot).toMatchObject({
      format: 'cboe-csv',
      underlying: 'SPX',
      contracts: 360,
    });
  }, 240_000);
});
