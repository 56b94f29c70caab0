// The heatmap's data (`snapshots:cells`) of a large chain, every cell against the window
// the workbench shows (spot ± 10 %, its default): the answer's JSON bytes (what the
// transport carries) and the ms to build and serialise it, from the store (DuckDB) and
// from an attached export folder (Polars), timed round-robin. A 30× SPX chain's every
// cell was 40.9 MB of JSON; the chain here is a generated one of 300 expiries × 400
// strikes 5 apart around 4,700 (spot ± 21 %), dense near spot as SPX's strikes are.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Analytics } from '../electron/engine/analytics/index.ts';
import { runPipeline } from '../electron/engine/pipeline/index.ts';
import { Store } from '../electron/engine/store/db.ts';
import { saveSnapshot } from '../electron/engine/store/snapshots.ts';
import { GexConventions } from '../shared/domain.ts';
import { writeCboeCsv } from '../tests/fixtures/option-chains.ts';

type Measure = { name: string; value: number; unit: string };

const EXPIRIES = 300;
const STRIKES = 400;
const SHARE = 0.1;
const REPEATS = 7;

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export async function benchCells(): Promise<Measure[]> {
  const work = mkdtempSync(join(tmpdir(), 'gex-bench-cells-'));
  const dataDir = join(work, 'data');
  const opened = await Store.open(join(work, 'bench.duckdb'));
  if (!opened.ok) throw new Error(opened.error.message);
  const store = opened.value;
  const empty = await Store.open(':memory:');
  if (!empty.ok) throw new Error(empty.error.message);
  try {
    const file = join(work, 'big.csv');
    writeCboeCsv(file, { seed: 91, expiries: EXPIRIES, strikesPerExpiry: STRIKES, spot: 4700 });
    const id = 'big-cells';
    const run = await runPipeline({
      file,
      dataDir,
      snapshotId: id,
      conventions: GexConventions.parse({}),
    });
    if (!run.ok) throw new Error(run.error.message);
    await saveSnapshot(store, run.value, { request_id: null, job_id: null });
    const tz = 'America/New_York';
    const origins = {
      'store (DuckDB)': new Analytics({ store, timeZone: tz }),
      'attached folder (Polars)': new Analytics({
        store: empty.value,
        attach: [dataDir],
        timeZone: tz,
      }),
    };
    const out: Measure[] = [];
    for (const [where, analytics] of Object.entries(origins)) {
      // The answer as the transport sends it: built, then written as JSON.
      const answer = async (share?: number) => {
        const r = await analytics.cells(id, share);
        if (!r.ok) throw new Error(r.error.message);
        return { text: JSON.stringify(r.value), cells: r.value.net_gex.length };
      };
      const variants = [undefined, SHARE];
      const times: number[][] = variants.map(() => []);
      const sizes = await Promise.all(variants.map((s) => answer(s)));
      for (let r = 0; r < REPEATS; r++)
        for (const [k, share] of variants.entries()) {
          const t = performance.now();
          await answer(share);
          times[k]!.push(performance.now() - t);
        }
      const [all, near] = sizes as [(typeof sizes)[0], (typeof sizes)[0]];
      const [allMs, nearMs] = times.map(median) as [number, number];
      const tag = `cells of ${EXPIRIES} × ${STRIKES}, ${where}`;
      out.push(
        {
          name: `${tag}: every cell (${all.cells.toLocaleString('en-US')})`,
          value: allMs,
          unit: 'ms',
        },
        { name: `  the same, JSON`, value: all.text.length / 1e6, unit: 'MB' },
        {
          name: `  spot ± ${SHARE * 100} % (${near.cells.toLocaleString('en-US')} cells)`,
          value: nearMs,
          unit: 'ms',
        },
        { name: `  the same, JSON`, value: near.text.length / 1e6, unit: 'MB' },
        {
          name: `  window / every cell, bytes`,
          value: near.text.length / all.text.length,
          unit: '×',
        },
        { name: `  window / every cell, ms`, value: nearMs / allMs, unit: '×' },
      );
    }
    return out;
  } finally {
    await store.close();
    await empty.value.close();
    rmSync(work, { recursive: true, force: true });
  }
}
