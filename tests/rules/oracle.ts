// An independent oracle of GUIDELINES.md version 2, written straight from its text
// with plain ifs and Date.parse, sharing no code with the rule engine or the rule
// file. The generated tests compare the compiled default rule set against it.
type Level = 'CRITICAL' | 'HIGH' | 'MEDIUM' | 'LOW';
const LEVELS: Level[] = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW'];

export type OracleFacts = {
  underlying: string;
  as_of: string;
  now: string;
  total_volume: number;
  total_open_interest: number;
  gex_change: number | null;
  source_reliability?: number;
  requested_priority?: Level;
  justification?: string;
};

export type OracleAnswer = { level: Level; rule: 'G1' | 'G2' | 'G3' | 'G4' } | { invalid: string };

/** The derived facts of GUIDELINES.md, for facts that are valid. */
export const oracleDerived = (f: OracleFacts) => {
  let age = (Date.parse(f.now) - Date.parse(f.as_of)) / 1000;
  if (age < 0 && age >= -60) age = 0;
  const freshness = age < 5 ? 'real-time' : age < 300 ? 'fresh' : 'stale';
  const impact =
    f.total_volume > 50000 || f.total_open_interest > 100000
      ? 'high'
      : f.total_volume >= 10000 || f.total_open_interest >= 25000
        ? 'medium'
        : 'low';
  const g = f.gex_change;
  const change = g === null || g > 0.1 ? 'large' : g >= 0.05 && g <= 0.1 ? 'medium' : 'small';
  return { age_s: age, freshness, impact, change };
};

/** Timestamps here carry at most millisecond fractions, which Date.parse reads exactly. */
export const oracle = (f: OracleFacts): OracleAnswer => {
  if (
    f.requested_priority !== undefined &&
    (f.justification === undefined || f.justification.trim() === '')
  ) {
    return { invalid: 'justification' };
  }
  let age = (Date.parse(f.now) - Date.parse(f.as_of)) / 1000;
  if (age < -60) return { invalid: 'as_of' };
  if (age < 0) age = 0;

  // G1 Manual override.
  if (f.requested_priority !== undefined) return { level: f.requested_priority, rule: 'G1' };

  const realTime = age < 5;
  const fresh = age < 300;
  // G2 Stale.
  if (!fresh) return { level: 'LOW', rule: 'G2' };

  const highImpact = f.total_volume > 50000 || f.total_open_interest > 100000;
  const atLeastMediumImpact =
    highImpact || f.total_volume >= 10000 || f.total_open_interest >= 25000;
  const largeChange = f.gex_change === null || f.gex_change > 0.1;

  // G3 Market impact and freshness.
  let level: Level;
  if (highImpact && largeChange && realTime) level = 'CRITICAL';
  else if ((highImpact && realTime) || (atLeastMediumImpact && largeChange && fresh))
    level = 'HIGH';
  else if ((atLeastMediumImpact && fresh) || (largeChange && realTime)) level = 'MEDIUM';
  else level = 'LOW';

  // G4 Unreliable source: demote one step (LOW stays LOW, then G3 still decided).
  const reliability = f.source_reliability ?? 1;
  if (reliability < 0.8 && level !== 'LOW') {
    return { level: LEVELS[LEVELS.indexOf(level) + 1]!, rule: 'G4' };
  }
  return { level, rule: 'G3' };
};
