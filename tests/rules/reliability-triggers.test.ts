// What a source's reliability sets off, read from the rule set itself: the default
// rules' G4 below 0.8 (and not at 0.8), a threshold moved in the file moves the answer,
// a condition that needs other facts too is reported as such, a derived fact built on
// the reliability counts, and the rules decide exactly as before once asked.
import { describe, expect, it } from 'vitest';
import {
  compileRules,
  defaultRules,
  parseRules,
  type CompiledRules,
} from '../../electron/engine/rules/index.ts';
import { defaultRuleFile, type RuleFileJson } from './rule-sets.ts';

const compile = (file: RuleFileJson): CompiledRules => {
  const parsed = parseRules(JSON.stringify(file, null, 2));
  if (!parsed.ok) throw new Error(parsed.error.message);
  return compileRules(parsed.value, 7);
};
const g4 = (file: RuleFileJson) => file.rules.find((r) => r.id === 'G4')!;

describe('reliabilityTriggers', () => {
  it("finds G4 below the default rules' 0.8, certain, and nothing from 0.8 up", () => {
    const rules = defaultRules();
    for (const r of [0, 0.5, 0.79])
      expect(rules.reliabilityTriggers(r)).toEqual([
        {
          rule: 'G4',
          row: null,
          effect: 'demotes G3 by 1 level',
          condition: 'source reliability < 0.8',
          certain: true,
        },
      ]);
    for (const r of [0.8, 0.95, 1]) expect(rules.reliabilityTriggers(r)).toEqual([]);
  });

  it('follows the threshold of the rule file, not a copy of it', () => {
    const file = defaultRuleFile();
    g4(file).when = { source_reliability: { '<': 0.6 } };
    const rules = compile(file);
    expect(rules.reliabilityTriggers(0.7)).toEqual([]);
    expect(rules.reliabilityTriggers(0.59)).toMatchObject([
      { rule: 'G4', certain: true, condition: 'source reliability < 0.6' },
    ]);
  });

  it('reports a condition that also needs other facts as not certain, and only where the reliability allows it', () => {
    const file = defaultRuleFile();
    g4(file).when = { source_reliability: { '<': 0.8 }, impact: 'high' };
    const rules = compile(file);
    expect(rules.reliabilityTriggers(0.5)).toMatchObject([{ rule: 'G4', certain: false }]);
    expect(rules.reliabilityTriggers(0.9)).toEqual([]);
  });

  it('sees the reliability through a derived fact, in a table row, with the level it gives', () => {
    const file = defaultRuleFile();
    file.derived.trust = {
      kind: 'ordinal',
      values: ['low', 'ok'],
      rows: [{ when: { source_reliability: { '<': 0.3 } }, value: 'low' }, { value: 'ok' }],
    };
    file.rules.push({
      id: 'DISTRUST',
      rows: [{ id: 'DISTRUST.LOW', when: { trust: { '==': 'low' } }, level: 'LOW' }],
    });
    const rules = compile(file);
    expect(rules.reliabilityTriggers(0.2)).toEqual([
      {
        rule: 'G4',
        row: null,
        effect: 'demotes G3 by 1 level',
        condition: 'source reliability < 0.8',
        certain: true,
      },
      {
        rule: 'DISTRUST',
        row: 'DISTRUST.LOW',
        effect: 'gives LOW',
        condition: 'trust low',
        certain: true,
      },
    ]);
    expect(rules.reliabilityTriggers(0.5).map((t) => t.rule)).toEqual(['G4']);
  });

  it('leaves the decisions as they were', () => {
    const rules = defaultRules();
    const facts = {
      underlying: 'SPX',
      as_of: '2024-01-08T14:59:58Z',
      now: '2024-01-08T15:00:00Z',
      total_volume: 80_000,
      total_open_interest: 300_000,
      gex_change: 0.25,
      source_reliability: 0.5,
    };
    const before = rules.decide(facts);
    rules.reliabilityTriggers(0.1);
    expect(rules.decide(facts)).toEqual(before);
    expect(before).toMatchObject({ ok: true, value: { priority: 'HIGH', rule: 'G4' } });
  });
});
