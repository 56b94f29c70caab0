// A dialog's refusal in the dialog's words, and the count under a justification or comment
// (QA day2 D3): the Activate dialog said "field comment rules:activate: comment: …" for the
// field it labels "Why", and nothing told the analyst of the limit before the call.
import { describe, expect, it } from 'vitest';
import { ownFieldError, textCount } from '../../renderer/src/text/field-error.ts';
import { createDispatcher } from '../../electron/host/handlers.ts';

describe('a dialog’s refusal and its text’s count', () => {
  it('names the field by its label, without the call’s name or the request’s key', async () => {
    // The engine's own refusal, as the dispatcher says it.
    const dispatch = createDispatcher({}, { transport: 'ipc' });
    const res = await dispatch('rules:activate', {
      text: 'x',
      author: 'qa',
      comment: 'y'.repeat(2561),
    });
    expect(res.ok).toBe(false);
    if (res.ok) return;
    expect(res.error.message).toMatch(/^rules:activate: comment: /);
    const own = ownFieldError(res.error, { comment: 'Why' });
    expect(own.field).toBe('Why');
    expect(own.message).toMatch(/^a comment has at most 2,000 characters \(this one has 2,561\)/);
    // Another field's refusal, or one with no field, is left as the engine said it.
    expect(ownFieldError(res.error, { author: 'Your name' })).toEqual(res.error);
    const plain = { code: 'CONFLICT' as const, message: 'rules:activate: stale' };
    expect(ownFieldError(plain, { comment: 'Why' })).toEqual(plain);
  });

  it('counts as the engine does, near the limit only', () => {
    expect(textCount('a reason')).toBeNull();
    expect(textCount('x'.repeat(1599))).toBeNull();
    expect(textCount('x'.repeat(1600))).toEqual({ said: '1,600 / 2,000', over: false });
    expect(textCount('😀'.repeat(2000))).toEqual({ said: '2,000 / 2,000', over: false });
    expect(textCount(` ${'x'.repeat(2001)}\n`)).toEqual({
      said: '2,001 / 2,000: at most 2,000 characters; shorten it by 1',
      over: true,
    });
    // As a person counts (QA rv F3): a flag, a family one character each.
    expect(textCount(`${'y'.repeat(1999)}🇺🇸`)).toEqual({ said: '2,000 / 2,000', over: false });
    expect(textCount('👨‍👩‍👧'.repeat(1600))).toEqual({ said: '1,600 / 2,000', over: false });
    expect(textCount('👨‍👩‍👧'.repeat(1601))).toEqual({
      said: '1,601 / 2,000: at most 2,000 characters and 8,000 code points (an emoji such as a flag or a family is one character of several code points); this one has 8,005',
      over: true,
    });
  });
});
