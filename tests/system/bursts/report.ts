// A burst's verdict as text: latency per level, the goals of issue 8 passed or failed,
// inversions, drift from the plan, and where the time went (arrival → acknowledged →
// facts read → decided → started → finished) per level.
import { PRIORITY_LEVELS } from '../../../shared/domain.ts';
import { SEGMENTS, type Stats } from './judge.ts';
import type { BurstRun } from './run.ts';

export interface Goal {
  name: string;
  pass: boolean;
  value: string;
}

/** Issue 8's goals for the burst (the stretch goal last). */
export function goals(r: BurstRun): Goal[] {
  const v = r.verdict;
  const worst = v.critical.worst;
  const p99 = v.latency.CRITICAL.p99;
  const all = v.planned;
  if (r.burst.kind === 'requested-level')
    return [
      {
        name: 'every CRITICAL within 2 s of submission',
        pass: v.critical.n > 0 && worst <= 2000,
        value: `worst ${fmt(worst)} ms (n=${v.critical.n})`,
      },
      {
        name: '0 inversions judged from arrival',
        pass: v.inversions.certain + v.inversions.possible === 0,
        value: `${v.inversions.certain} (+${v.inversions.possible} possible)`,
      },
      { name: `all ${all} complete`, pass: v.completed === all, value: `${v.completed} of ${all}` },
      { name: 'stretch: CRITICAL p99 within 1 s', pass: p99 <= 1000, value: `p99 ${fmt(p99)} ms` },
    ];
  return [
    {
      name: 'every rule-decided CRITICAL within 3 s of submission',
      pass: v.critical.n > 0 && worst <= 3000,
      value: `worst ${fmt(worst)} ms (n=${v.critical.n})`,
    },
    {
      name: 'levels as the guidelines give them',
      pass: v.mismatches.length === 0,
      value: `${v.mismatches.length} differ`,
    },
    { name: `all ${all} complete`, pass: v.completed === all, value: `${v.completed} of ${all}` },
    { name: 'stretch: CRITICAL p99 within 1 s', pass: p99 <= 1000, value: `p99 ${fmt(p99)} ms` },
  ];
}

const fmt = (n: number) => (Number.isFinite(n) ? String(Math.round(n)) : '—');
const trio = (s: Stats) =>
  `${fmt(s.p50).padStart(6)} ${fmt(s.p99).padStart(6)} ${fmt(s.max).padStart(6)}  n=${s.n}`;

export function report(r: BurstRun): string[] {
  const v = r.verdict;
  const out: string[] = [];
  out.push(
    `${r.burst.kind} burst: ${v.planned} files, ${r.burst.waves} waves every ${r.burst.waveGapMs} ms`,
  );
  out.push(
    `machine: ${r.load.cores} cores, load average ${r.load.before.toFixed(2)} before, ${r.load.max.toFixed(2)} max, ${r.load.after.toFixed(2)} after`,
  );
  out.push(
    `latency from submission (ingest --json latency_ms), per expected level:   p50    p99    max`,
  );
  for (const l of PRIORITY_LEVELS) out.push(`  ${l.padEnd(9)} ${trio(v.latency[l])}`);
  if (r.burst.kind === 'rule-decided') {
    out.push(`  … per level the engine decided:`);
    for (const l of PRIORITY_LEVELS) out.push(`  ${l.padEnd(9)} ${trio(v.latencyByDecided[l])}`);
  }
  out.push(
    `completed ${v.completed} of ${v.planned}; wall time ${(v.wallMs / 1000).toFixed(1)} s (first arrival to last finish)`,
  );
  for (const f of v.failed.slice(0, 5))
    out.push(`  not completed: ${f.file} ${f.status} ${f.code ?? ''}`);
  out.push(
    `inversions from arrival: ${v.inversions.certain} proven, ${v.inversions.possible} possible (read start estimated), ${v.inversions.startsInvolved} starts involved`,
  );
  out.push(
    `  ranked by the level each job ended with (not the upper bound it waited at): ${v.inversions.byFinalLevel}`,
  );
  const w = v.inversions.byWaitingFor;
  out.push(
    `  the higher job was waiting to be acknowledged (staged + stored) in ${w.ack}, for its facts read in ${w.read}, for its run in ${w.run}`,
  );
  for (const i of v.inversions.examples.slice(0, 3))
    out.push(
      `  e.g. the ${i.phase} of a ${i.startedLevel} job started while a ${i.waitingLevel} job had waited ${i.waitedMs} ms for its ${i.waitingFor}`,
    );
  out.push(
    `levels: ${v.mismatches.length} differ from the guidelines at the actual arrival; ${v.driftChanged} changed by arrival drift`,
  );
  const byKind = new Map<string, number>();
  for (const m of v.mismatches)
    byKind.set(
      `${m.category}: expected ${m.atArrival}, got ${m.decided} (${m.rule})`,
      (byKind.get(`${m.category}: expected ${m.atArrival}, got ${m.decided} (${m.rule})`) ?? 0) + 1,
    );
  for (const [k, n] of byKind) out.push(`  ${n} × ${k}`);
  const d = v.drift;
  out.push(
    `drift: the command began submitting ${fmt(d.startMs)} ms after the plan; submissions ${fmt(d.submit.p50)} / ${fmt(d.submit.p99)} / ${fmt(d.submit.max)} ms late (p50/p99/max); real-time files ${fmt(d.realTimeAge.p50)} / ${fmt(d.realTimeAge.max)} ms old at arrival (p50/max)`,
  );
  out.push(
    `facts-read starts: ${v.readStarts.observed} observed, ${v.readStarts.estimated} estimated; median read ${fmt(v.readStarts.medianReadMs)} ms; preemptions ${v.preemptions}`,
  );
  out.push(`where the time went, per expected level (p50 / p99 ms):`);
  out.push(`  ${'level'.padEnd(9)} ${SEGMENTS.map((s) => s.padStart(16)).join('')}`);
  for (const l of PRIORITY_LEVELS) {
    const b = v.breakdown[l];
    out.push(
      `  ${l.padEnd(9)} ${SEGMENTS.map((s) => `${fmt(b[s].p50)} / ${fmt(b[s].p99)}`.padStart(16)).join('')}`,
    );
  }
  out.push('requests past each step, seconds after the first arrival:');
  const cols = [
    'arrived',
    'staged',
    'acknowledged',
    'read',
    'decided',
    'started',
    'finished',
  ] as const;
  out.push(`  ${'s'.padStart(5)} ${cols.map((c) => c.padStart(13)).join('')}`);
  for (const p of v.progress)
    out.push(
      `  ${String(p.atS).padStart(5)} ${cols.map((c) => String(p[c]).padStart(13)).join('')}`,
    );
  out.push('goals (issue 8):');
  for (const g of goals(r)) out.push(`  ${g.pass ? 'PASS' : 'FAIL'}  ${g.name}: ${g.value}`);
  return out;
}
