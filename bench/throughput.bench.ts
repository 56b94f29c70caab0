// Throughput where the analyst stands (issue 13): 300 distinct SPX-size chains submitted
// at once to the real engine, from the first submission to the last snapshot stored,
// against DuckDB's own read_csv + sum over the same 300 files (the floor: reading the
// bytes and adding two columns, nothing else). Measured alternately in the same run, so
// that the machine's load weighs on both. Goal: engine ≥ 1.2 × the floor's rate.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { TERMINAL_STATUSES } from '../shared/domain.ts';
import { startEngine } from '../electron/engine/engine.ts';
import { writeCboeCsv } from '../tests/fixtures/option-chains.ts';
import type { Measure } from './run.ts';

const floorSql = (file: string): string =>
  `SELECT sum(column09 * column10), sum(column19 * column20) FROM read_csv('${file.replace(/'/g, "''")}', skip = 4, header = false)`;

/** DuckDB reads and sums every file, one query after another: files per second. */
async function floorRate(files: string[]): Promise<number> {
  const instance = await DuckDBInstance.create(':memory:');
  const con = await instance.connect();
  try {
    const t = performance.now();
    for (const f of files) await con.runAndReadAll(floorSql(f));
    return files.length / ((performance.now() - t) / 1000);
  } finally {
    con.closeSync();
    instance.closeSync();
  }
}

/** The engine ingests every file, all submitted at once: snapshots per second, first submission to last stored. */
async function engineRate(files: string[], dir: string): Promise<number> {
  const started = await startEngine({
    dbPath: join(dir, 'gex.duckdb'),
    dataDir: join(dir, 'data'),
    configFile: join(dir, 'none.json'),
  });
  if (!started.ok) throw new Error(started.error.message);
  const engine = started.value;
  try {
    const ended = new Set<string>();
    const all = new Promise<void>((resolve) =>
      engine.events.on('job:updated', (j) => {
        if (!TERMINAL_STATUSES.has(j.status) || ended.has(j.id)) return;
        if (j.status !== 'completed')
          throw new Error(`${j.file} ended ${j.status}: ${j.error?.message}`);
        ended.add(j.id);
        if (ended.size === files.length) resolve();
      }),
    );
    const t = performance.now();
    await Promise.all(
      files.map((file) => engine.handlers['ingest:submit']({ file, source: 'bench' })),
    );
    await all;
    return files.length / ((performance.now() - t) / 1000);
  } finally {
    await engine.shutdown();
  }
}

export async function benchThroughput(
  n = Number(process.env.BENCH_THROUGHPUT_FILES ?? 300),
): Promise<Measure[]> {
  const dir = mkdtempSync(join(tmpdir(), 'gex-bench-throughput-'));
  try {
    // SPX-size (55 expiries × 192 strikes, two contracts a line), distinct content each.
    const files = Array.from({ length: n }, (_, i) => {
      const file = join(dir, `spx-${i}.csv`);
      writeCboeCsv(file, {
        seed: 7000 + i,
        underlying: 'SPX',
        expiries: 55,
        strikesPerExpiry: 192,
      });
      return file;
    });
    const floors: number[] = [];
    const engines: number[] = [];
    for (let round = 0; round < 2; round++) {
      floors.push(await floorRate(files));
      engines.push(await engineRate(files, join(dir, `engine-${round}`)));
    }
    const floor = Math.max(...floors);
    const engine = Math.max(...engines);
    return [
      {
        name: `floor: DuckDB read_csv + sum, ${n} SPX-size files (best of 2)`,
        value: floor,
        unit: 'files/s',
      },
      {
        name: `engine: ${n} distinct SPX-size chains submitted at once (best of 2)`,
        value: engine,
        unit: 'snapshots/s',
      },
      { name: 'engine ÷ floor (goal ≥ 1.2)', value: engine / floor, unit: '×' },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
