// The JSON Schema of a rule file, generated from the zod schema in shared/rules.ts,
// for Monaco's completion and hover (and for editors outside the app through the
// file's "$schema"). rules/rules.schema.json is this object, written by write-files.ts.
import { z } from 'zod';
import { RuleFile } from '../../../shared/rules.ts';

export const rulesJsonSchema = (): Record<string, unknown> => ({
  ...z.toJSONSchema(RuleFile, { target: 'draft-7', io: 'input' }),
  $id: 'https://gex-desk.local/rules.schema.json',
  title: 'GEX Desk rule file',
  description:
    'Derived facts with their thresholds, per-level targets, and decision tables that give each ingest request a priority. See docs/rules.md.',
});
