// The Sources view's links open the Queue and the Audit trail on exactly that source, in
// real Chromium against the real engine (browser host). They put the source's id in the
// text filter before: vendor-01's failed count showed vendor-010's failures too (and a
// source named `csv` every file with csv in its name), and its "1 change ›" showed
// vendor-011's override. Now a chip (removable) filters by the source's id, and the Queue
// lists what `gex-desk jobs --source ID --status failed` lists. And after "Clear
// override" the focus lands on the row's Override…, not on the page's body. The tab and
// the kinds such a link opens are in the address with the source: a reload, Back/Forward
// and a bookmark keep them, and the link is one step for Back (it was two, and a reload
// showed the Active tab or every kind).
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { writeBadFiles } from '../fixtures/option-chains.ts';
import {
  chainFile,
  expectNoSerious,
  goTo,
  haveChromium,
  openDesk,
  poll,
  shot,
  type Desk,
} from './harness.ts';

let desk: Desk;
let page: Page;

async function submit(file: string, source: string): Promise<void> {
  const r = await desk.te.engine.handlers['ingest:submit']({ file, source });
  if (!r.ok) throw new Error(r.error.message);
}

async function setOverride(id: string, reliability: number, justification: string) {
  const r = await desk.te.engine.handlers['sources:set']({ id, reliability, justification });
  if (!r.ok) throw new Error(r.error.message);
}

/** What the command line lists: `gex-desk jobs --source ID --status failed`. */
async function failedOf(source: string): Promise<number> {
  const r = await desk.te.engine.handlers['jobs:list']({ source, status: 'failed', limit: 10_000 });
  if (!r.ok) throw new Error(r.error.message);
  return r.value.length;
}

const row = (id: string) => page.locator(`[data-testid=source-row][data-source="${id}"]`);
const focused = () =>
  page.evaluate(() => {
    const el = (globalThis as unknown as { document: { activeElement: unknown } }).document
      .activeElement as { getAttribute(n: string): string | null; tagName: string } | null;
    return el ? `${el.tagName}:${el.getAttribute('aria-label') ?? ''}` : null;
  });

describe.skipIf(!haveChromium)('sources: links by exactly that source', () => {
  beforeAll(async () => {
    desk = await openDesk({ workers: 1 });
    page = desk.page;
    const bad = writeBadFiles(join(desk.fixtures, 'bad'));
    const chain = (name: string, seed: number) =>
      chainFile(desk.fixtures, name, seed, { expiries: 1, strikesPerExpiry: 6 });
    await submit(chain('a.csv', 601), 'vendor-01');
    await submit(bad.badValue!.path, 'vendor-01');
    await submit(chain('b.csv', 602), 'vendor-010');
    await submit(bad.truncated!.path, 'vendor-010');
    await submit(bad.noRows!.path, 'vendor-011');
    await submit(chain('c.csv', 603), 'csv');
    await desk.te.engine.drain();
    await setOverride('vendor-01', 0.9, 'trusted feed');
    await setOverride('vendor-011', 0.5, 'shaky feed');
  }, 180_000);

  afterAll(async () => {
    await desk?.close();
  });

  it("opens the Queue's Failed tab on that source only, as a removable chip", async () => {
    expect(await failedOf('vendor-01')).toBe(1);
    await goTo(page, 'sources');
    await row('vendor-01')
      .getByRole('button', { name: /failed on their content/ })
      .click();
    await page.getByTestId('queue-view').waitFor();
    const chip = page.getByTestId('source-filter');
    expect(await chip.innerText()).toMatch(/^Source: vendor-01/);
    await poll(() => page.getByTestId('row-count').innerText()).toBe('1 job');
    expect(page.url()).toMatch(/#\/queue\?status=failed&source=vendor-01$/);
    expect(await page.getByRole('searchbox', { name: /Filter jobs/ }).inputValue()).toBe('');
    // Removed: every source's failures, the focus on the filter box.
    await chip.click();
    await poll(() => page.getByTestId('row-count').innerText()).toBe('3 jobs');
    expect(await focused()).toBe('INPUT:Filter jobs by file, underlying, source, rule or id');
    expect(page.url()).toMatch(/#\/queue$/);
  });

  it("opens the audit trail on that source's changes only", async () => {
    await goTo(page, 'sources');
    await row('vendor-01').getByTestId('source-audit').click();
    await page.getByTestId('audit-view').waitFor();
    expect(await page.getByTestId('source-filter').innerText()).toMatch(/^Source: vendor-01/);
    await poll(() => page.getByTestId('audit-count').innerText()).toBe('1 entry');
    await page.getByTestId('source-filter').click();
    await poll(() => page.getByTestId('audit-count').innerText()).toBe('2 entries');
  });

  type Win = { history: { length: number }; location: { hash: string } };
  const historyLength = () => page.evaluate(() => (globalThis as unknown as Win).history.length);
  const hash = () => page.evaluate(() => (globalThis as unknown as Win).location.hash);
  const pressed = (sel: string) => page.locator(sel).getAttribute('aria-pressed');

  it('keeps the Failed tab and the source through a reload, Back and Forward: one step', async () => {
    await goTo(page, 'sources');
    const before = await historyLength();
    await row('vendor-01')
      .getByRole('button', { name: /failed on their content/ })
      .click();
    await page.getByTestId('queue-view').waitFor();
    await poll(() => page.getByTestId('row-count').innerText()).toBe('1 job');
    expect(await hash()).toBe('#/queue?status=failed&source=vendor-01');
    expect(await historyLength()).toBe(before + 1);
    await shot(page, 'sources-link-queue');
    await expectNoSerious(page, 'sources link: queue');

    // Reload (and a bookmark: the same address opened anew).
    await page.reload();
    await page.getByTestId('queue-view').waitFor();
    await poll(() => page.getByTestId('row-count').innerText()).toBe('1 job');
    expect(await pressed('[data-filter=failed]')).toBe('true');
    expect(await page.getByTestId('source-filter').innerText()).toMatch(/^Source: vendor-01/);
    expect(await hash()).toBe('#/queue?status=failed&source=vendor-01');

    // Back goes straight to Sources; Forward comes back to the filtered Failed tab.
    await page.goBack();
    await page.getByTestId('sources-view').waitFor();
    expect(await hash()).toBe('#/sources');
    await page.goForward();
    await page.getByTestId('queue-view').waitFor();
    await poll(() => page.getByTestId('row-count').innerText()).toBe('1 job');
    expect(await pressed('[data-filter=failed]')).toBe('true');

    // Another tab is the analyst's move: in the address, a step for Back.
    await page.locator('[data-filter=all]').click();
    await poll(hash).toBe('#/queue?status=all&source=vendor-01');
    await poll(() => page.getByTestId('row-count').innerText()).toBe('2 jobs');
    await page.goBack();
    await poll(() => page.getByTestId('row-count').innerText()).toBe('1 job');
    expect(await pressed('[data-filter=failed]')).toBe('true');
  });

  it('keeps kind source and the source of the Audit link through a reload and Back', async () => {
    await goTo(page, 'sources');
    const before = await historyLength();
    await row('vendor-01').getByTestId('source-audit').click();
    await page.getByTestId('audit-view').waitFor();
    await poll(() => page.getByTestId('audit-count').innerText()).toBe('1 entry');
    expect(await hash()).toBe('#/audit?kind=source&source=vendor-01');
    expect(await historyLength()).toBe(before + 1);
    await shot(page, 'sources-link-audit');
    await expectNoSerious(page, 'sources link: audit');

    await page.reload();
    await page.getByTestId('audit-view').waitFor();
    await poll(() => page.getByTestId('audit-count').innerText()).toBe('1 entry');
    expect(await pressed('button[data-kind=source]')).toBe('true');

    await page.goBack();
    await page.getByTestId('sources-view').waitFor();
    expect(await hash()).toBe('#/sources');
    await page.goForward();
    await page.getByTestId('audit-view').waitFor();
    await poll(() => page.getByTestId('audit-count').innerText()).toBe('1 entry');
    expect(await hash()).toBe('#/audit?kind=source&source=vendor-01');
  });

  it("puts the focus on the row's Override… once its override is cleared", async () => {
    await goTo(page, 'sources');
    await row('vendor-011')
      .getByRole('button', { name: 'Clear the override of vendor-011' })
      .click();
    const dialog = page.getByTestId('override-dialog');
    await dialog.waitFor();
    await dialog.getByTestId('override-confirm').click();
    await dialog.waitFor({ state: 'detached' });
    await row('vendor-011')
      .getByRole('button', { name: 'Clear the override of vendor-011' })
      .waitFor({ state: 'detached' });
    await poll(focused).toBe('BUTTON:Override the reliability of vendor-011');
  });
});
