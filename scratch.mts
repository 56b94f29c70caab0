import { readFileSync } from 'node:fs';
import { sniffBytes } from './electron/engine/pipeline/sniff.ts';
import { readJsonEnds } from './electron/engine/pipeline/sniff-json.ts';
import { GexConventions } from './shared/domain.ts';
const conv = GexConventions.parse({});
const time = (name: string, fn: () => unknown) => { for (let i = 0; i < 200; i++) fn(); const t = performance.now(); for (let i = 0; i < 5000; i++) fn(); console.log(name, ((performance.now() - t) / 5000 * 1000).toFixed(1), 'µs'); };
for (const f of ['/work/shared/samples/spx_quotedata_2024-01-07.csv', '/work/shared/samples/cboe_delayed_META_2025-09-06.json']) {
const b = readFileSync(f);
const h = b.subarray(0, 65536), tl = b.subarray(b.length - 4096);
time('sniffBytes ' + f.slice(-8), () => sniffBytes('f', h, tl, b.length, conv));
time('jsonEnds', () => readJsonEnds(h, tl, false));
}
console.log(sniffBytes('f', readFileSync('/work/shared/samples/cboe_delayed_META_2025-09-06.json').subarray(0,65536), readFileSync('/work/shared/samples/cboe_delayed_META_2025-09-06.json').subarray(-4096), 2514075, conv));
