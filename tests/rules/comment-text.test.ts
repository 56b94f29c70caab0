// A rule change's comment, as the engine takes it (QA rv F1, F3). The comment is optional
// (`rules activate` without --comment), so one that reads as nothing — a zero-width space,
// U+202E alone, U+2800 + U+3164 — was stored and shown as a reason; it is now no comment,
// as an empty or white-space one always was, and a source override's optional
// justification alike. A U+202E amid visible text stays (free text, shown escaped), as in a
// justification. The 2,000-character limit counts what a person reads as one character (a
// flag 🇺🇸, a family 👨‍👩‍👧), with a second limit of 8,000 code points on what is stored.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDispatcher, type Dispatch } from '../../electron/host/handlers.ts';
import { calls } from '../../shared/api.ts';
import { textSize } from '../../shared/api/free-text.ts';
import { startTestEngine, type TestEngine } from '../desktop/engine.ts';

let te: TestEngine;
let dispatch: Dispatch;
let text: string;
let n = 0;

beforeAll(async () => {
  te = await startTestEngine({ workers: 1 });
  dispatch = createDispatcher(te.engine.handlers, { transport: 'ipc' });
  const active = await te.engine.handlers['rules:active']({});
  if (!active.ok) throw new Error(active.error.message);
  text = active.value.text;
}, 60_000);
afterAll(() => te?.stop());

/** Activates a text unlike every one before (a rule set that changes nothing else). */
const activate = (comment?: string) =>
  dispatch('rules:activate', {
    text: text.replace('"age_s": { "<": 5 }', `"age_s": { "<": ${5 + ++n} }`),
    author: 'qa',
    ...(comment !== undefined ? { comment } : {}),
  }) as Promise<
    | { ok: true; value: { version: number; comment: string } }
    | { ok: false; error: { code: string; message: string; field?: string } }
  >;

const lastAudit = async () => {
  const entries = await te.engine.handlers['audit:list']({
    kind: 'rules',
    limit: 1,
    order: 'newest',
  });
  if (!entries.ok) throw new Error(entries.error.message);
  return entries.value[0]!.explanation;
};

describe('a rule change’s comment', () => {
  it('that reads as nothing is no comment, as an empty one is', async () => {
    for (const blank of ['\u200b', '\u202e', '\u2800\u3164', ' \u200b\n', '']) {
      const r = await activate(blank);
      expect(r.ok, JSON.stringify(blank)).toBe(true);
      if (!r.ok) continue;
      expect(r.value.comment, JSON.stringify(blank)).toBe('');
      expect(await lastAudit()).toBe(`rule set version ${r.value.version} activated`);
    }
    const rb = await dispatch('rules:rollback', { version: 1, author: 'qa', comment: '\u200b' });
    expect(rb.ok && (rb.value as { comment: string }).comment).toBe('rollback to version 1');
  });

  it('keeps a U+202E amid visible text, trimmed, as a justification keeps it', async () => {
    const r = await activate('  see\u202e FOMC-12 ');
    expect(r.ok && r.value.comment).toBe('see\u202e FOMC-12');
  });

  it('counts a flag or a family as one character, and refuses past 8,000 code points', async () => {
    const flag = '🇺🇸';
    const family = '👨‍👩‍👧';
    expect(textSize(flag)).toEqual({ chars: 1, codePoints: 2 });
    expect(textSize(family)).toEqual({ chars: 1, codePoints: 5 });
    expect(textSize('e\u0301')).toEqual({ chars: 1, codePoints: 2 });
    expect(textSize('a\r\nb')).toEqual({ chars: 3, codePoints: 4 });
    expect(textSize('x'.repeat(5_000_000))).toEqual({ chars: 5_000_000, codePoints: 5_000_000 });
    // 1,999 characters and a flag: 2,000, taken.
    const at = await activate(`${'y'.repeat(1999)}${flag}`);
    expect(at.ok).toBe(true);
    const over = await activate(`${'y'.repeat(1999)}${flag}${flag}`);
    expect(over.ok).toBe(false);
    if (!over.ok)
      expect(over.error.message).toMatch(
        /^rules:activate: comment: a comment has at most 2,000 characters \(this one has 2,001\)/,
      );
    // 1,600 families are 1,600 characters but 8,000 code points: taken; 1,601 are not.
    expect((await activate(family.repeat(1600))).ok).toBe(true);
    const many = await activate(family.repeat(1601));
    expect(many.ok).toBe(false);
    if (!many.ok) {
      expect(many.error.field).toBe('comment');
      expect(many.error.message).toContain(
        'a comment has at most 2,000 characters and 8,000 code points',
      );
      expect(many.error.message).toContain('this one has 8,005 code points');
    }
  });

  it('an optional justification that reads as nothing is none (sources:clear)', () => {
    const req = calls['sources:clear'].request;
    expect(req.parse({ id: 'acme', justification: '\u200b\u3164' }).justification).toBe('');
    expect(req.parse({ id: 'acme', justification: ' a\u202e ' }).justification).toBe('a\u202e');
  });
});
