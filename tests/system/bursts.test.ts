// Issue 8's bursts, small (60 files, 10 arriving every 0.7 s, chains of 1,440 contracts),
// as regression tests through the real `gex-desk ingest --manifest --json` with the
// user's defaults. Timing goals stay in `npm run bench -- bursts`; these check what must
// hold on any machine, however loaded: everything completes, the rules give the levels
// the guidelines give, and the order is kept from ARRIVAL — no job starts while one of a
// higher level has waited more than 2 s (a generous grace), and CRITICAL work ends
// before half of the LOW work has.
import { describe, expect, it } from 'vitest';
import { report } from './bursts/report.ts';
import { runBurst, type BurstRun } from './bursts/run.ts';

const SMALL = { files: 60, perWave: 10, waveGapMs: 700, expiries: 12, strikesPerExpiry: 60 };
const GRACE_MS = 2000;

/** The inversions where the higher job had waited longer than the grace, as sentences. */
const inversionsBeyond = (r: BurstRun) =>
  r.verdict.inversions.all
    .filter((i) => i.waitedMs > GRACE_MS)
    .map(
      (i) =>
        `the ${i.phase} of a ${i.startedLevel} job started while a ${i.waitingLevel} job had waited ${i.waitedMs} ms for its ${i.waitingFor}`,
    );

function checkOrder(r: BurstRun): void {
  const v = r.verdict;
  const why = report(r).join('\n');
  expect(v.completed, why).toBe(SMALL.files);
  expect(v.failed, why).toEqual([]);
  expect(inversionsBeyond(r).slice(0, 3).join('\n'), why).toBe('');
  // CRITICAL first: its median wait is below LOW's (the worst of three tiny jobs is noise).
  expect(v.latency.CRITICAL.p50, why).toBeLessThan(v.latency.LOW.p50);
}

describe('issue 8 bursts, small', () => {
  it(
    'requested levels: all complete, CRITICAL first, no inversion from arrival',
    { timeout: 600_000 },
    async () => {
      const r = await runBurst({ kind: 'requested-level', ...SMALL });
      expect(r.exit.stderr).toBe('');
      expect(r.exit.lines).toHaveLength(SMALL.files);
      expect(r.verdict.critical.n).toBe(3);
      expect(r.verdict.mismatches).toEqual([]);
      checkOrder(r);
    },
  );

  it(
    'rule-decided levels: as the guidelines give them, all complete, CRITICAL first, no inversion from arrival',
    { timeout: 600_000 },
    async () => {
      const r = await runBurst({ kind: 'rule-decided', ...SMALL });
      expect(r.exit.stderr).toBe('');
      expect(r.exit.lines).toHaveLength(SMALL.files);
      // Every kind of file is there, and each got the guidelines' level at its actual arrival.
      const expected = new Set(r.burst.files.map((f) => f.expected));
      expect([...expected].sort()).toEqual(['CRITICAL', 'HIGH', 'LOW', 'MEDIUM']);
      expect(r.verdict.mismatches, report(r).join('\n')).toEqual([]);
      checkOrder(r);
    },
  );
});
