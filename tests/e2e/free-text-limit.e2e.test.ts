// What the page shows of an upload's name and of the 2,000-character limit on a
// justification (QA day2 D7, D3). A file named `nvda` + U+202E + `vsc.exe` read
// "nvdaexe.csv" in the Submit dialog and the Submissions panel (their raw name), while every
// other place shows file names escaped; a justification past the limit was said only after
// the call, as "sources:set: justification: …", its field tag broken "justif / icatio / n".
// Past the limit (or blank where one is required) a text stops its form: the form's button
// is disabled, the field and the button say why, and Enter sends nothing; every audited form
// with a justification or comment alike (QA: the button stayed enabled, and pressing it
// only brought the engine's refusal).
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  chainFile,
  dropFile,
  expectNoSerious,
  goTo,
  haveChromium,
  openDesk,
  poll,
  shot,
  SMALL,
  submission,
  type Desk,
} from './harness.ts';
import { openRollback } from './rule-editor.ts';

let desk: Desk;
beforeAll(async () => {
  if (haveChromium) desk = await openDesk({ workers: 1 });
}, 120_000);
afterAll(() => desk?.close());

const RTL = 'nvda\u202evsc.exe';

/** What a screen reader is told, once, as a text passes the limit. */
const PAST = 'Past the limit of 2,000 characters: shorten the text to go on.';

/**
 * A text past the limit disables the form's button, said beside the field (its count) and
 * by the button (described by the count); Enter, in the field or in another, sends nothing;
 * back within the limit the button is enabled and nothing says otherwise.
 */
async function overLimitStops(
  page: Page,
  dialog: Locator,
  field: Locator,
  fieldId: string,
  button: Locator,
  within: string,
) {
  const status = dialog.getByTestId('text-limit-status');
  // There before it has anything to say, so that what it then says is read.
  expect(await status.getAttribute('role')).toBe('status');
  await field.fill('x'.repeat(2001));
  await poll(() => button.isDisabled()).toBe(true);
  expect(await dialog.getByTestId('text-count').textContent()).toBe(
    '2,001 / 2,000: at most 2,000 characters; shorten it by 1',
  );
  expect(await field.getAttribute('aria-invalid')).toBe('true');
  expect(await button.getAttribute('aria-describedby')).toContain(`${fieldId}-count`);
  // Said once as it passes the limit, not at each key: the count itself is not live.
  expect(await status.textContent()).toBe(PAST);
  expect(await dialog.getByTestId('text-count').getAttribute('aria-live')).toBe(null);
  await field.press('x');
  expect(await status.textContent()).toBe(PAST);
  // Enter sends nothing: in the field (a new line), nor in a one-line field of the form.
  await field.press('Enter');
  await dialog.locator('input[type=text], input:not([type])').first().press('Enter');
  await page.waitForTimeout(300);
  expect(await dialog.count()).toBe(1);
  expect(await dialog.getByTestId('error-line').count()).toBe(0);
  await field.fill(within);
  await poll(() => button.isDisabled()).toBe(false);
  expect(await field.getAttribute('aria-invalid')).toBe(null);
  expect(await button.getAttribute('aria-describedby')).toBe(null);
  expect(await status.textContent()).toBe('');
}
const SHOWN = 'nvda\\u202evsc.exe';

describe.skipIf(!haveChromium)('names and free-text limits as the page shows them', () => {
  it('shows an upload’s name escaped in the Submit dialog and the Submissions panel', async () => {
    const { page } = desk;
    const file = chainFile(desk.fixtures, 'rtl.csv', 61);
    await dropFile(page, file, RTL);
    const dialog = page.getByTestId('submit-dialog');
    await dialog.waitFor();
    expect(await dialog.locator('.file-name').textContent()).toBe(SHOWN);
    // A manual priority: its justification counts near the limit.
    await dialog.getByLabel('Priority').selectOption('HIGH');
    const why = dialog.getByLabel('Justification');
    await why.fill('x'.repeat(1700));
    expect(await dialog.getByTestId('text-count').textContent()).toBe('1,700 / 2,000');
    await why.fill('a reason');
    expect(await dialog.getByTestId('text-count').count()).toBe(0);
    await page.getByTestId('submit-files').click();
    await dialog.waitFor({ state: 'detached' });
    const row = submission(page, SHOWN);
    await row.waitFor();
    expect(await row.locator('.file-name').textContent()).toBe(SHOWN);
    expect(await row.locator('.file-name').getAttribute('title')).toBe(SHOWN);
    expect(await page.locator('[data-testid=submission] .file-name').allTextContents()).toEqual([
      SHOWN,
    ]);
    expect(desk.problems).toEqual([]);
  });

  it('counts a justification near its limit and says a refusal in the field’s own words', async () => {
    const { page, te } = desk;
    const r = await te.engine.handlers['ingest:submit']({
      file: chainFile(desk.fixtures, 'acme.csv', 62),
      source: 'acme',
    });
    expect(r.ok).toBe(true);
    await te.engine.drain();
    await page.setViewportSize(SMALL);
    await goTo(page, 'sources');
    const src = page.locator('[data-testid=source-row][data-source="acme"]');
    await src.waitFor();
    await src.getByRole('button', { name: 'Override the reliability of acme' }).click();
    const dialog = page.getByTestId('override-dialog');
    await dialog.waitFor();
    await dialog.getByLabel('Your name').fill('qa');
    const why = dialog.getByLabel('Justification');
    await why.fill('x'.repeat(2562));
    const count = dialog.getByTestId('text-count');
    // As the engine counts: trimmed, so a trailing space is not counted.
    await why.fill(`${'x'.repeat(2561)} `);
    await poll(() => count.textContent()).toBe(
      '2,561 / 2,000: at most 2,000 characters; shorten it by 561',
    );
    expect(await why.getAttribute('aria-invalid')).toBe('true');
    expect(await why.getAttribute('aria-describedby')).toContain('override-why-count');
    const button = dialog.getByRole('button', { name: 'Set override' });
    expect(await button.isDisabled()).toBe(true);
    await overLimitStops(page, dialog, why, 'override-why', button, 'a feed outage');
    // The engine's refusal is said in the field's own words: here, a name past its limit.
    await dialog.getByLabel('Your name').fill('q'.repeat(101));
    await button.click();
    const said = dialog.getByTestId('error-line');
    await said.waitFor();
    const where = said.locator('.error-where');
    expect(await where.textContent()).toBe('field Your name');
    const message = (await said.locator('.error-message').textContent()) ?? '';
    expect(message).toMatch(/^an author's name has at most 100 characters/);
    expect(message).not.toContain('sources:set');
    // The field tag on one line: not broken within its words in the dialog's narrow column.
    const lines = await where.evaluate((el) => {
      const e = el as unknown as {
        getBoundingClientRect(): { height: number };
        ownerDocument: { defaultView: { getComputedStyle(e: unknown): { lineHeight: string } } };
      };
      const lh = parseFloat(e.ownerDocument.defaultView.getComputedStyle(e).lineHeight) || 16;
      return Math.round(e.getBoundingClientRect().height / lh);
    });
    expect(lines).toBe(1);
    await why.fill(`${'x'.repeat(2561)} `);
    await shot(page, 'override-justification-too-long');
    await expectNoSerious(page, 'override dialog, justification too long');
    await why.fill('a feed outage');
    expect(await count.count()).toBe(0);
    expect(await why.getAttribute('aria-invalid')).toBe(null);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
  });

  it('stops the Submit dialog on a manual priority’s justification blank or past the limit', async () => {
    const { page } = desk;
    await dropFile(page, chainFile(desk.fixtures, 'long-why.csv', 63), 'long-why.csv');
    const dialog = page.getByTestId('submit-dialog');
    await dialog.waitFor();
    const button = page.getByTestId('submit-files');
    expect(await button.isDisabled()).toBe(false);
    await dialog.getByLabel('Priority').selectOption('HIGH');
    // Blank: rule G1 wants one, said beside it before anything is pressed.
    await poll(() => button.isDisabled()).toBe(true);
    const why = dialog.getByLabel('Justification');
    const hint = dialog.locator('#sub-justification-hint');
    expect(await hint.textContent()).toBe('A manual priority needs a justification (rule G1).');
    expect(await why.getAttribute('aria-invalid')).toBe('true');
    expect(await button.getAttribute('aria-describedby')).toBe('sub-justification-hint');
    await overLimitStops(page, dialog, why, 'sub-justification', button, 'earnings tonight');
    expect(await hint.count()).toBe(0);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
  });

  it('stops the removal of a snapshot on its justification blank or past the limit', async () => {
    const { page, te } = desk;
    const levels = await te.engine.handlers['snapshots:levels']({});
    if (!levels.ok) throw new Error(levels.error.message);
    const id = levels.value.rows[0]!.id;
    await page.evaluate(`location.hash = '#/snapshots/${id}'`);
    await page.getByTestId('snapshot-detail').waitFor();
    await page.getByTestId('remove-snapshot').click();
    const dialog = page.getByTestId('remove-snapshot-dialog');
    await dialog.waitFor();
    const button = dialog.getByTestId('remove-snapshot-confirm');
    expect(await button.isDisabled()).toBe(true);
    expect(await dialog.locator('#remove-why-hint').textContent()).toBe(
      'A justification is required.',
    );
    expect(await button.getAttribute('aria-describedby')).toBe('remove-why-hint');
    const why = dialog.getByLabel('Justification');
    await overLimitStops(page, dialog, why, 'remove-why', button, 'the wrong file');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect((await te.engine.handlers['snapshots:get']({ id })).ok).toBe(true);
  });

  it('stops a rule change on its comment past the limit', async () => {
    const { page, te } = desk;
    const text = await te.engine.handlers['rules:active']({});
    if (!text.ok) throw new Error(text.error.message);
    const v2 = await te.engine.handlers['rules:activate']({
      text: text.value.text.replace('"age_s": { "<": 5 }', '"age_s": { "<": 7 }'),
      author: 'ana',
      comment: 'real-time is 7 s',
    });
    expect(v2.ok).toBe(true);
    await goTo(page, 'rules');
    await poll(() => page.getByTestId('rules-title').textContent()).toMatch(/^Version 2active/);
    await page.getByRole('tab', { name: /^History/ }).click();
    const dialog = await openRollback(page, 1, 'viewing');
    await dialog.getByLabel('Your name').fill('alice');
    const button = dialog.getByTestId('confirm-change-button');
    const why = dialog.getByLabel('Why');
    await overLimitStops(page, dialog, why, 'change-comment', button, 'back to 5 s');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    const active = await te.engine.handlers['rules:active']({});
    expect(active.ok && active.value.version).toBe(2);
  });

  it('refuses a rule change’s comment that reads as nothing, and wraps a long one in the History (QA rv F1, F2)', async () => {
    const { page, te } = desk;
    const text = await te.engine.handlers['rules:active']({});
    if (!text.ok) throw new Error(text.error.message);
    // A reason holding a long URL: one unbroken word, wider than the History's card.
    const url = `https://wiki.example.com/desk/rules/${'fomc2026'.repeat(30)}?ticket=FOMC-2026-12`;
    const made = await te.engine.handlers['rules:activate']({
      text: text.value.text.replace(/"age_s": \{ "<": \d+ \}/, '"age_s": { "<": 9 }'),
      author: 'ana',
      comment: `see ${url}`,
    });
    if (!made.ok) throw new Error(made.error.message);
    const v = made.value.version;
    await page.setViewportSize(SMALL);
    await goTo(page, 'rules');
    await page.getByRole('tab', { name: /^History/ }).click();
    const history = page.locator('ol.history');
    await history.locator(`[data-version="${v}"] .comment`).waitFor();
    const widths = () =>
      history.evaluate((el) => {
        const e = el as unknown as { scrollWidth: number; clientWidth: number };
        return [e.scrollWidth, e.clientWidth];
      });
    const [scroll, client] = await widths();
    expect(scroll).toBe(client);
    expect(await history.locator(`[data-version="${v}"] .comment`).textContent()).toContain(
      '?ticket=FOMC-2026-12',
    );
    await shot(page, 'rules-history-long-comment-1024');
    // A comment that reads as nothing is no comment: the dialog's required one stops it.
    const dialog = await openRollback(page, 1, 'card');
    await dialog.getByLabel('Your name').fill('alice');
    const button = dialog.getByTestId('confirm-change-button');
    const why = dialog.getByLabel('Why');
    for (const blank of ['\u200b', '\u202e', '\u2800\u3164', ' \u200b\n\u3164 ']) {
      await why.fill(blank);
      await poll(() => button.isDisabled()).toBe(true);
      expect(await dialog.locator('#change-comment-hint').textContent()).toBe(
        'A comment is required.',
      );
      expect(await why.getAttribute('aria-invalid')).toBe('true');
      expect(await button.getAttribute('aria-describedby')).toBe('change-comment-hint');
      await why.press('Enter');
    }
    expect(await dialog.count()).toBe(1);
    // Visible text with a U+202E in it is a comment, as a justification is.
    await why.fill('back to 5 s \u202e');
    await poll(() => button.isDisabled()).toBe(false);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    const active = await te.engine.handlers['rules:active']({});
    expect(active.ok && active.value.version).toBe(v);
  });
});
