// Writes rules/default.rules.json and rules/rules.schema.json from their single
// sources (default-rules.ts, the zod schema). Run after changing either:
//   node electron/engine/rules/write-files.ts
// tests/rules/files.test.ts fails while the files on disk are out of date.
import { writeFileSync } from 'node:fs';
import { DEFAULT_RULES_TEXT } from './default-rules.ts';
import { rulesJsonSchema } from './schema.ts';

export const SCHEMA_FILE_TEXT = (): string => JSON.stringify(rulesJsonSchema(), null, 2) + '\n';

if (import.meta.url === `file://${process.argv[1]}`) {
  const dir = new URL('../../../rules/', import.meta.url);
  writeFileSync(new URL('default.rules.json', dir), DEFAULT_RULES_TEXT);
  writeFileSync(new URL('rules.schema.json', dir), SCHEMA_FILE_TEXT());
  console.log(`wrote ${new URL('default.rules.json', dir).pathname} and rules.schema.json`);
}
