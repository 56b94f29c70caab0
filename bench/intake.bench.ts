// The intake alone: how fast the engine acknowledges a burst (bytes staged, request and
// job stored) when nothing else competes for the store — the queue is paused, so no facts
// read or run starts. The same arrival pattern as `bench -- bursts` (600 SPX-size chains,
// 50 every 0.7 s, each with a requested level), submitted through the engine's own
// handler in this process. Measured from each submission to its acknowledgement, and to
// its bytes being staged (the staged file's mtime, watched from outside); next to it, one
// arrival's store work on an idle store, alone and written with 49 others, and one
// capture of an SPX-size chain alone (the staging area on the file's own file system).
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEngine } from '../electron/engine/engine.ts';
import { ArrivalWriter, type ArrivalRecord } from '../electron/engine/intake/arrival-writer.ts';
import { IntakeMemory } from '../electron/engine/intake/memory.ts';
import { Staging } from '../electron/engine/intake/staging.ts';
import { Store } from '../electron/engine/store/db.ts';
import { stats } from '../tests/system/bursts/judge.ts';
import { StagingWatcher } from '../tests/system/bursts/observe.ts';
import { ownFolder } from '../electron/engine/own-folder.ts';
import { requestedLevelBurst, SPX_SIZE } from '../tests/system/bursts/plan.ts';
import { writeBurst } from '../tests/system/bursts/write.ts';
import { newYorkTime } from '../tests/system/bursts/chains.ts';
import { writeCboeJson } from '../tests/fixtures/option-chains.ts';
import type { Measure } from './run.ts';

export async function benchIntake(
  files = Number(process.env.BENCH_BURST_FILES ?? 600),
): Promise<Measure[]> {
  const dir = mkdtempSync(join(tmpdir(), 'gex-bench-intake-'));
  try {
    const filesDir = join(dir, 'files');
    mkdirSync(filesDir);
    const day = newYorkTime(Date.now()).wall.slice(0, 10);
    const burst = requestedLevelBurst({
      dir: filesDir,
      files,
      perWave: 50,
      waveGapMs: 700,
      ...SPX_SIZE,
      day,
    });
    writeBurst(burst, 0);
    const alone = await storeWorkAlone(join(dir, 'alone.duckdb'));
    const captures = await captureCost(dir);

    const started = await startEngine({
      dbPath: join(dir, 'gex.duckdb'),
      dataDir: join(dir, 'data'),
    });
    if (!started.ok) throw new Error(started.error.message);
    const engine = started.value;
    const staging = new StagingWatcher(
      ownFolder(join(dir, 'data'), join(dir, 'gex.duckdb'), 'staging'),
      50,
    );
    try {
      await engine.handlers['queue:pause']({});
      // This process is the engine: its CPU (JavaScript, DuckDB's and libuv's threads) per arrival.
      const cpu0 = process.cpuUsage();
      const t0 = Date.now();
      const results = await Promise.all(
        burst.files.map(async (f) => {
          const wait = t0 + f.atMs - Date.now();
          if (wait > 0) await new Promise((r) => setTimeout(r, wait));
          const at = Date.now();
          const r = await engine.handlers['ingest:submit']({
            file: f.path,
            source: 'desk',
            requested_priority: f.requested,
            justification: f.justification,
          });
          if (!r.ok || !r.value.job_id) throw new Error(`not acknowledged: ${f.path}`);
          return { at, ack: Date.now() - at, job: r.value.job_id };
        }),
      );
      const cpu = process.cpuUsage(cpu0);
      staging.stop();
      const rows = await engine.store.all<{ id: string; hash: string }>(
        'SELECT id, content_hash AS hash FROM jobs',
      );
      const hashOf = new Map(rows.map((r) => [r.id, r.hash]));
      const staged = results.map(
        (r) => (staging.blobs.get(hashOf.get(r.job) ?? '')?.stagedAtMs ?? NaN) - r.at,
      );
      const ack = stats(results.map((r) => r.ack));
      const st = stats(staged);
      const span = Math.max(...results.map((r) => r.at + r.ack)) - t0;
      return [
        {
          name: `acknowledgement after submission, p50 / p99 / max (n=${ack.n})`,
          value: ack.p50,
          unit: `ms / ${Math.round(ack.p99)} / ${Math.round(ack.max)} ms`,
        },
        {
          name: `bytes staged after submission, p50 / p99 / max (n=${st.n})`,
          value: st.p50,
          unit: `ms / ${Math.round(st.p99)} / ${Math.round(st.max)} ms`,
        },
        {
          name: 'acknowledgements per second (first submission to last ack)',
          value: (files / span) * 1000,
          unit: 'requests/s',
        },
        { name: 'arrivals per second in the burst', value: 50 / 0.7, unit: 'requests/s' },
        {
          name: 'engine CPU per arrival (capture + store; all its threads)',
          value: (cpu.user + cpu.system) / 1000 / files,
          unit: 'ms',
        },
        { name: 'one arrival’s context (from memory)', value: alone.context, unit: 'ms' },
        {
          name: 'one arrival written alone (request, job, entry: one transaction)',
          value: alone.alone,
          unit: 'ms',
        },
        { name: 'per arrival, 50 written together', value: alone.together, unit: 'ms' },
        ...captures,
      ];
    } finally {
      staging.stop();
      await engine.shutdown(2000);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The SPX sample (a CBOE CSV), when ../shared is there. */
const SPX_SAMPLE = join(import.meta.dirname, '../../shared/samples/spx_quotedata_2024-01-07.csv');

/**
 * One capture alone, its file and the staging area on one file system (the default
 * layout): the median wall time and the process's CPU (all threads) per capture, of an
 * SPX-size CBOE JSON made here and of the SPX sample. Each blob is released before the
 * next capture, so every one stages its bytes anew.
 */
async function captureCost(dir: string): Promise<Measure[]> {
  const files: [string, string][] = [];
  const json = join(dir, 'spx-size.json');
  writeCboeJson(json, { underlying: 'SPX', spot: 4700, seed: 7, ...SPX_SIZE });
  files.push(['an SPX-size CBOE JSON', json]);
  if (existsSync(SPX_SAMPLE)) files.push(['the SPX sample CSV', SPX_SAMPLE]);
  const staging = new Staging({ dir: join(dir, 'capture-staging'), maxBytes: 1 << 30 });
  const out: Measure[] = [];
  for (const [what, file] of files) {
    const n = 60;
    const walls: number[] = [];
    let size = 0;
    const cpu0 = process.cpuUsage();
    for (let i = 0; i < n; i++) {
      const t = performance.now();
      const r = await staging.capture(file);
      walls.push(performance.now() - t);
      if (!r.ok) throw new Error(r.error.message);
      size = r.value.size;
      staging.release(r.value.hash);
    }
    const cpu = process.cpuUsage(cpu0);
    const mb = (size / 1e6).toFixed(1);
    out.push(
      { name: `one capture of ${what} (${mb} MB), median`, value: stats(walls).p50, unit: 'ms' },
      {
        name: `CPU per capture of ${what} (all threads)`,
        value: (cpu.user + cpu.system) / 1000 / n,
        unit: 'ms',
      },
    );
  }
  return out;
}

/**
 * The store work of arrivals on an idle store, through the engine's arrival writer: one
 * arrival written alone (its context from memory, then request + job + entry in one
 * transaction), and 50 arriving together (one transaction, one statement per table),
 * per arrival.
 */
async function storeWorkAlone(
  path: string,
): Promise<{ context: number; alone: number; together: number }> {
  const opened = await Store.open(path);
  if (!opened.ok) throw new Error(opened.error.message);
  const store = opened.value;
  const memory = await IntakeMemory.load(store);
  const writer = new ArrivalWriter(store, () => undefined);
  const record = (i: number): ArrivalRecord => {
    const [request, job, hash] = [
      randomUUID(),
      randomUUID(),
      randomUUID().replace(/-/g, '').padEnd(64, '0'),
    ];
    const now = new Date().toISOString();
    const staged = { hash, path: hash, size: 1, head: Buffer.alloc(0), tail: Buffer.alloc(0) };
    return {
      request: {
        id: request,
        request: { file: `/f${i}`, source: 'desk' },
        arrivedMs: Date.now(),
        arrivalOrder: i,
        staged,
        underlying: 'SPX',
        knownSource: i > 0,
        facts: { given: { now }, derived: {}, unknown: ['total_volume'] },
        total_gex: null,
      },
      job: {
        id: job,
        request_id: request,
        file: `/f${i}`,
        source: 'desk',
        underlying: 'SPX',
        content_hash: hash,
        submitted_at: now,
        status: 'deciding',
        priority: 'CRITICAL',
        rule: 'deciding',
        rule_version: 1,
      },
      audits: [
        {
          kind: 'arrival',
          request_id: request,
          job_id: job,
          rule_version: 1,
          rule: 'deciding',
          priority: 'CRITICAL',
          facts: null,
          explanation: 'arrived',
          actor: null,
          file: `/f${i}`,
          underlying: 'SPX',
        },
      ],
    };
  };
  const n = 100;
  let context = 0;
  let alone = 0;
  try {
    for (let i = 0; i < n; i++) {
      let t = performance.now();
      memory.context({
        content_hash: `h${i}`,
        underlying: 'SPX',
        source: 'desk',
        arrivedMs: Date.now(),
      });
      context += performance.now() - t;
      t = performance.now();
      await writer.write(record(i));
      alone += performance.now() - t;
    }
    const t = performance.now();
    const rounds = 4;
    for (let r = 0; r < rounds; r++)
      await Promise.all(Array.from({ length: 50 }, (_, i) => writer.write(record(n + r * 50 + i))));
    const together = (performance.now() - t) / (rounds * 50);
    return { context: context / n, alone: alone / n, together };
  } finally {
    await store.close();
  }
}
