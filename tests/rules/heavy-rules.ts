// A rule set whose case analysis takes seconds (the default rules and first-hit tables of
// overlapping rows): for the tests of where and how the analysis runs.
import { defaultRulesText } from '../../electron/engine/rules/index.ts';

/** The default rules and `tables` first-hit tables of 30 overlapping rows each: seconds of case analysis. */
export const heavyRules = (tables: number): string => {
  const file = JSON.parse(defaultRulesText()) as { rules: unknown[] };
  for (let t = 0; t < tables; t++)
    file.rules.push({
      id: `X${t}`,
      title: `x${t}`,
      hit: 'first',
      rows: [
        ...Array.from({ length: 30 }, (_, i) => ({
          when: {
            total_volume: { '>': (((t + i) % 30) + 1) * 1000 },
            total_open_interest: { '<': (((t + 7 * i) % 30) + 1) * 1000 },
            gex_change: { '>': ((i % 10) + 1) / 100 },
          },
          level: 'MEDIUM',
        })),
        { level: 'LOW' },
      ],
    });
  return JSON.stringify(file, null, 1);
};
