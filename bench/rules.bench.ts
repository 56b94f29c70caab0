// Decisions per second of the compiled default rule set against the same decisions
// written by hand as TypeScript ifs, on the same inputs in the same run (only ratios
// measured together mean anything on a noisy machine). Both sides get validated facts
// and the same timestamp parser, and both produce level, rule and explanation; the
// full decide() (zod validation of raw facts first) is measured too, because that is
// what the CLI and the ingest path pay.
import { reliabilityText } from '../shared/reliability.ts';
import { PRIORITY_LEVELS, type PriorityLevel } from '../shared/domain.ts';
import { FactsInput, parseIsoMs, parsedTimestamp, type Facts } from '../shared/rules.ts';
import {
  compileRules,
  defaultRules,
  defaultRulesText,
  parseRules,
  validateFacts,
  whatIf,
} from '../electron/engine/rules/index.ts';
import type { GivenFactName, WhatIfRecord } from '../shared/rules.ts';

export interface Measure {
  name: string;
  value: number;
  unit: string;
}

const N = 10_000;
const NOW = Date.parse('2024-01-07T15:00:00Z');

/** Varied, valid facts: every branch of G1–G4 is taken. */
const makeInputs = (): Record<string, unknown>[] => {
  let seed = 42;
  const rnd = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  const pick = <T>(xs: T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const offsets = ['Z', '+05:30', '-04:00'];
  return Array.from({ length: N }, () => {
    const age = pick([1, 3, 40, 200, 400, 4000]) * 1000;
    const off = pick(offsets);
    const shift =
      off === 'Z'
        ? 0
        : (off[0] === '-' ? -1 : 1) *
          (Number(off.slice(1, 3)) * 60 + Number(off.slice(4))) *
          60_000;
    const asOf = new Date(NOW - age + shift).toISOString().replace('Z', off);
    const f: Record<string, unknown> = {
      id: 'x',
      underlying: pick(['SPX', 'NDX', 'qqq']),
      as_of: asOf,
      now: '2024-01-07T15:00:00Z',
      total_volume: pick([500, 20_000, 80_000]),
      total_open_interest: pick([1_000, 30_000, 300_000]),
      gex_change: pick([null, 0.02, 0.07, 0.25]),
    };
    if (rnd() < 0.3) f.source_reliability = pick([0.6, 0.9]);
    if (rnd() < 0.05)
      Object.assign(f, { requested_priority: pick(['HIGH', 'LOW']), justification: 'FOMC' });
    return f;
  });
};

type Out = { priority: PriorityLevel; rule: string; explanation: string };

const IMPACT = ['low', 'medium', 'high'];
const CHANGE = ['small', 'medium', 'large'];
const FRESHNESS = ['stale', 'fresh', 'real-time'];

/** GUIDELINES.md G1–G4 as a programmer would write them by hand. */
const byHand = (f: Facts): Out => {
  const nowMs = parseIsoMs(f.now!);
  const nowSub = parsedTimestamp.subMs;
  const asOfMs = parseIsoMs(f.as_of);
  let age = (nowMs - asOfMs + (nowSub - parsedTimestamp.subMs)) / 1000;
  if (age < -60) throw new Error('as_of in the future');
  if (age < 0) age = 0;
  if (f.requested_priority !== null) {
    return {
      priority: f.requested_priority,
      rule: 'G1',
      explanation: `G1: requested priority ${f.requested_priority} (justification ${JSON.stringify(f.justification)}) → ${f.requested_priority}`,
    };
  }
  const freshness = age < 5 ? 2 : age < 300 ? 1 : 0;
  if (freshness === 0)
    return { priority: 'LOW', rule: 'G2', explanation: 'G2: freshness stale → LOW' };
  const impact =
    f.total_volume > 50_000 || f.total_open_interest > 100_000
      ? 2
      : f.total_volume >= 10_000 || f.total_open_interest >= 25_000
        ? 1
        : 0;
  const g = f.gex_change;
  const change = g === null || g > 0.1 ? 2 : g >= 0.05 ? 1 : 0;
  const atLeastMedium = impact === 2 ? 'high ≥ medium' : 'medium';
  const atLeastFresh = freshness === 2 ? 'real-time ≥ fresh' : 'fresh';
  let level = 3;
  let why = '';
  if (impact === 2 && change === 2 && freshness === 2) {
    level = 0;
    why = 'impact high, change large, freshness real-time';
  } else if (impact === 2 && freshness === 2) {
    level = 1;
    why = 'impact high, freshness real-time';
  } else if (impact >= 1 && change === 2 && freshness >= 1) {
    level = 1;
    why = `impact ${atLeastMedium}, change large, freshness ${atLeastFresh}`;
  } else if (impact >= 1 && freshness >= 1) {
    level = 2;
    why = `impact ${atLeastMedium}, freshness ${atLeastFresh}`;
  } else if (change === 2 && freshness === 2) {
    level = 2;
    why = 'change large, freshness real-time';
  }
  if (level === 3)
    why = `anything else (impact ${IMPACT[impact]}, change ${CHANGE[change]}, freshness ${FRESHNESS[freshness]})`;
  const g3 = `G3: ${why} → ${PRIORITY_LEVELS[level]}`;
  if (f.source_reliability < 0.8 && level < 3) {
    return {
      priority: PRIORITY_LEVELS[level + 1]!,
      rule: 'G4',
      explanation: `G4: source reliability ${reliabilityText(f.source_reliability)} < 0.8 demotes ${PRIORITY_LEVELS[level]} → ${PRIORITY_LEVELS[level + 1]} (${g3})`,
    };
  }
  if (f.source_reliability < 0.8) {
    return {
      priority: 'LOW',
      rule: 'G3',
      explanation: `${g3}; G4: source reliability ${reliabilityText(f.source_reliability)} < 0.8, LOW stays LOW`,
    };
  }
  return { priority: PRIORITY_LEVELS[level]!, rule: 'G3', explanation: g3 };
};

/** Runs `fn` over all inputs repeatedly for about `ms`; decisions per second. */
const rate = (fn: (i: number) => number, ms: number): number => {
  let done = 0;
  let sink = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < ms) {
    for (let i = 0; i < N; i++) sink += fn(i);
    done += N;
    elapsed = performance.now() - start;
  }
  if (sink === -1) console.log(sink);
  return (done / elapsed) * 1000;
};

/** Milliseconds to replay N past requests under an edited rule set (stale data MEDIUM), best of 5. */
const whatIfMs = (raw: Record<string, unknown>[]): { ms: number; moved: number } => {
  const rules = defaultRules();
  const records: WhatIfRecord[] = raw.map((facts, i) => {
    const d = rules.decide(facts);
    if (!d.ok) throw new Error(d.error.message);
    return {
      request_id: `r${i}`,
      file: `/inbox/${i}.csv`,
      underlying: String(facts.underlying),
      facts,
      from: { priority: d.value.priority, rule: d.value.rule },
    };
  });
  const edited = parseRules(
    defaultRulesText().replace(
      '{ "when": { "freshness": { "==": "stale" } }, "level": "LOW" }',
      '{ "when": { "freshness": { "==": "stale" } }, "level": "MEDIUM" }',
    ),
  );
  if (!edited.ok) throw new Error(edited.error.message);
  let ms = Infinity;
  let moved = 0;
  for (let round = 0; round < 5; round++) {
    // Compiling is part of a what-if: the edited text arrives from the editor each time.
    const start = performance.now();
    const r = whatIf(compileRules(edited.value, null), records);
    ms = Math.min(ms, performance.now() - start);
    moved = r.changes.length;
  }
  return { ms, moved };
};

export async function benchRules(): Promise<Measure[]> {
  const raw = makeInputs();
  const facts = raw.map((f) => {
    const v = validateFacts(f);
    if (!v.ok) throw new Error(v.error.message);
    return v.value;
  });
  const rules = defaultRules();
  // Both sides must agree before their speed means anything.
  for (const f of facts) {
    const a = rules.decideValid(f);
    const b = byHand(f);
    if (
      !a.ok ||
      a.value.priority !== b.priority ||
      a.value.rule !== b.rule ||
      a.value.explanation !== b.explanation
    )
      throw new Error(
        `disagree on ${JSON.stringify(f)}: ${JSON.stringify(a)} vs ${JSON.stringify(b)}`,
      );
  }
  const hand = (i: number) => byHand(facts[i]!).priority.length;
  const compiled = (i: number) => {
    const d = rules.decideValid(facts[i]!);
    return d.ok ? d.value.priority.length : 0;
  };
  const validated = (i: number) => {
    const d = rules.decide(raw[i]!);
    return d.ok ? d.value.priority.length : 0;
  };
  const zodOnly = (i: number) => (FactsInput.safeParse(raw[i]!).success ? 1 : 0);
  // At arrival: the request and the file's first bytes are known, the content is not.
  const CONTENT: GivenFactName[] = ['total_volume', 'total_open_interest', 'gex_change'];
  const partial = (i: number) => {
    const d = rules.decidePartial(raw[i]!, CONTENT);
    return d.ok ? d.value.kind.length : 0;
  };

  // Warm up, then interleave rounds and keep each side's best.
  for (const fn of [hand, compiled, validated, zodOnly, partial]) rate(fn, 200);
  const best = { hand: 0, compiled: 0, validated: 0, zod: 0, partial: 0 };
  for (let round = 0; round < 5; round++) {
    best.hand = Math.max(best.hand, rate(hand, 300));
    best.compiled = Math.max(best.compiled, rate(compiled, 300));
    best.validated = Math.max(best.validated, rate(validated, 300));
    best.zod = Math.max(best.zod, rate(zodOnly, 300));
    best.partial = Math.max(best.partial, rate(partial, 300));
  }
  const replay = whatIfMs(raw);
  const ratio = best.hand / best.compiled;
  console.log(
    `rules: compiled default rule set is ${ratio.toFixed(2)}× the time of hand-written ifs (target ≤ 3×)`,
  );
  return [
    { name: 'hand-written ifs (validated facts)', value: best.hand, unit: 'decisions/s' },
    {
      name: 'compiled default rules, decideValid (validated facts)',
      value: best.compiled,
      unit: 'decisions/s',
    },
    { name: 'ratio hand-written / compiled (target ≤ 3)', value: ratio, unit: '×' },
    {
      name: 'compiled default rules, decide (zod validation + decision)',
      value: best.validated,
      unit: 'decisions/s',
    },
    {
      name: 'zod FactsInput.safeParse alone (the path for unusual or invalid facts)',
      value: best.zod,
      unit: 'validations/s',
    },
    {
      name: 'ratio hand-written / decide with validation',
      value: best.hand / best.validated,
      unit: '×',
    },
    {
      name: 'decidePartial at arrival (volume, open interest, gex_change unknown)',
      value: best.partial,
      unit: 'decisions/s',
    },
    {
      name: 'ratio decide / decidePartial (both validate the facts)',
      value: best.validated / best.partial,
      unit: '×',
    },
    {
      name: `whatIf: ${N} past requests under edited rules (${replay.moved} move; target < 1000)`,
      value: replay.ms,
      unit: 'ms',
    },
  ];
}
