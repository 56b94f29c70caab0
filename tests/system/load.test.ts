// Issue 4's load: 1,000 distinct files in bursts (SPX-size chains and small ones), 5%
// CRITICAL, replayed through `gex-desk ingest --manifest` and judged from `gex-desk
// jobs --json` alone, from each request's arrival: no priority inversion beyond a 50 ms
// dispatch grace (an order, not a speed), all completed, and CRITICAL served long before
// LOW. The speed goal (every CRITICAL started within 1 s) is timed by `npm run bench --
// load`, not here: on a shared 2-core machine a test can only hold a generous bound.
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliHome, runCli } from '../cli/run-cli.ts';
import { judge, makeLoad, type JobLine, type Verdict } from './load.ts';

describe('a replayed load of 1,000 files', () => {
  it(
    'keeps the level order from arrival, serves CRITICAL first and completes everything',
    { timeout: 1_200_000 },
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'gex-load-'));
      const load = makeLoad(dir, {
        files: 1000,
        bigShare: 0.05,
        criticalShare: 0.05,
        bursts: 10,
        burstGapMs: 1500,
      });
      expect(load.levels.filter((l) => l === 'CRITICAL').length).toBeGreaterThanOrEqual(30);
      const { args, dir: home } = cliHome();
      const ingest = await runCli(['ingest', '--manifest', load.manifest, '--json', ...args], {
        env: { GEX_DESK_WORKERS: '2' },
      });
      expect(ingest.stderr).toBe('');
      expect(ingest.code).toBe(0);
      expect(ingest.lines).toHaveLength(1000);

      const listed = await runCli(['jobs', '--json', ...args]);
      expect(listed.code).toBe(0);
      const verdict = judge(listed.lines as unknown as JobLine[]);
      expect(verdict.jobs).toBe(1000);
      expect(verdict.completed).toBe(1000);
      expect(verdict.inversions.length, diagnosis(home, verdict.inversions)).toBe(0);
      // Ratios, not times: a slow or loaded machine stretches both sides (the bench times the
      // 1 s goal). CRITICAL's latest start within a quarter of LOW's median latency (about
      // 40 s here, for about 1 s), its median within a tenth.
      const starts = verdict.criticalStartMs.sort((a, b) => a - b);
      const low = verdict.latency.LOW.p50;
      expect(
        starts.at(-1)! * 4,
        `CRITICAL starts ${starts.join(', ')} ms; LOW p50 ${low} ms`,
      ).toBeLessThan(low);
      expect(starts[starts.length >> 1]! * 10).toBeLessThan(low);
    },
  );
});

/** Where the time went at the door (the engine's log), for a failure's message. */
function diagnosis(home: string, inversions: Verdict['inversions']): string {
  const log = join(home, 'data', 'logs', 'gex-desk.log');
  const accepted = existsSync(log)
    ? readFileSync(log, 'utf8')
        .split('\n')
        .filter((l) => l.includes('"request.accepted"'))
        .map((l) => JSON.parse(l) as Record<string, number>)
    : [];
  const pct = (k: string) => {
    const v = accepted.map((a) => a[k]!).sort((a, b) => a - b);
    return `${k} p50 ${v[v.length >> 1]} p90 ${v[Math.floor(v.length * 0.9)]} max ${v.at(-1)}`;
  };
  return `${inversions.length} inversions, e.g. ${JSON.stringify(inversions.slice(0, 3))}; ${['capture_ms', 'read_ms', 'write_ms'].map(pct).join('; ')}`;
}
