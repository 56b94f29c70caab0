// Compare's A and B take a choice stepped through with the keys on Enter or on leaving the
// select, a mouse choice at once (keyed-choice.ts; QA wb F6: every arrow press ran a
// comparison and pushed a Back step).
import { describe, expect, it } from 'vitest';
import { KeyedChoice } from '../../renderer/src/components/keyed-choice.ts';

/** Runs the key's "later" at once after its change, as the browser's task ends. */
function press(c: KeyedChoice, key: string, changeTo?: string): string | null {
  let end: (() => void) | undefined;
  const now = c.keyDown(key, (f) => (end = f));
  const taken = changeTo === undefined ? now : c.change(changeTo);
  end?.();
  return taken;
}

describe('KeyedChoice', () => {
  it('holds each arrow step and takes the last on Enter, once', () => {
    const c = new KeyedChoice();
    expect(press(c, 'ArrowUp', 'b2')).toBeNull();
    expect(press(c, 'ArrowUp', 'b3')).toBeNull();
    expect(c.pending).toBe('b3');
    expect(press(c, 'Enter')).toBe('b3');
    expect(press(c, 'Enter')).toBeNull();
  });

  it('takes the held step on leaving, drops it on Escape', () => {
    const c = new KeyedChoice();
    press(c, 'Home', 'a1');
    expect(c.take()).toBe('a1');
    press(c, 'ArrowDown', 'a2');
    expect(press(c, 'Escape')).toBeNull();
    expect(c.take()).toBeNull();
  });

  it('takes a mouse choice, or one made in the open list, at once', () => {
    const c = new KeyedChoice();
    expect(c.change('b1')).toBe('b1');
    // A key's step is over once its task ends: the next change is the list's choice.
    press(c, 'ArrowDown', 'b2');
    expect(c.change('b4')).toBe('b4');
    expect(c.pending).toBeNull();
  });
});
