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
import { cboeCsvText, makeChain } from '../fixtures/option-chains.ts';
import {
  cutOff,
  expectNoSerious,
  haveChromium,
  ingestText,
  openDesk,
  poll,
  shot,
  SMALL,
  WIDE,
  type Desk,
} from './harness.ts';

let desk: Desk;

/** Compare's selects whose chosen text is wider than their box (less the arrow's room). */
const CLIPPED_CHOICES = `[...document.querySelectorAll('.compare-view select')].filter((s) => {
  const ctx = document.createElement('canvas').getContext('2d');
  ctx.font = getComputedStyle(s).font;
  const text = s.options[s.selectedIndex]?.text ?? '';
  return ctx.measureText(text).width > s.clientWidth - 28;
}).map((s) => s.options[s.selectedIndex]?.text)`;
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

  // QA sv F5: Compare's choices and figures named no desk: "our 11:00" against floor-x's
  // 10:00 read as two times. Each now says where it comes from, as the board names it.
  it('says in Compare where each side comes from', async () => {
    const { page } = desk;
    const chain = makeChain({
      seed: 5,
      underlying: 'AMD',
      asOf: '2024-04-10T11:00:00',
      spot: 162,
      expiries: 2,
    });
    const own = await ingestText(desk, 'amd_own.csv', cboeCsvText(chain));
    await page.goto(`${desk.host.origin}/#/snapshots/compare/${own!}`);
    await page.getByTestId('chart-diff-gex').waitFor();
    const texts = (side: string) =>
      page.getByTestId(side).locator('option:not([disabled])').allTextContents();
    const choices = [
      '2024-04-10 10:00:00 UTC−4 · …/floor-x/…/desk/data',
      '2024-04-10 11:00:00 UTC−4 · this desk',
    ];
    await poll(() => texts('compare-a')).toEqual(choices);
    expect(await texts('compare-b')).toEqual(choices);
    expect(await page.getByTestId('compare-sides').textContent()).toBe(
      'A 2024-04-10 10:00:00 UTC−4 · …/floor-x/…/desk/data → B 2024-04-10 11:00:00 UTC−4 · this desk',
    );
    for (const size of [WIDE, SMALL]) {
      await page.setViewportSize(size);
      await page.waitForTimeout(100);
      expect(
        await cutOff(page, '.compare-view .toolbar, .compare-view .toolbar *, .compare-sides'),
        `at ${size.width}`,
      ).toEqual([]);
      // A select clips its chosen text with no overflow to see: measured in its own font.
      expect(await page.evaluate(CLIPPED_CHOICES), `at ${size.width}`).toEqual([]);
      await expectNoSerious(page, `attached-labels: Compare of two desks at ${size.width}`);
    }
    await page.setViewportSize(WIDE);
    await shot(page, 'attached-labels-compare');
    expect(desk.problems).toEqual([]);
  });
});
