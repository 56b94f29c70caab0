// The engine over many requests, in a fresh process started by `npm run bench --
// memory-requests`: the real engine (startEngine, the submit handler, the scheduler, two
// workers) given N distinct ten-contract chains, 50 at a time, each batch waited for.
// Its RSS and JS heap at the start, along the way, after the last, and after a
// quiet while: a request's memory must be given back, whatever the count (issue: 3,000
// tiny requests grew it by 1 GB). Prints one JSON line per sample:
// {requests, rssMb, heapMb, duckdbMb}. Usage: node bench/engine-requests.ts N DIR
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { startEngine } from '../electron/engine/engine.ts';
import { num } from '../electron/engine/store/db.ts';
import { writeCboeCsv } from '../tests/fixtures/option-chains.ts';

const [count, dir] = process.argv.slice(2) as [string, string];
const n = Number(count);
const BATCH = 50;
const started = await startEngine({
  dbPath: join(dir, 'gex.duckdb'),
  dataDir: join(dir, 'data'),
  inbox: join(dir, 'inbox'),
  configFile: join(dir, 'none.json'),
  workers: 2,
});
if (!started.ok) throw new Error(started.error.message);
const engine = started.value;
const files = join(dir, 'files');
mkdirSync(files, { recursive: true });

async function sample(requests: number, label?: string): Promise<void> {
  const m = process.memoryUsage();
  const [duck] = await engine.store.all<{ bytes: unknown }>(
    'SELECT sum(memory_usage_bytes) AS bytes FROM duckdb_memory()',
  );
  const mb = (b: number) => Math.round(b / 1e6);
  process.stdout.write(
    JSON.stringify({
      requests,
      label,
      rssMb: mb(m.rss),
      heapMb: mb(m.heapUsed),
      duckdbMb: mb(num(duck!.bytes)),
    }) + '\n',
  );
}

await sample(0);
for (let i = 0; i < n; i += BATCH) {
  const acks = [];
  for (let j = i; j < Math.min(n, i + BATCH); j++) {
    const file = join(files, `chain-${j}.csv`);
    const day = String(1 + (j % 27)).padStart(2, '0');
    writeCboeCsv(file, {
      seed: 1000 + j,
      underlying: 'AAPL',
      asOf: `2024-0${1 + (j % 9)}-${day}T10:${String(j % 60).padStart(2, '0')}:00`,
      spot: 50 + (j % 400),
      expiries: 1,
      strikesPerExpiry: 5,
    });
    acks.push(engine.handlers['ingest:submit']({ file, source: 'bench' }));
  }
  for (const ack of await Promise.all(acks)) if (!ack.ok) throw new Error(ack.error.message);
  await engine.drain();
  const done = Math.min(n, i + BATCH);
  if (done % (n / 4) === 0) await sample(done);
}
await new Promise((r) => setTimeout(r, 10_000));
await sample(n, 'idle');
await engine.shutdown(5000);
