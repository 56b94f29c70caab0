// Two windows sharing the stored rule draft (QA: tab B's edit was silently overwritten by
// tab A's next keystroke): a window with no edit of its own since it last read or wrote the
// draft takes the other's; one with its own edits keeps them, stops writing and the analyst
// chooses, with the merge base the text both last had. Real localStorage semantics through
// draftStore over a Map (the revisions each write names).
import { describe, expect, it } from 'vitest';
import {
  hear,
  keptMine,
  mergeBoth,
  minimalEdit,
  readState,
  shouldWrite,
  tookTheirs,
  wrote,
  type DraftSync,
} from '../../renderer/src/state/draft-sync.ts';
import {
  adoptUnkeyed,
  DRAFT_KEY,
  draftKeyOf,
  draftStore,
  readStored,
} from '../../renderer/src/state/rule-draft.ts';
import type { Result } from '../../shared/result.ts';
import { localStamp } from '../../renderer/src/text/time.ts';

const memory = () => {
  const m = new Map<string, string>();
  return {
    getItem: (k: string) => m.get(k) ?? null,
    setItem: (k: string, v: string) => void m.set(k, v),
    removeItem: (k: string) => void m.delete(k),
  };
};
const ACTIVE = { version: 1, text: 'a\nb\nc\nd\ne' };
const revOf = (r: Result<string | null>): string | null => {
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
};

/** A window: its text, what it knows of the stored draft, and its writes through the store. */
function windowOn(store: ReturnType<typeof draftStore>) {
  const st = store.stored();
  const w = {
    text: st.draft?.text ?? ACTIVE.text,
    sync: readState(st.rev, st.draft?.text ?? ACTIVE.text) as DraftSync,
    /** An edit by the analyst in this window: stored unless in conflict. */
    edit(text: string) {
      w.text = text;
      const p = shouldWrite(w.sync, text);
      if (!p) return;
      const saved = store.save(text, ACTIVE, undefined, p.parent);
      const rev = saved.ok ? saved.value : null;
      w.sync = rev ? wrote(w.sync, rev, text) : { ...w.sync, text };
    },
    /** The storage event of the value stored now (`raw`, as the event carries it). */
    hearRaw(raw: string | null) {
      const s = readStored(raw);
      const r = hear(w.sync, w.text, {
        rev: s.rev,
        parent: s.parent,
        text: s.draft?.text ?? ACTIVE.text,
      });
      w.sync = r.state;
      if (r.action === 'take') w.text = s.draft!.text;
      return r.action;
    },
  };
  return w;
}

describe('a rule draft shared by two windows', () => {
  it("QA's steps: B's edit arrives in an idle A, and A's next keystroke builds on it", () => {
    const mem = memory();
    const store = draftStore(mem);
    const a = windowOn(store);
    a.edit('TAB A work');
    const b = windowOn(store); // B opens the view: restores A's draft
    expect(b.text).toBe('TAB A work');
    b.edit('TAB B long careful work');
    expect(a.hearRaw(mem.getItem('gex-desk.rules-draft'))).toBe('take');
    expect(a.text).toBe('TAB B long careful work');
    a.edit('TAB B long careful workX');
    expect(store.load()?.text).toBe('TAB B long careful workX');
    // B hears A's keystroke, which was built on its own write: taken, no conflict.
    expect(b.hearRaw(mem.getItem('gex-desk.rules-draft'))).toBe('take');
    expect(b.text).toBe('TAB B long careful workX');
  });

  it('both edited at once: each keeps its text, stops writing, and the analyst chooses', () => {
    const mem = memory();
    const store = draftStore(mem);
    const a = windowOn(store);
    const b = windowOn(store);
    a.edit('A\nb\nc\nd\ne');
    const aRaw = mem.getItem('gex-desk.rules-draft');
    b.edit('a\nb\nc\nd\nE'); // before B heard A's write
    const bRaw = mem.getItem('gex-desk.rules-draft');
    expect(a.hearRaw(bRaw)).toBe('conflict');
    expect(b.hearRaw(aRaw)).toBe('conflict');
    expect(a.text).toBe('A\nb\nc\nd\ne');
    expect(b.text).toBe('a\nb\nc\nd\nE');
    // No write over the other's draft while in conflict.
    a.edit('A!\nb\nc\nd\ne');
    expect(store.load()?.text).toBe('a\nb\nc\nd\nE');
    // The merge is over the text both had: each one's change kept.
    expect(mergeBoth(a.sync.conflict!, a.text)).toEqual({ ok: true, text: 'A!\nb\nc\nd\nE' });
    // Keep mine: written, naming B's draft as the one it replaces.
    a.sync = keptMine(a.sync.conflict!);
    expect(shouldWrite(a.sync, a.text)).toEqual({ parent: readStored(bRaw).rev });
    a.edit(a.text);
    expect(store.load()?.text).toBe('A!\nb\nc\nd\ne');
    // B, still in conflict, hears it: its choice now concerns A's newest text.
    expect(b.hearRaw(mem.getItem('gex-desk.rules-draft'))).toBe('conflict');
    expect(b.sync.conflict?.theirs).toBe('A!\nb\nc\nd\ne');
    expect(b.sync.conflict?.base).toBe(ACTIVE.text);
    // Take theirs: B has A's draft as read, and writes on top of it from now on.
    b.sync = tookTheirs(b.sync.conflict!);
    b.text = b.sync.text;
    b.edit('A!\nb\nc\nd\ne\nf');
    expect(a.hearRaw(mem.getItem('gex-desk.rules-draft'))).toBe('take');
    expect(a.text).toBe('A!\nb\nc\nd\ne\nf');
  });

  it('takes as the merge base the own write the other window built on', () => {
    const mem = memory();
    const store = draftStore(mem);
    const a = windowOn(store);
    const b = windowOn(store);
    a.edit('a1\nb\nc\nd\ne');
    expect(b.hearRaw(mem.getItem('gex-desk.rules-draft'))).toBe('take');
    a.edit('a12\nb\nc\nd\ne'); // B has not heard this one yet
    b.edit('a1\nb\nc\nd\nE');
    const r = a.hearRaw(mem.getItem('gex-desk.rules-draft'));
    expect(r).toBe('conflict');
    expect(a.sync.conflict?.base).toBe('a1\nb\nc\nd\ne');
    expect(mergeBoth(a.sync.conflict!, a.text)).toEqual({ ok: true, text: 'a12\nb\nc\nd\nE' });
  });

  it('the same line changed differently cannot be merged; the same text on both sides is no conflict', () => {
    const base = readState('r0', 'x\ny');
    const mine = wrote(base, 'm1', 'x1\ny');
    const c = hear(mine, 'x1\ny', { rev: 't1', parent: 'r0', text: 'x2\ny' });
    expect(c.action).toBe('conflict');
    const m = mergeBoth(c.state.conflict!, 'x1\ny');
    expect(m.ok).toBe(false);
    // The other window made the same text: the conflict is over, nothing to take.
    const same = hear(c.state, 'x1\ny', { rev: 't2', parent: 't1', text: 'x1\ny' });
    expect(same.action).toBe('nothing');
    expect(same.state.conflict).toBeNull();
    expect(same.state.rev).toBe('t2');
  });

  it('an edit not yet stored is an edit of its own; a window that only read takes any change', () => {
    const s = readState('r0', 'x');
    expect(hear(s, 'x typed', { rev: 'r1', parent: 'r0', text: 'y' }).action).toBe('conflict');
    expect(hear(s, 'x', { rev: 'r1', parent: 'elsewhere', text: 'y' }).action).toBe('take');
    expect(hear(s, 'x', { rev: 'r0', parent: null, text: 'y' }).action).toBe('nothing');
  });

  it('stores each write with its revision and parent; a forgotten draft leaves a marker', () => {
    const mem = memory();
    const store = draftStore(mem);
    expect(store.clear()).toBeNull(); // nothing to forget: nothing written
    expect(mem.getItem('gex-desk.rules-draft')).toBeNull();
    const r1 = revOf(store.save('x', ACTIVE, undefined, null));
    const r2 = revOf(store.save('y', ACTIVE, undefined, r1));
    expect(store.stored()).toMatchObject({ rev: r2, parent: r1, draft: { text: 'y', base: 1 } });
    const r3 = revOf(store.save(ACTIVE.text, ACTIVE, undefined, r2));
    expect(r3).not.toBeNull();
    expect(store.stored()).toEqual({ draft: null, rev: r3, parent: r2 });
    expect(revOf(store.save(ACTIVE.text, ACTIVE))).toBeNull();
  });

  // QA rl F3: a 5.9 MB draft made setItem throw QuotaExceededError out of the editor's
  // change handler, before its check was scheduled ("checking…" forever, nothing said).
  it('answers a draft the browser refuses to keep as QUOTA_EXCEEDED, the kept one left', () => {
    const mem = memory();
    const full = {
      ...mem,
      setItem(k: string, v: string) {
        if (v.length > 1000)
          throw new DOMException(
            "Setting the value of 'k' exceeded the quota.",
            'QuotaExceededError',
          );
        mem.setItem(k, v);
      },
    };
    const store = draftStore(full);
    const r1 = revOf(store.save('small', ACTIVE, new Date('2025-12-02T10:00:00Z'), null));
    const big = 'x'.repeat(2_500_000);
    const refused = store.save(big, ACTIVE, undefined, r1);
    expect(refused.ok).toBe(false);
    if (refused.ok) return;
    expect(refused.error.code).toBe('QUOTA_EXCEEDED');
    expect(refused.error.message).toBe(
      'This draft (2.5 million characters) is too large to be kept by the browser, which keeps about 5 million: ' +
        `a reload or closing the window loses it, and brings back the draft kept at ${localStamp('2025-12-02T10:00:00.000Z')}. ` +
        'It is checked and can be activated as usual; to keep it, copy it into a file or activate it.',
    );
    expect(store.stored()).toMatchObject({ rev: r1, draft: { text: 'small' } });
  });

  it('changes only the part that differs, so a cursor elsewhere stays put', () => {
    expect(minimalEdit('hello world', 'hello brave world')).toEqual({
      start: 6,
      end: 6,
      text: 'brave ',
    });
    expect(minimalEdit('aaa', 'aa')).toEqual({ start: 2, end: 3, text: '' });
    expect(minimalEdit('same', 'same')).toBeNull();
    expect(minimalEdit('', 'new')).toEqual({ start: 0, end: 0, text: 'new' });
  });
});

describe('a rule draft of each database', () => {
  it("keeps one database's draft apart from another's served at the same address; a draft kept before goes to the first opened", () => {
    const mem = memory();
    // A draft of the days before drafts were kept per database.
    draftStore(mem).save('old draft', ACTIVE, new Date('2026-12-01T00:00:00Z'));
    const [a, b] = [draftKeyOf('/desk/a.duckdb'), draftKeyOf('/desk/b.duckdb')];
    expect(a).not.toBe(b);
    adoptUnkeyed(mem, a);
    expect(draftStore(mem, a).load()?.text).toBe('old draft');
    expect(mem.getItem(DRAFT_KEY)).toBeNull();
    // B, opened next at the same address, has none of A's.
    adoptUnkeyed(mem, b);
    expect(draftStore(mem, b).load()).toBeNull();
    draftStore(mem, b).save('b draft', { version: 7, text: 'b' });
    expect(draftStore(mem, a).load()?.text).toBe('old draft');
    expect(draftStore(mem, b).load()).toMatchObject({ text: 'b draft', base: 7 });
    // A draft kept per database is never replaced by an unkeyed one found later.
    draftStore(mem).save('stray', ACTIVE);
    adoptUnkeyed(mem, a);
    expect(draftStore(mem, a).load()?.text).toBe('old draft');
    expect(mem.getItem(DRAFT_KEY)).toBeNull();
  });
});
