// A desk whose own store is empty, with another workstation's export folder attached:
// Compare opens on an attached underlying (it opened blank, its underlying already
// chosen); a file of the folder that cannot be read (a copy still arriving) is named by
// its whole path on every view that shows the error, wrapped at both window sizes (its
// base name, `<uuid>.parquet` in folders all called `data`, could not be found), and
// History and Compare say no "Loading…" beside it.
import { readdirSync, renameSync, writeFileSync } from 'node:fs';
import { join, sep } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanupDirs, ingestChain, workstation } from '../analytics/helpers.ts';
import type { GeneratedChain } from '../analytics/chains.ts';
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
let theirs: string;
const ids: Record<string, string> = {};

const chain = (underlying: string, asOf: string, seed: number): GeneratedChain => ({
  underlying,
  asOf,
  spot: underlying === 'AMD' ? 160 + seed : 420 + seed,
  expiries: ['2024-04-19', '2024-05-17'],
  strikes: 9,
  seed,
});

/** The export file of `id` in the folder's dataset `under` (its root: strikes; `snapshots`: rows). */
const exportFile = (id: string, under: 'strikes' | 'snapshots'): string =>
  readdirSync(theirs, { recursive: true, encoding: 'utf8' })
    .map((f) => join(theirs, f))
    .find(
      (f) =>
        f.endsWith(`${sep}${id}.parquet`) &&
        f.startsWith(join(theirs, under === 'strikes' ? 'underlying=' : 'snapshots')),
    )!;

/** The error line on screen names `file` whole (where, message, tooltip), and nothing runs off the window. */
async function namesWhole(page: Page, file: string, view: string, within: string): Promise<void> {
  const line = page.locator(within).getByTestId('error-line');
  await poll(() => line.locator('.error-where').textContent()).toBe(file);
  expect(await line.locator('.error-message').textContent()).toContain(`${file}, in an attached`);
  expect(await line.getAttribute('title')).toContain(`BAD_SHAPE: ${file}, in an attached`);
  for (const size of [WIDE, SMALL]) {
    await page.setViewportSize(size);
    await page.waitForTimeout(100);
    expect(
      await cutOff(page, '[data-testid=error-line], .error-where, .error-message'),
      `${view} at ${size.width}`,
    ).toEqual([]);
    await expectNoSerious(page, `attached: ${view} at ${size.width}`);
  }
  await page.setViewportSize(WIDE);
}

describe.skipIf(!haveChromium)('a desk with an attached export folder, its own store empty', () => {
  beforeAll(async () => {
    const ws = await workstation();
    for (const [key, underlying, asOf, seed] of [
      ['amd1', 'AMD', '2024-04-09T10:00:00-04:00', 1],
      ['amd2', 'AMD', '2024-04-10T10:00:00-04:00', 2],
      ['msft1', 'MSFT', '2024-04-09T10:00:00-04:00', 3],
      ['msft2', 'MSFT', '2024-04-10T10:00:00-04:00', 4],
    ] as const)
      ids[key] = (await ingestChain(ws, key, chain(underlying, asOf, seed))).id;
    await ws.store.close();
    // A folder's name with no place to break a line, as a long path may have.
    theirs = join(ws.dir, 'deskBexportsharedreadonlywiththetradingfloorcopiedovernight');
    renameSync(ws.dataDir, theirs);
    desk = await openDesk({ attach: [theirs] });
  }, 120_000);
  afterAll(async () => {
    await desk?.close();
    cleanupDirs();
  }, 60_000);

  it('Compare opens on the first underlying of the board, its latest snapshot against the one before', async () => {
    const { page } = desk;
    await page.goto(`${desk.host.origin}/#/snapshots/compare`);
    await poll(() => page.getByTestId('compare-b').inputValue()).toBe(ids.amd2);
    expect(await page.getByTestId('compare-a').inputValue()).toBe(ids.amd1);
    expect(await page.getByTestId('compare-underlying').inputValue()).toBe('AMD');
    await page.getByTestId('move-total').waitFor();
    expect(page.url()).toBe(`${desk.host.origin}/#/snapshots/compare/${ids.amd1}/${ids.amd2}`);
    await shot(page, 'attached-compare');
    await expectNoSerious(page, 'attached: compare opened on none');
  });

  it('names a file it cannot read by its whole path, wrapped, on the board, History, Compare and a snapshot', async () => {
    const { page } = desk;
    // A copy still arriving, in MSFT's latest date folder: every query over it fails.
    const copying = join(exportFile(ids.msft2!, 'snapshots'), '..', '0000copying.parquet');
    writeFileSync(copying, 'PAR1 partial');

    await page.goto(`${desk.host.origin}/#/snapshots`);
    await namesWhole(page, copying, 'levels board', '[data-testid=levels-board]');
    await shot(page, 'attached-unreadable-levels');

    await page.goto(`${desk.host.origin}/#/snapshots/history/MSFT`);
    await namesWhole(page, copying, 'history', '[data-testid=history-view]');
    await shot(page, 'attached-unreadable-history');

    await page.goto(`${desk.host.origin}/#/snapshots/compare/${ids.msft2}`);
    await namesWhole(page, copying, 'compare', '[data-testid=compare-view]');
    await shot(page, 'attached-unreadable-compare');

    // A snapshot whose strike file is damaged: the snapshot view names that file.
    const strikes = exportFile(ids.amd1!, 'strikes');
    writeFileSync(strikes, 'not parquet');
    await page.goto(`${desk.host.origin}/#/snapshots/${ids.amd1}`);
    await namesWhole(page, strikes, 'snapshot', '.snapshot-panel');
    await shot(page, 'attached-unreadable-snapshot');
  });

  it('says no "Loading…" beside that error, in History and Compare, an underlying named or not', async () => {
    const { page } = desk;
    const copying = join(exportFile(ids.msft2!, 'snapshots'), '..', '0000copying.parquet');
    await page.goto(`${desk.host.origin}/#/snapshots/history/MSFT`);
    await namesWhole(page, copying, 'history', '[data-testid=history-view]');
    expect(await page.getByTestId('history-count').textContent()).toBe('');
    await page.goto(`${desk.host.origin}/#/snapshots/compare/${ids.msft2}`);
    await namesWhole(page, copying, 'compare', '[data-testid=compare-view]');
    expect(await page.getByTestId('compare-underlying').inputValue()).toBe('MSFT');
    // None named: the board's error is why there is none (it said "Loading…" for good, and
    // Compare "No snapshots yet."). Loaded anew: the snapshots opened before would name one.
    for (const pane of ['history', 'compare']) {
      await page.goto('about:blank');
      await page.goto(`${desk.host.origin}/#/snapshots/${pane}`);
      await namesWhole(page, copying, `${pane}, none named`, `[data-testid=${pane}-view]`);
      expect(await page.locator(`[data-testid=${pane}-view]`).textContent()).not.toMatch(
        /Loading|No snapshots/,
      );
    }
  });
});
