// Who asked for an audited change is the audit trail's "By": every call that takes an
// author refuses one a person would read as another's name (U+202E turned
// "alice\u202enimda" into "aliceadmin"), one with an escape sequence or a line break, a
// blank one and a text; the name is taken trimmed. The API's own schemas, as the engine
// validates every request with them.
import { describe, expect, it } from 'vitest';
import { calls } from '../../shared/api.ts';
import { staleBase } from '../../electron/engine/rules/service.ts';

const requests: Record<string, Record<string, unknown>> = {
  'ingest:submit': { file: '/in/spx.csv' },
  'jobs:cancel': { id: 'abcd' },
  'jobs:retry': { id: 'abcd' },
  'snapshots:remove': { id: 'abcd', justification: 'ingested by mistake' },
  'snapshots:prune': { before: '2024-01-01', justification: 'old' },
  'sources:set': { id: 'acme', reliability: 0.5, justification: 'flaky feed' },
  'sources:clear': { id: 'acme' },
  'rules:activate': { text: '{}', comment: 'c' },
  'rules:rollback': { version: 1 },
};

const parse = (name: string, author: unknown) =>
  (calls as Record<string, { request: { safeParse: (v: unknown) => unknown } }>)[
    name
  ]!.request.safeParse({ ...requests[name], author }) as {
    success: boolean;
    data?: { author?: string };
    error?: { issues: { path: PropertyKey[]; message: string }[] };
  };

describe('an author’s name', () => {
  for (const name of Object.keys(requests)) {
    it(`${name}: takes a name trimmed, refuses control, format and filler characters, a blank name and a text`, () => {
      expect(parse(name, '  Ana Müller ').data?.author).toBe('Ana Müller');
      expect(parse(name, '東京 analyst').success).toBe(true);
      const refused: [string, RegExp][] = [
        ['alice\u202enimda', /may not hold \\u202e: control, format and invisible filler/],
        ['bob\u200b', /may not hold \\u200b: control, format/],
        ['mallory\u001b[8m', /may not hold \\x1b: control, format/],
        ['eve\nroot', /may not hold \\n: control, format/],
        // Drawn as nothing (QA sec2 N8): a look-alike of alice.
        ['alice\u034f', /may not hold \\u034f: control, format/],
        ['ali\u2800ce', /may not hold \\u2800: control, format/],
        ['', /not blank/],
        ['   ', /not blank/],
        ['\u3164', /not blank/],
        ['a'.repeat(101), /at most 100 characters/],
      ];
      for (const [author, message] of refused) {
        const r = parse(name, author);
        expect(r.success, JSON.stringify(author)).toBe(false);
        expect(r.error!.issues[0]!.path).toEqual(['author']);
        expect(r.error!.issues[0]!.message).toMatch(message);
      }
    });
  }
});

describe('a stale base’s refusal', () => {
  it('names the active version’s author and comment as they are read, escaped', () => {
    // A version stored before authors were checked: its U+202E reversed the rest of the sentence.
    const r = staleBase(1, {
      version: 2,
      author: 'bob\u202enimda',
      comment: 'same text \u202etxet',
      created_at: '2026-12-07T03:00:00.000Z',
      active: true,
    });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.message).toMatch(
      /^Version 2 \(by bob\\u202enimda: "same text \\u202etxet"\) has been activated since version 1/,
    );
    expect(r.error.message).not.toContain('\u202e');
  });
});
