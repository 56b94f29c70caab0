// Issue 4's load: 1,000 distinct files in bursts (SPX-size chains and small ones), 5%
// CRITICAL, replayed through `gex-desk ingest --manifest` and judged from `gex-desk
// jobs --json` alone, from each request's arrival: no priority inversion beyond a 50 ms
// dispatch grace (an order, not a speed), all completed, and CRITICAL served long before
// LOW. The speed goal (every CRITICAL started within 1 s) is timed by `npm run bench --
// load`, not here: on a shared 2-core machine a test can only hold a generous bound.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliHome, runCli } from '../cli/run-cli.ts';
import { judge, makeLoad, type JobLine } from './load.ts';

describe('a replayed load of 1,000 files', () => {
  it('keeps the level order from arrival, serves CRITICAL first and completes everything', { timeout: 1_200_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gex-load-'));
    const load = makeLoad(dir, { files: 1000, bigShare: 0.05, criticalShare: 0.05, bursts: 10, burstGapMs: 1500 });
    expect(load.levels.filter((l) => l === 'CRITICAL').length).toBeGreaterThanOrEqual(30);
    const { args } = cliHome();
    const ingest = await runCli(['ingest', '--manifest', load.manifest, '--json', ...args], { env: { GEX_DESK_WORKERS: '2' } });
    expect(ingest.stderr).toBe('');
    expect(ingest.code).toBe(0);
    expect(ingest.lines).toHaveLength(1000);

    const listed = await runCli(['jobs', '--json', ...args]);
    expect(listed.code).toBe(0);
    const verdict = judge(listed.lines as unknown as JobLine[]);
    expect(verdict.jobs).toBe(1000);
    expect(verdict.completed).toBe(1000);
    expect(verdict.inversions).toEqual([]);
    const starts = verdict.criticalStartMs.sort((a, b) => a - b);
    // Generous: six CRITICAL files arrive together in the first burst, before any worker
    // has started; the bench measures the 1 s goal.
    expect(starts.at(-1)).toBeLessThanOrEqual(5000);
    // CRITICAL's median start within a tenth of LOW's median latency (about 40 s here).
    expect(starts[starts.length >> 1]! * 10).toBeLessThan(verdict.latency.LOW.p50);
  });
});
