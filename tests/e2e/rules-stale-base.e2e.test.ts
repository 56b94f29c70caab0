// A draft begun on a version that someone else replaced meanwhile (QA's repro: the analyst's
// Activate dialog open while `gex-desk rules activate B.json` lands) is never activated as
// it is: the dialog names the version activated since, who and why, shows its changes apart
// from the analyst's, keeps the plain Activate disabled, and carries the analyst's changes
// onto it (both kept) or, said as such, activates anyway. The draft's base survives a reload.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { openRules, setEditorText, staleTo } from './rule-editor.ts';
import { expectNoSerious, haveChromium, openDesk, poll, shot, type Desk } from './harness.ts';

let desk: Desk;
let page: Page;
let original: string;

const title = () => page.getByTestId('rules-title').textContent();
const check = () => page.getByTestId('rules-check').textContent();
const REAL_TIME = '"age_s": { "<": 5 }';
const FRESH = '"age_s": { "<": 300 }';

/** What `gex-desk rules activate FILE --author A --comment C` does on the running engine. */
async function activateElsewhere(text: string, author: string, comment: string): Promise<number> {
  const r = await desk.te.engine.handlers['rules:activate']({ text, author, comment });
  if (!r.ok) throw new Error(r.error.message);
  return r.value.version;
}

async function activeText(): Promise<string> {
  const a = await desk.te.engine.handlers['rules:active']({});
  if (!a.ok) throw new Error(a.error.message);
  return a.value.text;
}

describe.skipIf(!haveChromium)('a rule draft whose base was replaced meanwhile', () => {
  beforeAll(async () => {
    desk = await openDesk({ workers: 1 });
    page = desk.page;
    original = await activeText();
    expect(original).toContain(REAL_TIME);
    await openRules(page);
  }, 180_000);

  afterAll(async () => {
    await desk?.close();
  });

  it('names the version activated while the dialog was open, disables Activate, and carries both changes over', async () => {
    const mine = original.replace(REAL_TIME, '"age_s": { "<": 7 }');
    await setEditorText(page, mine);
    await poll(title).toMatch(/^Your draft/);
    await poll(check).toMatch(/^valid/);
    await page.getByRole('button', { name: 'Activate…' }).click();
    const dialog = page.getByTestId('confirm-change');
    await dialog.waitFor();
    await poll(() => dialog.getByTestId('diff-stats').textContent()).toBe('+1 line · −1 line');
    await dialog.getByLabel('Your name').fill('e2e analyst');
    await dialog.getByLabel('Why').fill('real-time is 7 s');
    const confirm = dialog.getByTestId('confirm-change-button');
    expect(await confirm.isDisabled()).toBe(false);

    // Meanwhile, from a shell: another line of version 1 changed, activated as version 2.
    expect(await activateElsewhere(staleTo(original, 'MEDIUM'), 'cli-bob', 'demote 2')).toBe(2);

    const stale = dialog.getByTestId('stale-base');
    await poll(() => stale.textContent()).toMatch(
      /^Your draft began on version 1\. Since then version 2 by cli-bob \(“demote 2”\) was activated\. Activating your draft as it is would undo its changes/,
    );
    expect(await confirm.isDisabled()).toBe(true);
    // Bob's line is his change, not the analyst's; the analyst's own change listed apart.
    const theirs = dialog.getByTestId('their-changes');
    expect(await theirs.locator('.diff-line.del').textContent()).toMatch(/"stale".*"LOW"/);
    expect(await theirs.locator('.diff-line.add').textContent()).toMatch(/"stale".*"MEDIUM"/);
    const yours = dialog.getByTestId('your-changes');
    expect(await yours.locator('.diff-line.del').textContent()).toContain(REAL_TIME);
    expect(await yours.locator('.diff-line.add').textContent()).toContain('"<": 7');
    expect(await yours.textContent()).not.toContain('MEDIUM');
    await shot(page, 'rules-activate-stale-base');
    await expectNoSerious(page, 'rules: activate dialog, draft behind');

    await dialog.getByTestId('carry-over').click();
    // Now the diff against version 2, the active one, is the analyst's change alone.
    await stale.waitFor({ state: 'detached' });
    await poll(() => dialog.getByTestId('diff-stats').textContent()).toBe('+1 line · −1 line');
    expect(await dialog.locator('.diff-line.del').textContent()).toContain(REAL_TIME);
    expect(await dialog.locator('.diff-line.add').textContent()).toContain('"<": 7');
    expect(await confirm.isDisabled()).toBe(false);
    await confirm.click();
    await dialog.waitFor({ state: 'detached' });
    await poll(() => page.getByTestId('activated-banner').textContent()).toBe(
      'Version 3 is now active.',
    );
    const now = await activeText();
    expect(now).toContain('"age_s": { "<": 7 }');
    expect(now).toBe(staleTo(original, 'MEDIUM').replace(REAL_TIME, '"age_s": { "<": 7 }'));
  });

  it('keeps the base with the draft across a reload; a conflicting change is only activated anyway, said as such', async () => {
    const v3 = await activeText();
    await setEditorText(page, v3.replace(FRESH, '"age_s": { "<": 240 }'));
    await poll(title).toMatch(/^Your draft/);
    await poll(check).toMatch(/^valid/);
    // Version 4 changes the same line, while the analyst is away.
    expect(await activateElsewhere(v3.replace(FRESH, '"age_s": { "<": 200 }'), 'cli-bob', '')).toBe(
      4,
    );
    await page.reload();
    await page.locator('.monaco-editor').waitFor();
    await poll(title).toMatch(/^Your draft/);
    await poll(check).toMatch(/^valid/);
    await page.getByRole('button', { name: 'Activate…' }).click();
    const dialog = page.getByTestId('confirm-change');
    await dialog.waitFor();
    await poll(() => dialog.getByTestId('stale-base').textContent()).toMatch(
      /^Your draft began on version 3\. Since then version 4 by cli-bob \(no comment\) was activated\./,
    );
    await poll(() => dialog.getByTestId('merge-state').textContent()).toMatch(
      /both change line \d+ of version 3: they cannot be carried over/,
    );
    expect(await dialog.getByTestId('carry-over').count()).toBe(0);
    const confirm = dialog.getByTestId('confirm-change-button');
    const anyway = dialog.getByTestId('activate-anyway');
    await dialog.getByLabel('Your name').fill('e2e analyst');
    await dialog.getByLabel('Why').fill('fresh is 240 s');
    expect(await confirm.isDisabled()).toBe(true);
    expect(await anyway.textContent()).toBe('Activate anyway, undoing v4’s changes');
    await anyway.click();
    await dialog.waitFor({ state: 'detached' });
    await poll(() => page.getByTestId('activated-banner').textContent()).toBe(
      'Version 5 is now active.',
    );
    expect(await activeText()).toContain('"age_s": { "<": 240 }');
    expect(desk.problems).toEqual([]);
  });
});
