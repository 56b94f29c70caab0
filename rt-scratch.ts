import { runPipeline } from './electron/engine/pipeline/index.ts';
import { GexConventions } from './shared/domain.ts';
import { mkdtempSync } from 'node:fs'; import { join } from 'node:path'; import { tmpdir } from 'node:os';
import { writeCboeCsv } from './tests/fixtures/option-chains.ts';
const dir = mkdtempSync(join(tmpdir(), 'rt-'));
const files = Array.from({ length: 10 }, (_, i) => { const f = join(dir, `s${i}.csv`); writeCboeCsv(f, { seed: 7000 + i, underlying: 'SPX', expiries: 55, strikesPerExpiry: 192 }); return f; });
const conv = GexConventions.parse({});
const acc: Record<string, number[]> = {};
for (let r = 0; r < 4; r++) for (const [i, file] of files.entries()) {
  const t = performance.now();
  const out: any = await runPipeline({ file, dataDir: dir, snapshotId: `s${r}-${i}`, conventions: conv });
  const json = performance.now(); JSON.stringify(out); const js = performance.now() - json;
  if (r === 0) continue;
  for (const [k, v] of Object.entries(out.value.timings_ms)) (acc[k] ??= []).push(v as number);
  (acc.stringify ??= []).push(js);
}
for (const [k, v] of Object.entries(acc)) { v.sort((a, b) => a - b); console.log(k.padEnd(10), v[v.length >> 1].toFixed(1)); }
