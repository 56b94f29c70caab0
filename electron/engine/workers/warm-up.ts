// What a worker started ahead of time runs before it says `ready`: the path of a real
// task — a facts read that leaves its chain file, then the run on that chain — on a CBOE
// quotes CSV of 60 expiries × 80 strikes (9,600 contracts), the commonest format. V8
// optimises what has run long enough, so a tiny chain in another format left the first
// real file cold. A fresh worker's facts read and run of the SPX sample (20,592
// contracts), alternated runs: 128–182 and 84–98 ms after the old three-row warm-up,
// 90–117 and 69–84 ms after 1,600 contracts, 61–81 and 49–70 ms after 9,600
// (docs/performance.md). The warm-up itself takes about 150 ms. It runs after the worker
// says `ready` and gives way to real work: a task that arrives first stops it at the next
// step (a one-shot command's file waited for the whole warm-up before, 100–150 ms of its
// cold start), and that task warms the worker instead. A one-shot command's worker warms
// up on the command's own files instead (`readAhead`): their chains and figures wait for
// their tasks (pipeline/prepared.ts), so the run that follows only writes its Parquet.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GexConventions } from '../../../shared/domain.ts';
import type { ReadAhead } from '../../../shared/pipeline.ts';
import { readAhead, readFacts, runPipeline } from '../pipeline/index.ts';
import { warmUpFolder } from './warm-up-folder.ts';

const EXPIRIES = 60;
const STRIKES = 80;
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

export interface WarmUpOutcome {
  /** Steps done: the facts read and the run, or two a file read ahead (parse, figures). */
  steps: number;
  /** Stopped early because real work came first. */
  stopped: boolean;
}

/** Lets the event loop deliver a message that arrived while a step ran (Polars calls block it). */
const letMessagesIn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Runs a facts read and a run on the warm-up chain, as the engine would for a file, or
 * reads ahead the files given; before each step, stops if `interrupted()` says real work
 * is waiting.
 */
export async function warmUp(
  interrupted: () => boolean = () => false,
  ahead?: ReadAhead,
): Promise<WarmUpOutcome> {
  const stop = async (): Promise<boolean> => {
    await letMessagesIn();
    return interrupted();
  };
  if (ahead) {
    let steps = 0;
    for (const file of ahead.files) {
      if (await stop()) return { steps, stopped: true };
      const done = await readAhead(file, ahead.conventions, ahead.limits, stop);
      steps += done;
      if (done === 1) return { steps, stopped: true };
    }
    return { steps, stopped: false };
  }
  const folder = warmUpFolder();
  const dir = folder.path;
  try {
    const file = join(dir, 'warm.csv');
    writeFileSync(file, warmUpChain());
    const conventions = GexConventions.parse({});
    const chainFile = join(dir, 'warm.chain');
    if (await stop()) return { steps: 0, stopped: true };
    const facts = await readFacts({ file, chainFile }, conventions);
    if (!facts.ok) return { steps: 1, stopped: false };
    if (await stop()) return { steps: 1, stopped: true };
    await runPipeline({
      file,
      chainFile,
      contentHash: facts.value.content_hash,
      dataDir: dir,
      snapshotId: 'warm-up',
      conventions,
    });
    return { steps: 2, stopped: false };
  } finally {
    folder.remove();
  }
}
