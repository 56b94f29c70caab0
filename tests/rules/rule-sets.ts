// Rule sets beyond the default one, for tests that must hold for any rule set:
// hand-edited ones that use every part of the language (conditions on strings,
// "in" lists, custom ordinals built on other ordinals, overrides, escalation and
// demotion, first-applicable combination, levels taken from a fact in a plain
// table, other clock limits), and random mutations of the default rules, kept only
// when `rules check` accepts them.
import { checkRules, defaultRulesText } from '../../electron/engine/rules/index.ts';

type Json = Record<string, unknown>;
export type RuleFileJson = Json & { rules: Json[]; derived: Record<string, Json> };

export const defaultRuleFile = (): RuleFileJson => JSON.parse(defaultRulesText()) as RuleFileJson;

const edit = (f: (file: RuleFileJson) => void): RuleFileJson => {
  const file = defaultRuleFile();
  f(file);
  return file;
};
const rule = (file: RuleFileJson, id: string): Json => file.rules.find((r) => r.id === id)!;

/** Named rule files, each using parts of the language the default file does not. */
export const EDITED: Record<string, RuleFileJson> = {
  'desk table on underlying with "in" and "not", escalation on underlying': edit((file) => {
    file.rules.push({
      id: 'DESK',
      rows: [
        { when: { underlying: { in: ['SPX', 'NDX'] }, not: { impact: 'high' } }, level: 'HIGH' },
      ],
    });
    file.rules.push({
      id: 'G5',
      adjusts: 'G3',
      when: { underlying: 'NDX', source_reliability: { '>=': 0.8 } },
      escalate: 2,
    });
  }),
  'custom ordinals built on other ordinals, exact and "in" number tests': edit((file) => {
    file.derived.size = {
      kind: 'ordinal',
      values: ['tiny', 'small', 'big', 'huge'],
      rows: [
        { when: { total_volume: { '>=': 200000 } }, value: 'huge' },
        { when: { total_volume: { '>=': 20000 } }, value: 'big' },
        { when: { total_volume: { '>': 1000 } }, value: 'small' },
        { value: 'tiny' },
      ],
    };
    file.derived.urgency = {
      kind: 'ordinal',
      values: ['calm', 'busy', 'urgent'],
      rows: [
        { when: { freshness: 'real-time', size: 'big' }, value: 'urgent' },
        { when: { any: [{ size: 'small' }, { gex_change: { in: [0, null] } }] }, value: 'busy' },
        { value: 'calm' },
      ],
    };
    file.rules.push({
      id: 'SIZE',
      rows: [
        { when: { urgency: { '==': 'urgent' }, change: { '!=': 'small' } }, level: 'CRITICAL' },
        { when: { urgency: 'busy', total_open_interest: { '==': 0 } }, level: 'HIGH' },
        { when: { size: { '==': 'huge' } }, level: 'MEDIUM' },
      ],
    });
  }),
  'first-applicable, tables reordered': edit((file) => {
    file.combine = 'first-applicable';
    file.rules = [file.rules[0]!, file.rules[2]!, file.rules[1]!, file.rules[3]!];
  }),
  'an override on underlying and a demotion by 2': edit((file) => {
    file.rules.splice(1, 0, {
      id: 'VOL',
      override: true,
      rows: [
        {
          when: {
            requested_priority: null,
            underlying: { in: ['VIX', 'VVIX'] },
            source_reliability: { '>=': 0.5 },
          },
          level: 'HIGH',
        },
      ],
    });
    file.rules.push({ id: 'G6', adjusts: 'G3', when: { underlying: 'QQQ' }, demote: 2 });
  }),
  'stale data is MEDIUM': edit((file) => {
    (rule(file, 'G2').rows as Json[])[0]!.level = 'MEDIUM';
  }),
  'requested level in a plain table, no override': edit((file) => {
    file.rules = file.rules.filter((r) => r.id !== 'G1');
    file.rules.push({
      id: 'REQ',
      rows: [
        {
          when: { requested_priority: { '!=': null }, justification: { '!=': 'test' } },
          level: { fact: 'requested_priority' },
        },
      ],
    });
  }),
  'other clock limits: skew 10 s, future 30 s, a suspicious-clock row': edit((file) => {
    Object.assign(file.derived.age_s!, { skew_tolerance_s: 10, future_limit_s: 30 });
    (file.derived.freshness!.rows as Json[]).unshift({
      when: { age_s: { '<': -5 } },
      value: 'stale',
    });
  }),
  'first-applicable with an override, escalation and a catch-all table': edit((file) => {
    file.combine = 'first-applicable';
    file.rules.push({
      id: 'G7',
      adjusts: 'G3',
      when: { gex_change: { '>': 2 }, source_reliability: { '>=': 0.8 } },
      escalate: 1,
    });
    file.rules.splice(1, 0, {
      id: 'WATCH',
      rows: [{ when: { underlying: 'TSLA', freshness: 'fresh' }, level: 'HIGH' }],
    });
  }),
};

/** A small deterministic PRNG (mulberry32), so that a failure can be reproduced. */
export const prng = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

const LEVELS = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW'];

/** Random mutations of the default rules that `rules check` accepts. */
export const generatedRuleFiles = (n: number, seed: number): RuleFileJson[] => {
  const rnd = prng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const out: RuleFileJson[] = [];
  for (let attempt = 0; out.length < n && attempt < n * 50; attempt++) {
    const file = defaultRuleFile();
    const scale = pick([0.5, 1, 2]);
    const text = JSON.stringify(file).replace(/(\{"[<>=]+":)(\d+(?:\.\d+)?)/g, (_, op, v) =>
      rnd() < 0.5 ? `${op}${Number(v) * scale}` : `${op}${v}`,
    );
    const mutated = JSON.parse(text) as RuleFileJson;
    for (const row of rule(mutated, 'G3').rows as Json[]) if (rnd() < 0.4) row.level = pick(LEVELS);
    if (rnd() < 0.4) mutated.combine = 'first-applicable';
    const g4 = rule(mutated, 'G4');
    delete g4.demote;
    g4[rnd() < 0.7 ? 'demote' : 'escalate'] = pick([1, 2, 3]);
    if (rnd() < 0.5)
      mutated.rules.push({
        id: 'DESK',
        rows: [
          {
            when: { underlying: { in: pick([['SPX'], ['SPX', 'NDX'], ['QQQ']]) } },
            level: pick(LEVELS),
          },
        ],
      });
    if (rnd() < 0.3)
      mutated.rules.splice(1, 0, {
        id: 'PIN',
        override: true,
        rows: [{ when: { requested_priority: null, underlying: 'PIN' }, level: pick(LEVELS) }],
      });
    if (checkRules(JSON.stringify(mutated)).ok) out.push(mutated);
  }
  return out;
};
