// Two things QA found after months of use (15 underlyings, 1,313 snapshots):
// - The levels board kept its rows in a box of at most 40 % of the window even with
//   nothing open beneath it: at 1440×900 only 11 of 15 underlyings showed (SPX, SPY, TSLA,
//   XSP only by scrolling inside the table) over ~370 px of blank; now, with nothing open,
//   it takes the free height (all 15 at 1440×900; with 40, down to the window's bottom),
//   and above an open snapshot it keeps its few rows.
// - A comparison linked with the ids' first characters (`compare/aff20fb6/571d83ae`, as the
//   engine and the CLI take them) showed nothing and said nothing, both choices on the
//   first date; now the address is written with the full ids and the pair compared, and a
//   start that begins several ids, or none, is said in its side's choice.
// - History linked with a snapshot's first characters (`history/SPX/e335cddb`) wrote the
//   address as `history/SPX` and replayed the newest, saying nothing; now the address is
//   written with the whole id, in place (no step for Back), and that snapshot replayed; a
//   start that begins several ids, none, or one of another underlying is said on the page.
// Real engine behind the browser host, headless Chromium.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import {
  SMALL,
  WIDE,
  chainFile,
  expectNoSerious,
  haveChromium,
  openDesk,
  poll,
  shot,
  type Desk,
} from './harness.ts';

let desk: Desk;
let page: Page;
/** SPX's snapshots, oldest first (the ones ingested; the other underlyings are copies). */
let spx: string[] = [];

const TICKERS = ['AAPL', 'AMD', 'AMZN', 'GOOGL', 'IWM', 'META', 'MSFT', 'NDX', 'NVDA', 'QQQ'];
const MORE = ['RUT', 'SPY', 'TSLA', 'XSP'];

/** Copies SPX's snapshots under these underlyings (ids `c<k>-<SPX's id>`: one start per underlying). */
async function copyAs(underlyings: string[], from: number): Promise<void> {
  const values = underlyings.map((u, i) => `('${u}', ${from + i})`).join(', ');
  await desk.te.engine.store.run(
    `INSERT INTO gex_snapshots BY NAME SELECT s.* REPLACE (
       'c' || lpad(u.k::VARCHAR, 3, '0') || '-' || s.id AS id, u.name AS underlying,
       s.content_hash || '-' || u.k AS content_hash)
     FROM gex_snapshots s, (VALUES ${values}) u(name, k) WHERE s.underlying = 'SPX'`,
  );
}

// Browser-side: the board's box, its rows wholly on screen, whether its rows scroll inside,
// and the blank between the board's end and the view's.
const BOARD = `(() => {
  const view = document.querySelector('[data-testid=snapshots-view]');
  const board = document.querySelector('[data-testid=levels-board]').getBoundingClientRect();
  const scroller = document.querySelector('[data-testid=levels-board] .tscroll');
  const box = scroller.getBoundingClientRect();
  const rows = [...document.querySelectorAll('[data-testid=levels-row]')];
  const shown = rows.filter((r) => {
    const b = r.getBoundingClientRect();
    return b.top >= box.top - 0.5 && b.bottom <= box.bottom + 0.5 && b.bottom <= innerHeight;
  }).length;
  const pad = parseFloat(getComputedStyle(view).paddingBottom);
  return {
    rows: rows.length,
    shown,
    scrolls: scroller.scrollHeight > scroller.clientHeight + 1,
    viewScrolls: view.scrollHeight > view.clientHeight + 1,
    blankBelow: Math.round(view.getBoundingClientRect().bottom - pad - board.bottom),
    tableHeight: Math.round(box.height),
  };
})()`;
type Board = {
  rows: number;
  shown: number;
  scrolls: boolean;
  viewScrolls: boolean;
  blankBelow: number;
  tableHeight: number;
};
const board = () => page.evaluate(BOARD) as Promise<Board>;

/** Opens the board at a window size and waits for its `n` rows. */
async function boardAt(size: { width: number; height: number }, n: number): Promise<Board> {
  await page.setViewportSize(size);
  await page.goto(`${desk.host.origin}/#/snapshots`);
  // Read again (rows copied in the store send no event).
  await page.reload();
  await poll(() => page.getByTestId('levels-row').count()).toBe(n);
  // The layout after the rows came: measured until two reads agree.
  let last = await board();
  await poll(async () => {
    const now = await board();
    const same = JSON.stringify(now) === JSON.stringify(last);
    last = now;
    return same;
  }).toBe(true);
  return last;
}

describe.skipIf(!haveChromium)('the levels board and links to comparisons and History', () => {
  beforeAll(async () => {
    desk = await openDesk();
    page = desk.page;
    for (const [n, asOf] of [
      [1, '2024-11-27T15:30:00'],
      [2, '2024-11-29T10:00:00'],
      [3, '2024-11-29T15:45:00'],
    ] as const) {
      const file = chainFile(desk.fixtures, `spx-${n}.csv`, 900 + n, {
        underlying: 'SPX',
        spot: 5900 + n * 12,
        asOf,
        expiries: 2,
        strikesPerExpiry: 8,
      });
      const r = await desk.te.engine.handlers['ingest:submit']({ file, source: 'desk' });
      if (!r.ok) throw new Error(r.error.message);
    }
    await desk.te.engine.drain();
    const h = await desk.te.engine.handlers['snapshots:history']({ underlying: 'SPX' });
    if (!h.ok) throw new Error(h.error.message);
    spx = h.value.rows.map((r) => r.id);
    // 15 underlyings, as the QA's desk.
    await copyAs([...TICKERS, ...MORE], 1);
  }, 120_000);
  afterAll(async () => {
    await desk?.close();
  }, 60_000);

  it('shows all 15 underlyings with nothing open at 1440×900, and fills the free height at 1024×700', async () => {
    const wide = await boardAt(WIDE, 15);
    expect(wide).toMatchObject({ shown: 15, scrolls: false, viewScrolls: false });
    for (const u of MORE)
      await expect
        .soft(page.locator(`[data-testid=levels-row][data-underlying=${u}]`).isVisible())
        .resolves.toBe(true);
    await shot(page, 'board-15-underlyings');

    const small = await boardAt(SMALL, 15);
    expect(small.viewScrolls).toBe(false);
    // Every row when they fit; else the board reaches the view's bottom, no blank under it.
    if (small.scrolls) expect(small.blankBelow).toBeLessThanOrEqual(12);
    else expect(small.shown).toBe(15);
    // More rows than the old cap of 40 % of the window held (8 at 1024×700).
    expect(small.shown).toBeGreaterThan(10);
    await page.setViewportSize(WIDE);
    await expectNoSerious(page, 'board: 15 underlyings');
  });

  it('with 40 underlyings, takes the window down to its bottom at both sizes, the rest a scroll away', async () => {
    await copyAs(
      Array.from({ length: 25 }, (_, i) => `X${String(i + 1).padStart(2, '0')}`),
      100,
    );
    for (const size of [WIDE, SMALL]) {
      const b = await boardAt(size, 40);
      expect(b.scrolls).toBe(true);
      expect(b.viewScrolls).toBe(false);
      expect(b.blankBelow).toBeLessThanOrEqual(12);
      // About the window's height in rows (the app's header, the tabs and the hint above and below).
      expect(b.shown).toBeGreaterThanOrEqual(Math.floor((size.height - 260) / 30));
    }
    // The last row is a scroll away inside the board.
    await page.setViewportSize(WIDE);
    await page.evaluate(
      `(() => { const s = document.querySelector('[data-testid=levels-board] .tscroll'); s.scrollTop = s.scrollHeight; })()`,
    );
    await poll(() =>
      page.locator('[data-testid=levels-row][data-underlying=XSP]').isVisible(),
    ).toBe(true);
    await page.evaluate(
      `(() => { document.querySelector('[data-testid=levels-board] .tscroll').scrollTop = 0; })()`,
    );
    await shot(page, 'board-40-underlyings');
  });

  it('keeps a few rows above an open snapshot', async () => {
    await boardAt(WIDE, 40);
    await page.locator('[data-testid=levels-row][data-underlying=SPX]').click();
    await page.getByTestId('snapshot-detail').waitFor();
    for (const size of [WIDE, SMALL]) {
      await page.setViewportSize(size);
      await poll(async () => (await board()).tableHeight).toBeLessThanOrEqual(222);
      // The open snapshot's head is in the window, under the board.
      await poll(
        async () => (await page.getByTestId('snapshot-detail').boundingBox())?.y,
      ).toBeLessThan(size.height - 100);
    }
    await page.setViewportSize(WIDE);
    await shot(page, 'board-40-open-snapshot');
  });

  it('compares a pair linked with the first 8 characters of the ids, the address then in full', async () => {
    const [a, , b] = spx as [string, string, string];
    await page.goto(`${desk.host.origin}/#/snapshots/compare/${a.slice(0, 8)}/${b.slice(0, 8)}`);
    await page.getByTestId('chart-diff-gex').waitFor();
    await poll(() => page.url()).toBe(`${desk.host.origin}/#/snapshots/compare/${a}/${b}`);
    expect(await page.getByTestId('compare-a').inputValue()).toBe(a);
    expect(await page.getByTestId('compare-b').inputValue()).toBe(b);
    expect(await page.getByTestId('compare-underlying').inputValue()).toBe('SPX');
    await poll(() => page.getByTestId('move-total').isVisible()).toBe(true);
    expect(await page.getByTestId('compare-a').locator('option:checked').textContent()).toContain(
      '27',
    );
    expect(await page.getByTestId('compare-view').getByTestId('error-line').count()).toBe(0);
    await shot(page, 'compare-short-ids');
    await expectNoSerious(page, 'compare: short ids');
  });

  it('says which side names several snapshots, or none, and keeps the other chosen', async () => {
    const [a, , b] = spx as [string, string, string];
    const view = page.getByTestId('compare-view');
    // c001 begins the ids of AAPL's three copies: ambiguous. A, given short, is written in full.
    await page.goto(`${desk.host.origin}/#/snapshots/compare/${a.slice(0, 6)}/c001`);
    await poll(() => page.url()).toBe(`${desk.host.origin}/#/snapshots/compare/${a}/c001`);
    await poll(() => view.getByTestId('error-line').first().textContent()).toContain(
      'c001 begins the ids of 3 snapshots',
    );
    expect(await page.getByTestId('compare-a').inputValue()).toBe(a);
    await poll(() => page.getByTestId('compare-b').locator('option:checked').textContent()).toBe(
      'ambiguous: choose one',
    );
    await shot(page, 'compare-ambiguous-b');
    // Choosing a B compares A with it.
    await page.getByTestId('compare-b').selectOption(b);
    await page.getByTestId('chart-diff-gex').waitFor();
    expect(page.url()).toBe(`${desk.host.origin}/#/snapshots/compare/${a}/${b}`);
    await poll(() => view.getByTestId('error-line').count()).toBe(0);

    // A start no id begins: said in A's choice; B, short, is written in full and stays.
    await page.goto(`${desk.host.origin}/#/snapshots/compare/ffff9999/${b.slice(0, 8)}`);
    await poll(() => page.url()).toBe(`${desk.host.origin}/#/snapshots/compare/ffff9999/${b}`);
    await poll(() => view.getByTestId('error-line').first().textContent()).toContain(
      'There is no snapshot ffff9999',
    );
    expect(await page.getByTestId('compare-b').inputValue()).toBe(b);
    await poll(() => page.getByTestId('compare-a').locator('option:checked').textContent()).toBe(
      'unknown id: choose another',
    );
    await shot(page, 'compare-unknown-a');
    await expectNoSerious(page, 'compare: unknown A');
    expect(desk.problems).toEqual([]);
  });

  it('replays the snapshot a History link names by its first characters, the address then in full (in place)', async () => {
    const origin = desk.host.origin;
    const url = () => page.url();
    const at = () => page.getByTestId('history-at').textContent();
    const view = page.getByTestId('history-view');
    await page.goto(`${origin}/#/snapshots`);
    await page.getByTestId('levels-board').waitFor();
    const entries = await page.evaluate<number>('history.length');
    // The analyst follows a link (one step); its completion adds none.
    await page.evaluate(`location.hash = '#/snapshots/history/SPX/${spx[0]!.slice(0, 8)}'`);
    await poll(url).toBe(`${origin}/#/snapshots/history/SPX/${spx[0]}`);
    await poll(at).toMatch(/^1 \/ 3 · 2024-11-27 15:30/);
    expect(await view.getByTestId('error-line').count()).toBe(0);
    expect(await page.evaluate<number>('history.length')).toBe(entries + 1);
    await page.goBack();
    await poll(url).toBe(`${origin}/#/snapshots`);
    await page.getByTestId('levels-board').waitFor();
    await page.goForward();
    await poll(url).toBe(`${origin}/#/snapshots/history/SPX/${spx[0]}`);
    await poll(at).toMatch(/^1 \/ 3 /);

    // Four characters will do; and an underlying's copies, by the start of their own ids.
    await page.goto(`${origin}/#/snapshots/history/SPX/${spx[1]!.slice(0, 4)}`);
    await poll(url).toBe(`${origin}/#/snapshots/history/SPX/${spx[1]}`);
    await poll(at).toMatch(/^2 \/ 3 · 2024-11-29 10:00/);
    await page.goto(`${origin}/#/snapshots/history/AAPL/c001-${spx[0]!.slice(0, 4)}`);
    await poll(url).toBe(`${origin}/#/snapshots/history/AAPL/c001-${spx[0]}`);
    await poll(at).toMatch(/^1 \/ 3 /);
    await shot(page, 'history-short-id');
    await expectNoSerious(page, 'history: short id');
  });

  it('says in History when the link’s id begins several snapshots, none, or one of another underlying', async () => {
    const origin = desk.host.origin;
    const url = () => page.url();
    const view = page.getByTestId('history-view');
    const said = () => view.getByTestId('error-line').first().textContent();
    // c001 begins the ids of AAPL's three copies.
    await page.goto(`${origin}/#/snapshots/history/AAPL/c001`);
    await poll(said).toContain('c001 begins the ids of 3 snapshots');
    expect(url()).toBe(`${origin}/#/snapshots/history/AAPL/c001`);
    await shot(page, 'history-ambiguous-id');
    // None.
    await page.goto(`${origin}/#/snapshots/history/SPX/ffff9999`);
    await poll(said).toContain('There is no snapshot ffff9999');
    expect(url()).toBe(`${origin}/#/snapshots/history/SPX/ffff9999`);
    // One of SPX's, under AAPL's history.
    await page.goto(`${origin}/#/snapshots/history/AAPL/${spx[2]!.slice(0, 8)}`);
    await poll(said).toContain(`${spx[2]!.slice(0, 8)} is a snapshot of SPX, not of AAPL`);
    expect(url()).toBe(`${origin}/#/snapshots/history/AAPL/${spx[2]!.slice(0, 8)}`);
    await shot(page, 'history-other-underlying');
    await expectNoSerious(page, 'history: another underlying');
    // On to the snapshot it names, in its own underlying's History (a step for Back).
    await page.getByTestId('history-elsewhere').click();
    await poll(url).toBe(`${origin}/#/snapshots/history/SPX/${spx[2]}`);
    await poll(() => page.getByTestId('history-at').textContent()).toMatch(/^3 \/ 3 /);
    await poll(() => view.getByTestId('error-line').count()).toBe(0);
    await page.goBack();
    await poll(said).toContain('is a snapshot of SPX');
    // Moving the slider chooses one (in place): the message goes.
    await page.getByTestId('history-slider').focus();
    await page.keyboard.press('Home');
    await poll(url).toBe(`${origin}/#/snapshots/history/AAPL/c001-${spx[0]}`);
    await poll(() => view.getByTestId('error-line').count()).toBe(0);
    expect(desk.problems).toEqual([]);
  });
});
