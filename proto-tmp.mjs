import pl from 'nodejs-polars';
import { DuckDBInstance } from '@duckdb/node-api';
import { mkdirSync, rmSync } from 'node:fs';
const N = Number(process.argv[2] ?? 1000);
const root = `/tmp/an/proto-${N}`;
rmSync(root, { recursive: true, force: true });
const unds = ['SPX','NDX','META','AAPL','QQQ'];
let t = performance.now();
for (let i = 0; i < N; i++) {
  const u = unds[i % 5]; const day = `2024-${String(1 + (i % 12)).padStart(2,'0')}-${String(1 + (i % 28)).padStart(2,'0')}`;
  const dir = `${root}/snapshots/underlying=${u}/date=${day}`; mkdirSync(dir, { recursive: true });
  pl.DataFrame({ id: [`s${i}`], underlying: [u], as_of: [`${day}T10:00:00-05:00`], as_of_ms: [BigInt(Date.parse(`${day}T10:00:00-05:00`) + i)], spot: [4700 + i], total_gex: [i * 1e6], zero_gamma: [4700.5], call_wall: [4800], put_wall: [4600], dex: [1], vex: [2], cex: [3], content_hash: [`h${i}`] }).writeParquet(`${dir}/s${i}.parquet`);
}
console.log('write', (performance.now() - t).toFixed(0), 'ms');
const glob = `${root}/snapshots/**/*.parquet`;
for (let rep = 0; rep < 3; rep++) {
  t = performance.now();
  const h = pl.scanParquet(glob, { hivePartitioning: true }).filter(pl.col('underlying').eq(pl.lit('SPX'))).sort('as_of_ms').collectSync();
  const t1 = performance.now();
  const h2 = pl.scanParquet(`${root}/snapshots/underlying=SPX/**/*.parquet`, {hivePartitioning: false}).sort('as_of_ms').collectSync();
  const t2 = performance.now();
  const l = pl.scanParquet(glob, { hivePartitioning: true }).sort('as_of_ms', true).groupBy('underlying').agg(pl.all().first()).collectSync();
  const t3 = performance.now();
  console.log('polars history(glob all)', (t1 - t).toFixed(1), 'history(folder)', (t2-t1).toFixed(1), 'levels', (t3 - t2).toFixed(1), h.height, h2.height, l.height);
}
const db = await DuckDBInstance.create(':memory:'); const c = await db.connect();
for (let rep = 0; rep < 3; rep++) {
  t = performance.now();
  const h = await c.runAndReadAll(`SELECT * FROM read_parquet('${glob}', hive_partitioning=true) WHERE underlying='SPX' ORDER BY as_of_ms`);
  const t1 = performance.now();
  const h2 = await c.runAndReadAll(`SELECT * FROM read_parquet('${root}/snapshots/underlying=SPX/*/*.parquet', hive_partitioning=false) ORDER BY as_of_ms`);
  const t2 = performance.now();
  const l = await c.runAndReadAll(`SELECT * FROM read_parquet('${glob}', hive_partitioning=true) QUALIFY row_number() OVER (PARTITION BY underlying ORDER BY as_of_ms DESC)=1`);
  const t3 = performance.now();
  console.log('duckdb history(glob all)', (t1 - t).toFixed(1), 'history(folder)', (t2-t1).toFixed(1), 'levels', (t3 - t2).toFixed(1), h.getRows().length, h2.getRows().length, l.getRows().length);
}
