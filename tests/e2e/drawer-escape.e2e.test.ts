// The job drawer closes on Escape wherever the focus is in the Queue view (QA qv F5), in
// real Chromium against the real engine and browser host: from the drawer, from the
// status bar (Tab takes the focus past the drawer), from the table after a click in it;
// the address back to the Queue and the focus on the row it was opened from. A dialog
// open above the drawer (the inbox's) takes the Escape itself: the drawer stays.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import {
  chainFile,
  expectNoSerious,
  goTo,
  haveChromium,
  jobRow,
  openDesk,
  poll,
  queueFile,
  shot,
  type Desk,
} from './harness.ts';

let desk: Desk;
let page: Page;

const focusedRowIndex = () =>
  page.evaluate(`document.activeElement?.dataset?.rowIndex ?? document.activeElement?.tagName`);

describe.skipIf(!haveChromium)('the job drawer’s Escape', () => {
  beforeAll(async () => {
    desk = await openDesk({ workers: 1 });
    page = desk.page;
    for (const [i, name] of ['esc-a.csv', 'esc-b.csv', 'esc-c.csv'].entries())
      await queueFile(desk, chainFile(desk.fixtures, name, 40 + i, { expiries: 1 }));
    await desk.te.engine.drain();
    await goTo(page, 'queue');
    await page.locator('[data-filter=all]').click();
    await jobRow(page, 'esc-c.csv').waitFor();
  }, 180_000);
  afterAll(async () => {
    await desk?.close();
  });

  const drawer = () => page.getByTestId('job-drawer');

  async function openFrom(name: string): Promise<string> {
    const row = jobRow(page, name);
    await row.focus();
    await page.keyboard.press('Enter');
    await drawer().waitFor();
    await poll(() => page.url()).toMatch(/#\/queue\/job\//);
    return (await row.getAttribute('data-row-index'))!;
  }

  async function escapeCloses(index: string) {
    await page.keyboard.press('Escape');
    await drawer().waitFor({ state: 'detached' });
    await poll(() => page.url()).toMatch(/#\/queue$/);
    await poll(focusedRowIndex).toBe(index);
  }

  it('closes from inside the drawer', async () => {
    const index = await openFrom('esc-b.csv');
    await escapeCloses(index);
  });

  it('closes with the focus past the drawer, in the status bar', async () => {
    const index = await openFrom('esc-a.csv');
    await page.getByTestId('status-inbox').focus();
    await shot(page, 'drawer-escape-statusbar');
    await expectNoSerious(page, 'queue: drawer open, focus in the status bar');
    await escapeCloses(index);
  });

  it('closes after a click in the table', async () => {
    const index = await openFrom('esc-c.csv');
    // The table's empty area below the rows: the focus on the table, not a row.
    const table = page.locator('[data-testid=jobs-body]');
    const box = (await table.boundingBox())!;
    await page.mouse.click(box.x + box.width / 2, box.y + box.height - 20);
    expect(await focusedRowIndex()).not.toBe(index);
    expect(await drawer().isVisible()).toBe(true);
    await escapeCloses(index);
  });

  it('leaves a dialog above the drawer its own Escape', async () => {
    const index = await openFrom('esc-b.csv');
    await page.getByTestId('status-inbox').click();
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    await shot(page, 'drawer-escape-dialog-above');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect(await drawer().isVisible()).toBe(true);
    expect(page.url()).toMatch(/#\/queue\/job\//);
    await escapeCloses(index);
    expect(desk.problems).toEqual([]);
  });
});
