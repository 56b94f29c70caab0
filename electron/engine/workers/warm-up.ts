// What a worker started ahead of time runs before it says `ready`: the path of a real
// task — a facts read that leaves its chain file, then the run on that chain — on a CBOE
// quotes CSV of 20 expiries × 40 strikes (1,600 contracts), the commonest format. V8
// compiles and optimises what runs, so a tiny chain in another format left the first
// real file cold: on the SPX sample, the facts read of a fresh worker took 128–182 ms
// after the old three-row warm-up and 77–116 ms after this one (docs/performance.md),
// at the price of 30–40 ms more before `ready`.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GexConventions } from '../../../shared/domain.ts';
import { readFacts, runPipeline } from '../pipeline/index.ts';

const EXPIRIES = 20;
const STRIKES = 40;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** A CBOE delayed-quotes CSV of an index at 100, quoted on Monday 8 January 2024, weekly Friday expiries. */
export function warmUpChain(): string {
  const lines = [
    '',
    'WARM-UP INDEX,Last: 100,Change: 0',
    '"Date: January 8, 2024 at 10:00 AM EST",Bid: 99.9,Ask: 100.1,Size: 1*1,Volume: 0',
    'Expiration Date,Calls,Last Sale,Net,Bid,Ask,Volume,IV,Delta,Gamma,Open Interest,Strike,Puts,Last Sale,Net,Bid,Ask,Volume,IV,Delta,Gamma,Open Interest',
  ];
  for (let e = 0; e < EXPIRIES; e++) {
    const d = new Date(Date.UTC(2024, 0, 12 + 7 * e));
    const [y, m, day] = [d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()];
    const expiry = `Fri ${MONTHS[m]} ${String(day).padStart(2, '0')} ${y}`;
    const ymd = `${String(y).slice(2)}${String(m + 1).padStart(2, '0')}${String(day).padStart(2, '0')}`;
    for (let s = 0; s < STRIKES; s++) {
      const strike = 80 + s;
      const code = String(strike * 1000).padStart(8, '0');
      const side = (type: 'C' | 'P', delta: number) =>
        `WARM${ymd}${type}${code},1.5,0,1.4,1.6,${10 + s},0.2,${delta},0.05,${100 + e * 10 + s}`;
      lines.push(`${expiry},${side('C', 0.5)},${strike.toFixed(2)},${side('P', -0.5)}`);
    }
  }
  return lines.join('\n') + '\n';
}

/** Runs a facts read and a run on the warm-up chain, as the engine would for a file. */
export async function warmUp(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'gex-warm-'));
  try {
    const file = join(dir, 'warm.csv');
    writeFileSync(file, warmUpChain());
    const conventions = GexConventions.parse({});
    const chainFile = join(dir, 'warm.chain');
    const facts = await readFacts({ file, chainFile }, conventions);
    if (!facts.ok) return;
    await runPipeline({
      file,
      chainFile,
      contentHash: facts.value.content_hash,
      dataDir: dir,
      snapshotId: 'warm-up',
      conventions,
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
