// Two browser tabs on the Rules view share the stored draft (QA's repro: tab B's careful
// edit was silently overwritten by tab A's next keystroke). An idle tab takes the other's
// change as an undoable edit; a tab with edits of its own when the other's arrives keeps
// them, stops writing over the other's, says so, and the analyst takes theirs, keeps
// theirs out or merges both. Two pages of one browser profile (one localStorage).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import {
  activeRulesText,
  draftKeys,
  openRules,
  PASTE,
  setEditorText,
  STALE_ROW,
  staleTo,
} from './rule-editor.ts';
import {
  expectNoSerious,
  goTo,
  haveChromium,
  openDesk,
  poll,
  shot,
  until,
  type Desk,
} from './harness.ts';

let desk: Desk;
let a: Page;
let b: Page;
let original: string;

/** Where the draft of the desk's database is kept (set once the desk is open). */
let keys: { draft: string; unsaved: string };
const stored = (p: Page) =>
  p.evaluate(
    `JSON.parse(localStorage.getItem(${JSON.stringify(keys.draft)}) ?? '{}').text ?? null`,
  ) as Promise<string | null>;
const title = (p: Page) => p.getByTestId('rules-title').textContent();
/** The dry run's changed row: what G2 does with stale data in that tab's draft. */
const staleRow = (p: Page) => p.locator('.dry-run tr[data-changed=true]').first().textContent();

describe.skipIf(!haveChromium)('the rule draft in two tabs', () => {
  beforeAll(async () => {
    desk = await openDesk({ workers: 1 });
    a = desk.page;
    original = await activeRulesText(desk);
    keys = await draftKeys(desk);
    await openRules(a);
  }, 180_000);

  afterAll(async () => {
    await desk?.close();
  });

  it("QA's steps: B's edit arrives in the idle tab A (undoable), and A's next keystroke keeps it", async () => {
    await setEditorText(a, staleTo(original, 'MEDIUM'));
    await poll(() => title(a)).toMatch(/^Your draft/);
    await poll(() => staleRow(a)).toMatch(/stale.*LOW.*→.*MEDIUM/);
    await a.keyboard.press('Control+End');

    b = await desk.context.newPage();
    await b.goto(desk.host.url);
    await openRules(b);
    await poll(() => title(b)).toMatch(/^Your draft/);
    await b.getByTestId('draft-banner').waitFor();
    await setEditorText(b, staleTo(original, 'HIGH'));
    await poll(() => staleRow(b)).toMatch(/stale.*LOW.*→.*HIGH/);
    await b.close();

    // A, with no edit of its own since, shows B's draft.
    await poll(() => staleRow(a)).toMatch(/stale.*LOW.*→.*HIGH/);
    expect(await a.getByTestId('sync-conflict').count()).toBe(0);
    // One undoable edit: Ctrl+Z gives A's own text back (and stores it), Ctrl+Shift+Z B's again.
    await a.locator('.monaco-editor .view-lines').first().click();
    await a.keyboard.press('Control+End');
    await a.keyboard.press('Control+Z');
    await poll(() => stored(a)).toBe(staleTo(original, 'MEDIUM'));
    await a.keyboard.press('Control+Shift+Z');
    await poll(() => stored(a)).toBe(staleTo(original, 'HIGH'));
    // One character typed in A, and a reload: B's work is there, with it.
    await a.keyboard.press('Control+End');
    await a.keyboard.type(' ');
    await poll(() => stored(a)).toBe(staleTo(original, 'HIGH') + ' ');
    await a.reload();
    await openRules(a);
    await poll(() => staleRow(a)).toMatch(/stale.*LOW.*→.*HIGH/);
    expect(await stored(a)).toBe(staleTo(original, 'HIGH') + ' ');
  });

  it('both tabs edited at once: A says so, keeps its text, writes nothing over B’s, and merges both on request', async () => {
    const common = staleTo(original, 'HIGH') + ' ';
    const highRow = STALE_ROW.replace('"LOW"', '"HIGH"');
    const bText = common.replace(highRow, highRow.replace('"HIGH"', '"CRITICAL"'));
    b = await desk.context.newPage();
    await b.goto(desk.host.url);
    await openRules(b);
    await poll(() => staleRow(b)).toMatch(/→.*HIGH/);
    await a.locator('.monaco-editor .view-lines').first().click();
    await a.keyboard.press('Control+End');

    // A is busy (a long task, as a loaded machine makes one) while B's edit lands; A's own
    // keystroke (a paste of a space, which keeps the JSON valid) is handled at the end of that
    // task, and written there too, before A hears B's write: a draft is written once typing
    // pauses (then A would have heard B first, and written nothing), or at once as the window
    // is left (beforeunload here).
    // Busy longer each try until B's write landed while A was still busy.
    let raced = false;
    for (let busy = 3_000; !raced && busy <= 24_000; busy *= 2) {
      await a.evaluate(
        `setTimeout(() => { const t = Date.now() + ${busy}; while (Date.now() < t); (${PASTE})(' '); window.dispatchEvent(new Event('beforeunload')); window.__busyEnd = Date.now(); }, 0)`,
      );
      await setEditorText(b, bText);
      const wroteAt = (await b.evaluate('Date.now()')) as number;
      await until(
        () => a.evaluate('window.__busyEnd ?? 0'),
        (t) => t !== 0,
        'A’s long task',
      );
      raced = ((await a.evaluate('window.__busyEnd')) as number) > wroteAt;
      if (!raced) {
        // Not a race this time: start again from the common text in both tabs.
        await setEditorText(a, common);
        await poll(() => stored(b)).toBe(common);
        await a.evaluate('window.__busyEnd = 0');
      }
    }
    expect(raced).toBe(true);

    const notice = a.getByTestId('sync-conflict');
    await poll(() => notice.textContent()).toMatch(
      /^This draft was changed in another window \(\+2 lines · −2 lines against yours\)\. Your text here is kept and no longer saved over theirs until you choose: take theirs, keep yours, or merge both changes\./,
    );
    // Neither text is lost: both were written before either tab heard the other, A's last;
    // B heard it and says so too, keeping its own text.
    expect(await stored(a)).toBe(common + ' ');
    expect(await staleRow(a)).toMatch(/→.*HIGH/);
    await b.getByTestId('sync-conflict').waitFor();
    expect(await staleRow(b)).toMatch(/→.*CRITICAL/);
    // A's further typing is not saved over B's now that A knows of it.
    await a.evaluate(`(${PASTE})(' ')`);
    await poll(() => a.getByTestId('sync-conflict').textContent()).toMatch(/\(\+2 lines/);
    expect(await stored(a)).toBe(common + ' ');
    await shot(a, 'rules-draft-changed-elsewhere', notice);
    await expectNoSerious(a, 'rules: draft changed in another window');

    await notice.getByRole('button', { name: 'Merge both' }).click();
    await notice.waitFor({ state: 'detached' });
    const merged = bText + '  ';
    await poll(() => stored(a)).toBe(merged);
    await poll(() => staleRow(a)).toMatch(/→.*CRITICAL/);
    // B had edited too: it says so as well, and takes the merged text when asked.
    const inB = b.getByTestId('sync-conflict');
    await inB.waitFor();
    await inB.getByRole('button', { name: 'Take theirs' }).click();
    await inB.waitFor({ state: 'detached' });
    await b.locator('.monaco-editor .view-lines').first().click();
    await b.keyboard.press('Control+End');
    await b.keyboard.type(' ');
    await poll(() => stored(b)).toBe(merged + ' ');
    expect(desk.problems).toEqual([]);
  });

  // A tab closed before its analyst chose lost its text (the other tab's draft is what is
  // stored). Its text is now kept apart and the next tab on the Rules view offers the choice.
  it('a tab closed during a conflict: its text comes back in the next tab, with the same choice', async () => {
    const mine = (await stored(b))!;
    const theirs = staleTo(original, 'MEDIUM');
    // Another writer's draft, not built on B's last write: B, which has written, is in conflict.
    await a.evaluate(
      `localStorage.setItem(${JSON.stringify(keys.draft)}, JSON.stringify({ text: ${JSON.stringify(theirs)}, base: 1, saved_at: new Date().toISOString(), rev: 'r-elsewhere', parent: 'p-elsewhere' }))`,
    );
    await b.getByTestId('sync-conflict').waitFor();
    await b.close({ runBeforeUnload: true });
    expect(await stored(a)).toBe(theirs);

    const c = await desk.context.newPage();
    await c.goto(desk.host.url);
    await goTo(c, 'rules');
    const notice = c.getByTestId('sync-conflict');
    await poll(() => notice.textContent()).toMatch(
      /^Your unsaved text from a window closed at .+ is back: the draft had been changed in another window \(.+ against yours\)\. Nothing is saved over it until you choose/,
    );
    // Its text is in the editor; the stored draft is still the other one until the choice.
    await poll(() => staleRow(c)).toMatch(/→.*CRITICAL/);
    expect(await stored(c)).toBe(theirs);
    await shot(c, 'rules-draft-rescued', notice);
    await expectNoSerious(c, 'rules: a closed tab’s text back');
    await notice.getByRole('button', { name: 'Keep mine' }).click();
    await notice.waitFor({ state: 'detached' });
    await poll(() => stored(c)).toBe(mine);
    // Taken once: a further tab finds nothing to offer.
    expect(await c.evaluate(`localStorage.getItem(${JSON.stringify(keys.unsaved)})`)).toBeNull();
    await c.close();
    expect(desk.problems).toEqual([]);
  });
});
