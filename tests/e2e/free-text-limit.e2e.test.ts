// What the page shows of an upload's name and of the 2,000-character limit on a
// justification (QA day2 D7, D3). A file named `nvda` + U+202E + `vsc.exe` read
// "nvdaexe.csv" in the Submit dialog and the Submissions panel (their raw name), while every
// other place shows file names escaped; a justification past the limit was said only after
// the call, as "sources:set: justification: …", its field tag broken "justif / icatio / n".
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

let desk: Desk;
beforeAll(async () => {
  if (haveChromium) desk = await openDesk({ workers: 1 });
}, 120_000);
afterAll(() => desk?.close());

const RTL = 'nvda\u202evsc.exe';
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
    await dialog.getByRole('button', { name: 'Set override' }).click();
    const said = dialog.getByTestId('error-line');
    await said.waitFor();
    const where = said.locator('.error-where');
    expect(await where.textContent()).toBe('field Justification');
    const message = (await said.locator('.error-message').textContent()) ?? '';
    expect(message).toMatch(/^a justification has at most 2,000 characters \(this one has 2,561\)/);
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
    await shot(page, 'override-justification-too-long');
    await expectNoSerious(page, 'override dialog, justification too long');
    await why.fill('a feed outage');
    expect(await count.count()).toBe(0);
    expect(await why.getAttribute('aria-invalid')).toBe(null);
  });
});
