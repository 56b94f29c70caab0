// The Rules view's details in real Chromium against the real engine, on a history
// decided by an earlier version: What would change compares the draft with the active
// rules (not with past activations) and keeps its tab and open group across a trip to
// a request's trail; the dry run's form takes decimals as typed and says when a text is
// not a number; undo survives switching views; the confirmation says what is missing
// and does not offer a rollback that changes nothing; the focus lands in the editor
// after Discard and Activate. Screenshots at both sizes, axe-core on each new state.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import {
  activeRulesText,
  draftKeys,
  openRollback,
  openRules,
  setEditorText,
  staleTo,
} from './rule-editor.ts';
import {
  chainFile,
  goTo,
  haveChromium,
  openDesk,
  poll,
  shot,
  SMALL,
  WIDE,
  type Desk,
  expectNoSerious,
} from './harness.ts';

let desk: Desk;
let page: Page;
let original: string;
/** The stale files' names but their last characters: alike, as a vendor's exports are. */
const LONG_NAME = 'spx_quotedata_2026-12-06_desk-export-stale-';
/** The stale requests (decided LOW by G2 under version 1). */
const stale: string[] = [];

const title = () => page.getByTestId('rules-title').textContent();
const check = () => page.getByTestId('rules-check').textContent();
const focusInEditor = () =>
  page.evaluate('document.activeElement?.closest(".monaco-editor") != null');
/** The draft's whole text, as kept (the editor draws only the lines in sight). */
let draftKey = '';
const draftText = () =>
  page.evaluate(
    `JSON.parse(localStorage.getItem(${JSON.stringify(draftKey)}) ?? '{"text": ""}').text`,
  ) as Promise<string>;

// Browser-side: the parts of the What would change rows not wholly in sight: a name's end
// or the underlying cut by its cell or by the name's own box, the Trail button scrolled
// out of the panel or past the window.
const IN_SIGHT = `[...document.querySelectorAll('[data-testid=whatif-request]')].flatMap((row) => {
  const inside = (el, box) => {
    const r = el.getBoundingClientRect();
    const b = box.getBoundingClientRect();
    return r.width > 0 && r.left >= b.left - 0.5 && r.right <= b.right + 0.5 && r.right <= window.innerWidth;
  };
  const cell = row.querySelector('.file-cell');
  const tail = row.querySelector('.mid-tail');
  const parts = [
    [tail, cell], [tail, tail.closest('.mid-cut')], [row.querySelector('.underlying'), cell],
    [row.querySelector('button'), row.closest('.whatif-scroll')],
  ];
  return parts.filter(([el, box]) => !inside(el, box)).map(([el]) => el.className + ': ' + el.textContent);
})`;

/** The default rules with G2 sending stale data to `level`. */
const staleToLevel = (level: string): string => staleTo(original, level);

describe.skipIf(!haveChromium)('rules view details', () => {
  beforeAll(async () => {
    desk = await openDesk({ workers: 1 });
    page = desk.page;
    original = await activeRulesText(desk);
    draftKey = (await draftKeys(desk)).draft;
    // Three stale chains decided LOW by version 1, then a version that sends stale data to MEDIUM.
    for (let i = 0; i < 3; i++) {
      const file = chainFile(desk.fixtures, `${LONG_NAME}${i}.csv`, 400 + i, {
        expiries: 2,
        strikesPerExpiry: 8,
      });
      const r = await desk.te.engine.handlers['ingest:submit']({ file, source: 'desk' });
      if (!r.ok) throw new Error(r.error.message);
      stale.push(r.value.request_id);
    }
    await desk.te.engine.drain();
    const v2 = await desk.te.engine.handlers['rules:activate']({
      text: staleToLevel('MEDIUM'),
      author: 'e2e',
      comment: 'stale is MEDIUM',
    });
    if (!v2.ok) throw new Error(v2.error.message);
    await openRules(page);
  }, 180_000);

  afterAll(async () => {
    await desk?.close();
  });

  it('what would change: nothing without a draft, after a version that decided otherwise; a draft is compared with the active rules', async () => {
    expect(await title()).toMatch(/^Version 2active$/);
    await page.getByRole('tab', { name: 'What would change' }).click();
    await poll(() => page.getByTestId('whatif-state').textContent()).toBe(
      'Your draft decides all 3 past requests as the active rules do.',
    );
    expect(await page.getByTestId('whatif-group').count()).toBe(0);
    expect(await page.getByTestId('whatif-earlier').textContent()).toBe(
      'All 3 were decided by earlier versions; the levels they got then are not compared here.',
    );
    await shot(page, 'rules-whatif-no-draft');
    await expectNoSerious(page, 'rules: what would change, no draft');

    // A draft under which the stale files would be fresh: the level of those decided at
    // arrival (stale) would depend on the GEX change they were compared with then, which is
    // not kept — their files were read and stored (QA day F3: said "never read" before).
    // They are not counted as changed but said apart, with why (as `gex-desk rules whatif`).
    await setEditorText(
      page,
      staleToLevel('MEDIUM').replace('"age_s": { "<": 300 }', '"age_s": { "<": 1e9 }'),
    );
    await poll(title).toMatch(/^Your draft/);
    const apart =
      /^Your draft decides (\d) of 3 past requests otherwise; (\d) may change: they depend on gex_change, which is not kept for a request decided at its arrival \(its file was read and stored; the change it was compared with then is not\)\.$/;
    await poll(() => page.getByTestId('whatif-state').textContent()).toMatch(apart);
    const [, moved, open] = apart.exec((await page.getByTestId('whatif-state').textContent())!)!;
    expect(Number(moved) + Number(open)).toBe(3);
    expect(await page.getByTestId('whatif-state').textContent()).not.toContain('never read');
    const unknown = page.locator('[data-testid=whatif-group][data-to=UNKNOWN]');
    expect(await unknown.getByTestId('whatif-count').textContent()).toBe(
      `${open} request${open === '1' ? '' : 's'}`,
    );
    // Its reason counted on the group, and the side not known said in words, not drawn as a
    // level: no level's class, no tag, a dashed outline.
    expect(await unknown.getByTestId('whatif-why').textContent()).toBe(
      `${open} gex_change not kept`,
    );
    const notKnown = unknown.getByTestId('whatif-unknown');
    expect(await notKnown.textContent()).toBe('not known');
    expect(await notKnown.getAttribute('class')).toBe('whatif-unknown');
    expect(
      await page.evaluate(
        `getComputedStyle(document.querySelector('[data-to=UNKNOWN] [data-testid=whatif-unknown]')).borderStyle`,
      ),
    ).toBe('dashed');
    await unknown.getByRole('button', { expanded: false }).click();
    await poll(() => unknown.getByTestId('whatif-missing').allTextContents()).toEqual(
      Array.from({ length: Number(open) }, () => '(gex_change not kept)'),
    );
    await shot(page, 'rules-whatif-may-change');
    await expectNoSerious(page, 'rules: what would change, may change');
    await page.setViewportSize(SMALL);
    expect(await page.evaluate(IN_SIGHT)).toEqual([]);
    await shot(page, 'rules-whatif-may-change-1024');
    await page.setViewportSize(WIDE);
    await unknown.getByRole('button', { expanded: true }).click();

    // A draft sending stale data to HIGH moves them from the active rules' MEDIUM.
    await setEditorText(page, staleToLevel('HIGH'));
    await poll(title).toMatch(/^Your draft/);
    await poll(() => page.getByTestId('whatif-state').textContent()).toBe(
      'Your draft decides 3 of 3 past requests otherwise.',
    );
    const groups = page.getByTestId('whatif-group');
    expect(await groups.count()).toBe(1);
    expect(await groups.first().getAttribute('data-from')).toBe('MEDIUM');
    expect(await groups.first().getAttribute('data-to')).toBe('HIGH');
  });

  it('back from a request’s trail lands on What would change, its group still open', async () => {
    await page.getByRole('tab', { name: 'What would change' }).click();
    await poll(() => page.url()).toMatch(/#\/rules\/whatif$/);
    const group = page.getByTestId('whatif-group').first();
    await group.getByRole('button', { expanded: false }).click();
    const rows = page.getByTestId('whatif-request');
    await poll(() => rows.count()).toBe(3);
    // At 1024 px a file's name gives way in its middle: its end (which tells these files
    // apart), its underlying and the Trail button stay in sight; its title is the whole path.
    await page.setViewportSize(SMALL);
    await poll(() => rows.locator('.mid-tail').allTextContents()).toEqual(
      expect.arrayContaining(['-stale-0.csv', '-stale-1.csv', '-stale-2.csv']),
    );
    for (let i = 0; i < 3; i++) {
      const cell = rows.nth(i).locator('.file-cell');
      expect(await cell.getAttribute('title')).toMatch(new RegExp(`/${LONG_NAME}\\d\\.csv$`));
      // Read whole, once, by a screen reader.
      expect(await cell.locator('.sr-only').textContent()).toMatch(
        new RegExp(`^${LONG_NAME}\\d\\.csv$`),
      );
    }
    expect(await page.evaluate(IN_SIGHT)).toEqual([]);
    await page.setViewportSize(WIDE);
    await poll(() => page.evaluate(IN_SIGHT)).toEqual([]);
    await shot(page, 'rules-whatif-names', group);
    const id = await rows.first().getAttribute('data-request');
    await rows
      .first()
      .getByRole('button', { name: /^Audit trail of / })
      .click();
    await page.getByTestId('request-trail').waitFor();
    expect(page.url()).toContain(`#/audit/${id}`);
    await page.goBack();
    await page.getByTestId('rules-view').waitFor();
    await poll(() =>
      page.getByRole('tab', { name: 'What would change' }).getAttribute('aria-selected'),
    ).toBe('true');
    expect(
      await page
        .getByTestId('whatif-group')
        .first()
        .locator('.whatif-group-head')
        .getAttribute('aria-expanded'),
    ).toBe('true');
    await poll(() => rows.count()).toBe(3);
    // The dry run is back at #/rules.
    await page.getByRole('tab', { name: 'Dry run' }).click();
    await poll(() => page.url()).toMatch(/#\/rules$/);
  });

  it('takes the side tabs from the keyboard: one Tab stop, the arrows choose', async () => {
    await goTo(page, 'rules');
    const tab = (name: string | RegExp) => page.getByRole('tab', { name });
    await tab('Dry run').click();
    const focused = () => page.evaluate('document.activeElement?.textContent ?? ""');
    const tabbable = () =>
      page.evaluate(
        '[...document.querySelectorAll("[role=tab]")].filter((t) => t.tabIndex === 0).length',
      );
    const steps: [string, string | RegExp, RegExp][] = [
      ['ArrowRight', 'What would change', /#\/rules\/whatif$/],
      ['End', /^History/, /#\/rules\/history$/],
      ['ArrowRight', 'Dry run', /#\/rules$/],
      ['ArrowLeft', /^History/, /#\/rules\/history$/],
      ['Home', 'Dry run', /#\/rules$/],
    ];
    for (const [key, name, url] of steps) {
      await page.keyboard.press(key);
      await poll(() => tab(name).getAttribute('aria-selected')).toBe('true');
      expect(await focused()).toMatch(typeof name === 'string' ? name : /^History/);
      await poll(() => page.url()).toMatch(url);
      expect(await tabbable()).toBe(1);
      // The panel is labelled by the tab that shows it.
      expect(await page.getByRole('tabpanel').getAttribute('aria-labelledby')).toBe(
        await tab(name).getAttribute('id'),
      );
    }
    // Tab leaves the list for the panel's content.
    await page.keyboard.press('Tab');
    expect(await page.evaluate('document.activeElement?.getAttribute("role")')).not.toBe('tab');
    await expectNoSerious(page, 'rules side tabs');
  });

  it('undo in the draft still works after switching views', async () => {
    await page.locator('.monaco-editor .view-lines').first().click();
    await page.keyboard.press('Control+End');
    await page.keyboard.type('zzq');
    await poll(draftText).toContain('zzq');
    await goTo(page, 'queue');
    await goTo(page, 'rules');
    await poll(title).toMatch(/^Your draft/);
    expect(await draftText()).toContain('zzq');
    await page.locator('.monaco-editor .view-lines').first().click();
    await page.keyboard.press('Control+Z');
    await poll(draftText).not.toContain('zzq');
    expect(await draftText()).toBe(staleToLevel('HIGH'));
    await poll(check).toMatch(/^valid/);
  });

  it('the dry run’s form takes a decimal typed key by key, and says when a text is not a number', async () => {
    await page.getByRole('tab', { name: 'Dry run' }).click();
    await page.getByRole('button', { name: 'critical', exact: true }).click();
    const reliability = page.getByLabel('Source reliability');
    await reliability.fill('');
    await reliability.pressSequentially('0.6');
    expect(await reliability.inputValue()).toBe('0.6');
    // 0.6 < 0.8: G4 demotes the CRITICAL to HIGH, before and after.
    const row = page.locator('.dry-run tbody tr', { hasText: 'critical' });
    await poll(() => row.textContent()).toMatch(/^critical\s*HIGH\s*G4\s*HIGH\s*G4$/);
    const change = page.getByLabel('GEX change');
    await change.fill('');
    await change.pressSequentially('0.07');
    expect(await change.inputValue()).toBe('0.07');
    await poll(() => row.textContent()).not.toMatch(/HIGH\s*G4/);
    expect(await row.textContent()).not.toContain('INVALID');
    // The JSON has the numbers.
    await page.getByRole('button', { name: 'JSON Lines' }).click();
    expect((await page.locator('#facts-json').inputValue()).split('\n')[0]).toMatch(
      /"gex_change":0\.07.*"source_reliability":0\.6|"source_reliability":0\.6.*"gex_change":0\.07/,
    );
    await page.getByRole('button', { name: 'Form' }).click();
    // Text that is no number is said so, and left as typed.
    const volume = page.getByLabel('Volume');
    await volume.fill('8e');
    expect(await volume.inputValue()).toBe('8e');
    expect(await volume.getAttribute('aria-invalid')).toBe('true');
    await poll(() => page.locator('#fact-total_volume-error').textContent()).toBe(
      '“8e” is not a number.',
    );
    await shot(page, 'rules-facts-form-error');
    await expectNoSerious(page, 'rules: facts form with a field error');
    await volume.fill('80000');
    expect(await page.locator('#fact-total_volume-error').count()).toBe(0);
  });

  it('says what is missing before Activate, and the focus lands in the editor after it', async () => {
    await page.getByRole('button', { name: 'Activate…' }).click();
    const dialog = page.getByTestId('confirm-change');
    await dialog.waitFor();
    const confirm = dialog.getByTestId('confirm-change-button');
    const name = dialog.getByLabel('Your name');
    await name.fill('');
    await dialog.getByLabel('Why').fill('stale data is worth a HIGH');
    expect(await confirm.isDisabled()).toBe(true);
    expect(await dialog.locator('#change-author-hint').textContent()).toBe(
      'Your name is required: every rule change records its author.',
    );
    expect(await name.getAttribute('aria-invalid')).toBe('true');
    await shot(page, 'rules-activate-name-missing');
    await expectNoSerious(page, 'rules: activate dialog without a name');
    await name.fill('e2e analyst');
    expect(await dialog.locator('#change-author-hint').count()).toBe(0);
    expect(await confirm.isDisabled()).toBe(false);
    await confirm.click();
    await dialog.waitFor({ state: 'detached' });
    await poll(() => page.getByTestId('activated-banner').textContent()).toBe(
      'Version 3 is now active.',
    );
    await poll(focusInEditor).toBe(true);
  });

  it('the focus lands in the editor after Discard', async () => {
    await page.locator('.monaco-editor .view-lines').first().click();
    await page.keyboard.press('Control+End');
    await page.keyboard.type(' ');
    await poll(title).toMatch(/^Your draft/);
    await page.getByRole('button', { name: 'Discard draft…' }).click();
    const dialog = page.getByTestId('discard-dialog');
    await dialog.getByRole('button', { name: 'Discard', exact: true }).click();
    await dialog.waitFor({ state: 'detached' });
    await poll(title).toMatch(/^Version 3active$/);
    await poll(focusInEditor).toBe(true);
  });

  it('does not offer a rollback to the active text: it would change nothing', async () => {
    // Version 1's text (the defaults) becomes active again, as a new version, through the engine.
    const made = await desk.te.engine.handlers['rules:rollback']({ version: 1, author: 'e2e' });
    if (!made.ok) throw new Error(made.error.message);
    const n = made.value.version;
    await page.getByRole('tab', { name: /^History/ }).click();
    await poll(() => page.locator('.history > li').first().textContent()).toMatch(
      new RegExp(`^v${n}active`),
    );
    const dialog = await openRollback(page, 1, 'card');
    expect(await dialog.getByTestId('diff-stats').textContent()).toBe('no change');
    expect(await dialog.getByTestId('no-change').textContent()).toBe(
      `Version 1 has the text of active version ${n}: rolling back to it would change nothing.`,
    );
    await dialog.getByLabel('Your name').fill('e2e analyst');
    await dialog.getByLabel('Why').fill('again');
    expect(await dialog.getByTestId('confirm-change-button').isDisabled()).toBe(true);
    await shot(page, 'rules-rollback-no-change');
    await expectNoSerious(page, 'rules: rollback that changes nothing');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached' });
    const history = await desk.te.engine.handlers['rules:history']({});
    expect(history.ok && history.value.length).toBe(n);
    expect(desk.problems).toEqual([]);
  });
});
