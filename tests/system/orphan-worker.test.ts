// A pipeline worker outlives its engine only until it would write. Killed with SIGKILL, the
// engine leaves its worker running: the 'disconnect' it is told by comes only when the
// worker's event loop turns, and once the chain is read the run is synchronous (Polars)
// up to its Parquet files. An engine started again meanwhile runs the same job, finds it a
// duplicate and removes the files; the orphan's late write then left a file of no
// snapshot in the data folder for good (CI, tests/system/crash-loop.test.ts). The parent
// here is the engine's own WorkerPool in a process of its own (orphan/pool-parent.ts).
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { writeCboeCsv } from '../fixtures/option-chains.ts';
import { repoRoot, tempDir } from '../pipeline/helpers.ts';
import { parquetFiles } from './bursts/observe.ts';

const PARENT = join(repoRoot, 'tests/system/orphan/pool-parent.ts');

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** Runs the parent on `file`; `killAt`: SIGKILL it when the run reports this stage. */
function runParent(
  file: string,
  dataDir: string,
  killAt?: string,
): Promise<{ lines: string[]; worker: number }> {
  const child = spawn(process.execPath, [PARENT, file, dataDir], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines: string[] = [];
  let worker = 0;
  let buffered = '';
  child.stdout.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    let nl: number;
    while ((nl = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, nl);
      buffered = buffered.slice(nl + 1);
      lines.push(line);
      if (line.startsWith('workers ')) worker = Number(line.split(' ')[1]);
      if (killAt && line === `progress ${killAt}`) child.kill('SIGKILL');
    }
  });
  return new Promise((resolve) => child.on('exit', () => resolve({ lines, worker })));
}

describe('a pipeline worker whose engine was killed', () => {
  it(
    'writes no Parquet file after the engine has gone, and exits',
    { timeout: 120_000 },
    async () => {
      const dir = tempDir('gex-orphan-');
      onTestFinished(({ task }) => {
        if (task.result?.state === 'pass')
          void import('node:fs').then((fs) => fs.rmSync(dir, { recursive: true, force: true }));
      });
      // Large enough that the exposures and the profile take a while after the read.
      const file = join(dir, 'chain.csv');
      writeCboeCsv(file, { seed: 71, expiries: 40, strikesPerExpiry: 400 });

      // Left to its end, the run writes its three files (what the kill below must prevent).
      const whole = await runParent(file, join(dir, 'whole'));
      expect(whole.lines).toContain('result ok');
      expect(parquetFiles(join(dir, 'whole'))).toHaveLength(3);

      const killed = await runParent(file, join(dir, 'killed'), 'read');
      expect(killed.lines).toContain('progress read');
      expect(killed.lines.some((l) => l.startsWith('result'))).toBe(false);
      expect(killed.worker).toBeGreaterThan(0);
      // The orphaned worker goes (it would have finished its run in far less).
      const deadline = Date.now() + 60_000;
      while (alive(killed.worker) && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 50));
      expect(alive(killed.worker), 'the orphaned worker is still running').toBe(false);
      expect(parquetFiles(join(dir, 'killed'))).toEqual([]);
    },
  );
});
