// `npm run bench -- fuzz`: at least 10,000 damaged chains (tests/fixtures/damaged-chains.ts,
// from the real samples when they are there and from generated chains) through the real
// readers in REAL pipeline worker processes; prints the outcome codes per damage kind.
// Fails when any file ends INTERNAL or crashes a worker, or sniff disagrees with a reader.
// FUZZ_SEED, FUZZ_COUNT and FUZZ_ECHO=1 (also check messages quote ≤ 40 characters) tune it.
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WorkerPool } from '../electron/engine/workers/pool.ts';
import { GexConventions } from '../shared/domain.ts';
import { fixtureBases, sampleBases } from '../tests/fixtures/damaged-chains.ts';
import { formatReport, runFuzz } from '../tests/pipeline/fuzz-runner.ts';

type Measure = { name: string; value: number; unit: string };

const here = dirname(fileURLToPath(import.meta.url));

export async function benchFuzz(): Promise<Measure[]> {
  const seed = Number(process.env.FUZZ_SEED ?? 1);
  const count = Number(process.env.FUZZ_COUNT ?? 10_000);
  const dir = mkdtempSync(join(tmpdir(), 'gex-bench-fuzz-'));
  const pool = new WorkerPool({ size: availableParallelism(), spare: 0, nice: 0 });
  try {
    await pool.ready();
    const pids = pool.pids.sort().join(',');
    const bases = [...fixtureBases(seed), ...sampleBases(resolve(here, '../../shared/samples'))];
    const report = await runFuzz({
      bases,
      seed,
      count,
      dir,
      conventions: GexConventions.parse({}),
      pool,
      checkEcho: process.env.FUZZ_ECHO === '1',
      concurrency: pool.workers * 2,
    });
    process.stdout.write(`  seed ${seed}, bases: ${bases.map((b) => b.name).join(', ')}\n`);
    process.stdout.write(formatReport(report).replace(/^/gm, '  ') + '\n');
    for (const p of report.problems.slice(0, 20)) process.stdout.write(`  PROBLEM ${p}\n`);
    const replaced = pool.pids.sort().join(',') !== pids;
    if (report.problems.length > 0 || report.internal > 0 || report.crashed > 0 || replaced)
      process.exitCode = 1;
    const ok = [...report.outcomes.values()].reduce((n, m) => n + (m.get('ok') ?? 0), 0);
    return [
      { name: 'damaged files', value: report.files, unit: 'files' },
      { name: 'completed', value: ok, unit: 'files' },
      {
        name: 'refused with a clear code',
        value: report.files - ok - report.internal - report.crashed,
        unit: 'files',
      },
      { name: 'INTERNAL', value: report.internal, unit: 'files' },
      { name: 'crashed workers', value: report.crashed + (replaced ? 1 : 0), unit: 'workers' },
      {
        name: 'problems (sniff contract, expected codes, outcomes)',
        value: report.problems.length,
        unit: '',
      },
      {
        name: 'time per file, through the workers',
        value: report.ms / Math.max(1, report.files),
        unit: 'ms',
      },
    ];
  } finally {
    await pool.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
