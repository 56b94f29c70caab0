// sniff (the cheap facts from a file's ends, read on the engine's own event loop) against
// the full facts pass (readFacts), on the real SPX and META samples (generated chains of
// the same size when ../shared is not there). Medians over many runs in one process.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  readFacts,
  sniffBytes,
  sniffChain,
  sniffChainSync,
} from '../electron/engine/pipeline/index.ts';
import { HEAD_BYTES } from '../electron/engine/pipeline/detect-format.ts';
import { TAIL_BYTES } from '../electron/engine/pipeline/sniff.ts';
import { notUtf8 } from '../electron/engine/pipeline/utf8.ts';
import { GexConventions } from '../shared/domain.ts';
import { writeCboeCsv, writeCboeJson } from '../tests/fixtures/option-chains.ts';

type Measure = { name: string; value: number; unit: string };

const here = dirname(fileURLToPath(import.meta.url));
const SAMPLES = resolve(here, '../../shared/samples');

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function medianOf(repeats: number, fn: () => unknown): Promise<number> {
  for (let i = 0; i < Math.min(50, repeats); i++) await fn();
  const times: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const t = performance.now();
    await fn();
    times.push(performance.now() - t);
  }
  return median(times);
}

export async function benchSniff(): Promise<Measure[]> {
  const conv = GexConventions.parse({});
  const work = mkdtempSync(join(tmpdir(), 'gex-bench-sniff-'));
  try {
    let spx = join(SAMPLES, 'spx_quotedata_2024-01-07.csv');
    let meta = join(SAMPLES, 'cboe_delayed_META_2025-09-06.json');
    if (!existsSync(spx))
      writeCboeCsv((spx = join(work, 'spx.csv')), { seed: 1, expiries: 55, strikesPerExpiry: 191 });
    if (!existsSync(meta))
      writeCboeJson((meta = join(work, 'meta.json')), {
        seed: 2,
        expiries: 20,
        strikesPerExpiry: 142,
      });
    const out: Measure[] = [];
    for (const [name, file] of [
      ['SPX CSV', spx],
      ['META JSON', meta],
    ] as const) {
      const bytes = await readFile(file);
      const head = bytes.subarray(0, HEAD_BYTES);
      const tail = bytes.subarray(Math.max(0, bytes.length - TAIL_BYTES));
      const check = await sniffChain(file, conv);
      if (
        !check.ok ||
        check.value.underlying === null ||
        check.value.spot === null ||
        check.value.as_of === null
      ) {
        throw new Error(`sniff did not find every fact of ${file}: ${JSON.stringify(check)}`);
      }
      const inMemory = await medianOf(5000, () => sniffBytes(file, head, tail, bytes.length, conv));
      const sync = await medianOf(5000, () => sniffChainSync(file, conv));
      const async = await medianOf(2000, () => sniffChain(file, conv));
      const facts = await medianOf(30, () => readFacts(file, conv));
      // What refusing a Latin-1 file costs every good one: the whole file's UTF-8 check.
      const utf8 = await medianOf(2000, () => notUtf8(file, bytes, name.endsWith('JSON')));
      out.push(
        {
          name: `${name}: sniffBytes (head and tail in memory, median)`,
          value: inMemory * 1000,
          unit: 'µs',
        },
        {
          name: `${name}: sniffChainSync (stat, open, two reads, close; median)`,
          value: sync * 1000,
          unit: 'µs',
        },
        { name: `${name}: sniffChain (fs/promises; median)`, value: async * 1000, unit: 'µs' },
        { name: `${name}: readFacts, the whole file (median)`, value: facts, unit: 'ms' },
        { name: `${name}: readFacts ÷ sniffChainSync`, value: facts / sync, unit: '×' },
        { name: `${name}: UTF-8 check of the whole file (median)`, value: utf8 * 1000, unit: 'µs' },
        { name: `${name}: UTF-8 check ÷ readFacts`, value: (utf8 / facts) * 100, unit: '%' },
      );
    }
    return out;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
