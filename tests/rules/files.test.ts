// The files published next to the code stay equal to their single sources: the
// default rule file (default-rules.ts) and the JSON Schema (the zod schema).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { defaultRulesText, rulesJsonSchema } from '../../electron/engine/rules/index.ts';
import { SCHEMA_FILE_TEXT } from '../../electron/engine/rules/write-files.ts';

const read = (name: string) =>
  readFileSync(new URL(`../../rules/${name}`, import.meta.url), 'utf8');
const REGENERATE = 'run: node electron/engine/rules/write-files.ts';

describe('published rule files', () => {
  it('rules/default.rules.json is the default rule set', () => {
    expect(read('default.rules.json'), REGENERATE).toBe(defaultRulesText());
  });

  it('the default rule set is named after the guidelines’ version, never read as its own (QA day F6)', () => {
    // The app labels a rule set by its stored version ("v1"): a name saying "version 2"
    // read as another version of the same rule set.
    const { name } = JSON.parse(defaultRulesText()) as { name: string };
    expect(name).toBe('Firm guidelines for GEX ingest priority (GUIDELINES.md v2)');
    expect(name).not.toMatch(/\bversion\b/i);
  });

  it('rules/rules.schema.json is the published schema', () => {
    expect(read('rules.schema.json'), REGENERATE).toBe(SCHEMA_FILE_TEXT());
    expect(JSON.parse(read('rules.schema.json'))).toEqual(rulesJsonSchema());
  });

  it('the schema describes the parts of a rule file an editor completes', () => {
    const schema = rulesJsonSchema() as {
      properties: Record<string, unknown>;
      required: string[];
      $schema: string;
    };
    expect(schema.$schema).toBe('http://json-schema.org/draft-07/schema#');
    expect(Object.keys(schema.properties)).toEqual(
      expect.arrayContaining(['levels', 'derived', 'combine', 'rules']),
    );
    expect(schema.required).toEqual(
      expect.arrayContaining(['name', 'levels', 'derived', 'combine', 'rules']),
    );
    const text = JSON.stringify(schema);
    for (const word of [
      '"CRITICAL"',
      '"on_late"',
      '"ordinal"',
      '"age"',
      '"adjusts"',
      '"override"',
      '"first-applicable"',
      '">="',
    ])
      expect(text).toContain(word);
  });

  it('a fact in a condition is described as that fact in whichever form its test takes', () => {
    // An editor's hover shows the description of the branch of a fact's anyOf that its
    // value matches ({"<": 0.8}: the object of comparisons) before the property's own.
    type Node = { description?: string; anyOf?: Node[]; properties?: Record<string, Node> };
    const conditions: Node[] = [];
    const walk = (n: unknown): void => {
      if (Array.isArray(n)) return n.forEach(walk);
      if (!n || typeof n !== 'object') return;
      const o = n as Node;
      if (o.properties?.source_reliability && o.properties.any) conditions.push(o);
      Object.values(o).forEach(walk);
    };
    walk(rulesJsonSchema());
    expect(conditions.length).toBeGreaterThan(0);
    for (const condition of conditions)
      for (const [fact, test] of Object.entries(condition.properties!)) {
        if (['any', 'all', 'not'].includes(fact)) continue;
        expect(test.description, fact).toBeTruthy();
        const comparisons = test.anyOf?.find((b) => b.properties?.['>=']);
        expect(comparisons?.description, `${fact}'s object of comparisons`).toBe(test.description);
      }
    const reliability = conditions[0]!.properties!.source_reliability!;
    expect(reliability.description).toMatch(/^The source's share of successful ingests/);
  });
});
