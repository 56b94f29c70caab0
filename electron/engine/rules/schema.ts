// The JSON Schema of a rule file, generated from the zod schema in shared/rules.ts,
// for Monaco's completion and hover (and for editors outside the app through the
// file's "$schema"). rules/rules.schema.json is this object, written by write-files.ts.
import { z } from 'zod';
import { RuleFile } from '../../../shared/rules.ts';

const generated = (): Record<string, unknown> => {
  // The one recursive definition (a condition) gets a readable name instead of zod's "__schema0".
  const text = JSON.stringify(z.toJSONSchema(RuleFile, { target: 'draft-7', io: 'input' }));
  return JSON.parse(text.replaceAll('__schema0', 'Condition')) as Record<string, unknown>;
};

export const rulesJsonSchema = (): Record<string, unknown> => ({
  ...generated(),
  $id: 'https://gex-desk.local/rules.schema.json',
  title: 'GEX Desk rule file',
  description:
    'Derived facts with their thresholds, per-level targets, and decision tables that give each ingest request a priority. See docs/rules.md.',
});
