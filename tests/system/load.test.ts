// Issue 4's load: 1,000 distinct files in bursts (SPX-size chains and small ones), 5%
// CRITICAL, replayed through `gex-desk ingest --manifest` and judged from `gex-desk
// jobs --json` alone: no priority inversion beyond a 50 ms dispatch grace, every
// CRITICAL job started within 1 s of submission, all completed.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliHome, runCli } from '../cli/run-cli.ts';
import { judge, makeLoad, type JobLine } from './load.ts';

describe('a replayed load of 1,000 files', () => {
  it('keeps the level order, starts CRITICAL work within 1 s and completes everything', { timeout: 1_200_000 }, async () => {
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
    expect(Math.max(...verdict.criticalStartMs)).toBeLessThanOrEqual(1000);
  });
});
