// The submit dialog holds and returns the keyboard's focus like every other dialog.
import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import {
  axe,
  chainFile,
  dropFile,
  haveChromium,
  openDesk,
  pauseQueue,
  serious,
  shot,
  until,
  type Desk,
} from './harness.ts';

let desk: Desk;
let page: Page;

/** What has the focus: its data-testid, else its tag. */
const focused = () =>
  page.evaluate(
    `(() => { const a = document.activeElement; return a ? (a.dataset.testid || a.tagName.toLowerCase()) : null; })()`,
  ) as Promise<string | null>;
const inDialog = () =>
  page.evaluate(
    `!!document.activeElement?.closest('[data-testid=submit-dialog]')`,
  ) as Promise<boolean>;

/** Chooses a file with "Open files…", as an analyst does. */
async function chooseFile(path: string): Promise<void> {
  const [chooser] = await Promise.all([
    page.waitForEvent('filechooser'),
    page.getByTestId('open-files').click(),
  ]);
  await chooser.setFiles(path);
  await page.getByTestId('submit-dialog').waitFor();
}

describe.skipIf(!haveChromium)('fit and focus', () => {
  beforeAll(async () => {
    desk = await openDesk({ workers: 1, watchInbox: true });
    page = desk.page;
    // A file dropped in the inbox that ends in failed/ (before the queue is paused).
    const junk = join(desk.fixtures, 'inbox-junk.csv');
    writeFileSync(junk, 'this is not,an option chain\nhello,world\n');
    copyFileSync(junk, join(desk.te.engine.config.inbox, 'inbox-junk.csv'));
    await until(
      () => page.getByTestId('status-inbox-failed').textContent(),
      (t) => t === '1',
      'the inbox file to end in failed/',
    );
  }, 180_000);

  afterAll(async () => {
    await desk?.close();
  });

  it('keeps Tab inside the submit dialog and gives the focus back to "Open files…"', async () => {
    const file = chainFile(desk.fixtures, 'focus-a.csv', 501, { expiries: 2, strikesPerExpiry: 8 });
    await pauseQueue(page);
    for (const close of ['Escape', 'Cancel', 'Submit'] as const) {
      await chooseFile(file);
      const dialog = page.getByTestId('submit-dialog');
      expect(await focused()).toBe('submit-files');
      // Forwards and backwards past both ends, the focus never leaves the dialog.
      for (let i = 0; i < 14; i++) {
        await page.keyboard.press('Tab');
        expect(await inDialog(), `Tab ${i + 1}`).toBe(true);
      }
      for (let i = 0; i < 14; i++) {
        await page.keyboard.press('Shift+Tab');
        expect(await inDialog(), `Shift+Tab ${i + 1}`).toBe(true);
      }
      if (close === 'Escape') await page.keyboard.press('Escape');
      else await dialog.getByRole('button', { name: close, exact: true }).click();
      await dialog.waitFor({ state: 'detached' });
      expect(await focused(), `after ${close}`).toBe('open-files');
    }
    // Dropped files have no opener: the focus goes to "Open files…", not the page's body.
    await dropFile(page, file, 'focus-b.csv');
    await page.getByTestId('submit-dialog').waitFor();
    await page.keyboard.press('Escape');
    await page.getByTestId('submit-dialog').waitFor({ state: 'detached' });
    expect(await focused()).toBe('open-files');

    await chooseFile(file);
    expect(serious(await axe(page, 'submit dialog'))).toEqual([]);
    await shot(page, 'submit-dialog-modal');
    await page.keyboard.press('Escape');
  });
});
