// Two attached export folders with the same custom tail (/…/floor-x/exports/desk/data and
// /…/floor-y/exports/desk/data) both read "…/desk/data" on the board's Attached from
// column and in the open snapshot's header, the whole path only in the tooltip (known
// list, stop 46). Each now adds the nearest folder before that tells it apart
// (text/origin.ts), on the board and in the header alike, neither cut at 1440 or 1024 px.
// Real engines (two other desks' pipelines and stores, this desk's behind the browser
// host), headless Chromium.
import { mkdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanupDirs, ingestChain, tempDir, workstation } from '../analytics/helpers.ts';
import {
  cutOff,
  expectNoSerious,
  haveChromium,
  openDesk,
  poll,
  shot,
  SMALL,
  WIDE,
  type Desk,
} from './harness.ts';

let desk: Desk;
const folders: string[] = [];

describe.skipIf(!haveChromium)('two attached folders whose last folders are the same', () => {
  beforeAll(async () => {
    const root = tempDir('gex-labels-');
    for (const [floor, underlying, seed] of [
      ['floor-x', 'AMD', 1],
      ['floor-y', 'MSFT', 2],
    ] as const) {
      const ws = await workstation();
      await ingestChain(ws, underlying.toLowerCase(), {
        underlying,
        asOf: '2024-04-10T10:00:00-04:00',
        spot: 160 + seed,
        expiries: ['2024-04-19', '2024-05-17'],
        strikes: 9,
        seed,
      });
      await ws.store.close();
      const folder = join(root, floor, 'exports', 'desk', 'data');
      mkdirSync(join(folder, '..'), { recursive: true });
      renameSync(ws.dataDir, folder);
      folders.push(folder);
    }
    desk = await openDesk({ attach: folders });
  }, 120_000);
  afterAll(async () => {
    await desk?.close();
    cleanupDirs();
  }, 60_000);

  it('names each by the folder that tells them apart, on the board and in the open snapshot', async () => {
    const { page } = desk;
    await page.goto(`${desk.host.origin}/#/snapshots`);
    const board = page.getByTestId('levels-board');
    const origins = board.locator('.origin-attached');
    await poll(() => origins.allTextContents()).toEqual([
      '…/floor-x/…/desk/data',
      '…/floor-y/…/desk/data',
    ]);
    for (const [i, folder] of folders.entries())
      expect(await origins.nth(i).getAttribute('title')).toBe(
        `Read-only, from the attached export folder ${folder}`,
      );
    for (const size of [WIDE, SMALL]) {
      await page.setViewportSize(size);
      await poll(() => cutOff(page, '.levels-row .origin-attached')).toEqual([]);
      await expectNoSerious(page, `attached-labels: the board at ${size.width}`);
    }
    await page.setViewportSize(WIDE);
    await shot(page, 'attached-labels-board');

    // The open snapshot's header reads as its row does.
    await board.locator('[data-testid=levels-row][data-underlying=MSFT]').click();
    const origin = page.getByTestId('snapshot-origin');
    await poll(() => origin.textContent()).toBe('attached: …/floor-y/…/desk/data · read-only');
    expect(await origin.getAttribute('title')).toContain(folders[1]);
    for (const size of [WIDE, SMALL]) {
      await page.setViewportSize(size);
      await page.waitForTimeout(100);
      expect(await cutOff(page, '[data-testid=snapshot-origin]'), `at ${size.width}`).toEqual([]);
      await expectNoSerious(page, `attached-labels: the open snapshot at ${size.width}`);
    }
    await page.setViewportSize(WIDE);
    await shot(page, 'attached-labels-snapshot');
    expect(desk.problems).toEqual([]);
  });

  // QA sv F3: told apart among the folders the rows came from, floor-x's row read
  // "…/desk/data" while floor-y could not be read (right under the notice naming floor-y's
  // …/exports/desk/data), and "…/floor-x/…/desk/data" again once it could. Told apart among
  // every folder attached, one folder keeps one label.
  it('keeps each folder’s label while the other cannot be read', async () => {
    const { page } = desk;
    await page.goto(`${desk.host.origin}/#/snapshots`);
    const board = page.getByTestId('levels-board');
    const origins = board.locator('.origin-attached');
    await poll(() => origins.count()).toBe(2);
    await board.locator('[data-testid=levels-row][data-underlying=AMD]').click();
    const header = page.getByTestId('snapshot-origin');
    await poll(() => header.textContent()).toBe('attached: …/floor-x/…/desk/data · read-only');

    const away = `${folders[1]!}.away`;
    renameSync(folders[1]!, away);
    try {
      await poll(() => page.getByTestId('unread-folder').allTextContents()).toEqual([
        expect.stringContaining(folders[1]!),
      ]);
      await poll(() => origins.allTextContents()).toEqual(['…/floor-x/…/desk/data']);
      expect(await header.textContent()).toBe('attached: …/floor-x/…/desk/data · read-only');
      for (const size of [WIDE, SMALL]) {
        await page.setViewportSize(size);
        await page.waitForTimeout(100);
        expect(await cutOff(page, '.levels-row .origin-attached'), `at ${size.width}`).toEqual([]);
        await expectNoSerious(page, `attached-labels: floor-y unreadable at ${size.width}`);
      }
      await page.setViewportSize(WIDE);
      await shot(page, 'attached-labels-one-unreadable');
    } finally {
      renameSync(away, folders[1]!);
    }
    await poll(() => origins.allTextContents()).toEqual([
      '…/floor-x/…/desk/data',
      '…/floor-y/…/desk/data',
    ]);
    expect(await header.textContent()).toBe('attached: …/floor-x/…/desk/data · read-only');
    expect(desk.problems).toEqual([]);
  });
});
