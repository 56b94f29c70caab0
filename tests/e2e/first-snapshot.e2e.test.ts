// A new desk, before its first snapshot: the History tab says there is none yet (it said
// "Loading…" for ever), and draws the first underlying's history when its first snapshot
// arrives, without a reload (the underlyings it offers were read once, when it opened);
// the rules' replay says there is nothing to replay yet; the history on screen, and
// Compare's choices, take in the underlying's next snapshots as they arrive. The levels
// board follows a burst a step at a time even when its levels call takes longer than the
// second between its reloads (each call was dropped at the next reload: it stayed empty
// until the burst was over).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  axe,
  chainFile,
  goTo,
  haveChromium,
  openDesk,
  poll,
  serious,
  shot,
  SMALL,
  WIDE,
  type Desk,
} from './harness.ts';

let desk: Desk;

describe.skipIf(!haveChromium)('a desk with no snapshot yet', () => {
  beforeAll(async () => {
    desk = await openDesk();
  }, 120_000);
  afterAll(async () => {
    await desk?.close();
  }, 60_000);

  it('History says there is none, then follows the first one as it arrives', async () => {
    const { page, te } = desk;
    await page.goto(`${desk.host.origin}/#/snapshots/history`);
    await poll(() => page.getByTestId('history-empty').textContent()).toMatch(
      /^No snapshots yet\. Drop option-chain files anywhere, or use “Open files…”/,
    );
    expect(await page.getByTestId('history-count').textContent()).toBe('');
    await shot(page, 'history-empty');
    for (const size of [WIDE, SMALL]) {
      await page.setViewportSize(size);
      expect(serious(await axe(page, 'history: no snapshot yet'))).toEqual([]);
    }
    await page.setViewportSize(WIDE);
    // The rules' replay has nothing to replay yet, and says so (it said "all 0 past requests").
    await goTo(page, 'rules');
    await page.getByRole('tab', { name: 'What would change' }).click();
    await poll(() => page.getByTestId('whatif-state').textContent()).toBe(
      'No request has been decided yet: there is nothing to replay.',
    );
    await page.goto(`${desk.host.origin}/#/snapshots/history`);
    await page.getByTestId('history-empty').waitFor();

    const file = chainFile(desk.fixtures, 'ndx.csv', 41, {
      underlying: 'NDX',
      spot: 16800,
      expiries: 2,
      strikesPerExpiry: 10,
    });
    const r = await te.engine.handlers['ingest:submit']({ file, source: 'desk' });
    expect(r.ok).toBe(true);
    await te.engine.drain();
    await poll(() => page.getByTestId('history-count').textContent()).toBe('1 snapshot');
    expect(await page.getByTestId('history-underlying').inputValue()).toBe('NDX');
    expect(await page.getByTestId('history-empty').count()).toBe(0);
    // The next one of NDX joins the history on screen (it was drawn once, when opened).
    const next = chainFile(desk.fixtures, 'ndx-2.csv', 42, {
      underlying: 'NDX',
      spot: 16850,
      asOf: '2024-01-08T11:30:00',
      expiries: 2,
      strikesPerExpiry: 10,
    });
    const again = await te.engine.handlers['ingest:submit']({ file: next, source: 'desk' });
    expect(again.ok).toBe(true);
    await te.engine.drain();
    await poll(() => page.getByTestId('history-count').textContent()).toBe('2 snapshots');
    // Compare offers a third as it arrives, the pair compared staying as chosen.
    await page.goto(`${desk.host.origin}/#/snapshots/compare`);
    const b = page.getByTestId('compare-b');
    await poll(() => b.locator('option').count()).toBe(2);
    const pair = [await page.getByTestId('compare-a').inputValue(), await b.inputValue()];
    const third = chainFile(desk.fixtures, 'ndx-3.csv', 43, {
      underlying: 'NDX',
      spot: 16900,
      asOf: '2024-01-08T12:30:00',
      expiries: 2,
      strikesPerExpiry: 10,
    });
    expect((await te.engine.handlers['ingest:submit']({ file: third, source: 'desk' })).ok).toBe(
      true,
    );
    await te.engine.drain();
    await poll(() => b.locator('option').count()).toBe(3);
    expect([await page.getByTestId('compare-a').inputValue(), await b.inputValue()]).toEqual(pair);
    expect(desk.problems).toEqual([]);
  });

  it('keeps the levels board live through a burst without a query per snapshot stored', async () => {
    const { page, te } = desk;
    // Counted from before the page loads: its first load (the levels and the sparklines'
    // histories) is one of the calls. Counted from after it, a loaded machine's first load
    // could come after the count began, on top of the burst's (41 for a bound of 40).
    const asked: Record<string, number> = {};
    const count = (r: { url(): string }) => {
      const name = /\/api\/call\/([^?]+)/.exec(r.url())?.[1];
      if (name) asked[name] = (asked[name] ?? 0) + 1;
    };
    page.on('request', count);
    const started = Date.now();
    await page.goto(`${desk.host.origin}/#/snapshots`);
    await page.getByTestId('levels-board').waitFor();
    // 30 snapshots of three underlyings, submitted at once (a burst).
    const files = Array.from({ length: 30 }, (_, i) =>
      chainFile(desk.fixtures, `burst-${i}.csv`, 500 + i, {
        underlying: ['AMD', 'IWM', 'QQQ'][i % 3],
        spot: 100 + i,
        expiries: 1,
        strikesPerExpiry: 6,
      }),
    );
    for (const file of files) {
      const r = await te.engine.handlers['ingest:submit']({ file, source: 'desk' });
      expect(r.ok).toBe(true);
    }
    await te.engine.drain();
    // The board ends with every underlying at its latest snapshot …
    const levels = await te.engine.handlers['snapshots:levels']({});
    if (!levels.ok) throw new Error(levels.error.message);
    const qqq = levels.value.rows.find((l) => l.underlying === 'QQQ')!;
    const figure = (v: number | null) =>
      v === null ? '—' : v.toLocaleString('en-US', { maximumFractionDigits: 2 });
    // A spot keeps its two decimals (128.00).
    const spotFigure = (v: number) =>
      v.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
    await poll(() =>
      page.locator('[data-testid=levels-row][data-underlying=QQQ]').textContent(),
    ).toMatch(new RegExp(`^QQQ${spotFigure(qqq.spot)}${figure(qqq.zero_gamma)}`));
    await poll(() => page.getByTestId('levels-row').count()).toBe(levels.value.rows.length);
    page.off('request', count);
    // … having asked for the levels when shown and then at most once a second, the first
    // arrival at once (and the sparklines' histories with them), not once per snapshot
    // stored (30, and 30 × 4 histories, before).
    const seconds = Math.ceil((Date.now() - started) / 1000);
    expect(asked['snapshots:levels']).toBeLessThanOrEqual(seconds + 2);
    expect(asked['snapshots:history'] ?? 0).toBeLessThanOrEqual(
      (seconds + 2) * levels.value.rows.length,
    );
    console.log(
      `[first-snapshot] 30 snapshots in ${seconds} s: snapshots:levels asked ${asked['snapshots:levels']} times, snapshots:history ${asked['snapshots:history'] ?? 0}`,
    );
  });

  it('shows a burst as it goes when the levels answer slower than the reloads come', async () => {
    const { page, te } = desk;
    await page.goto(`${desk.host.origin}/#/snapshots`);
    const known = await te.engine.handlers['snapshots:levels']({});
    if (!known.ok) throw new Error(known.error.message);
    const before = known.value.rows.length;
    const rows = page.getByTestId('levels-row');
    await poll(() => rows.count()).toBe(before);
    // Every levels answer 1.5 s late: slower than the board's reloads (one a second).
    await page.route('**/api/call/snapshots:levels', async (route) => {
      await new Promise((r) => setTimeout(r, 1500));
      await route.continue();
    });
    let inFlight = 0;
    let most = 0;
    const isLevels = (r: { url(): string }) => r.url().includes('/api/call/snapshots:levels');
    const start = (r: { url(): string }) => isLevels(r) && (most = Math.max(most, ++inFlight));
    const end = (r: { url(): string }) => isLevels(r) && inFlight--;
    page.on('request', start);
    page.on('requestfinished', end);
    page.on('requestfailed', end);
    // A burst of 16 new underlyings, one stored every 0.3 s or so: a reload each second.
    const BURST = 16;
    let shownDuring = 0;
    for (let i = 0; i < BURST; i++) {
      const file = chainFile(desk.fixtures, `slow-${i}.csv`, 700 + i, {
        underlying: `Z${String.fromCharCode(65 + i)}`,
        spot: 50 + i,
        expiries: 1,
        strikesPerExpiry: 6,
      });
      expect((await te.engine.handlers['ingest:submit']({ file, source: 'desk' })).ok).toBe(true);
      await te.engine.drain();
      await new Promise((r) => setTimeout(r, 300));
      shownDuring = Math.max(shownDuring, (await rows.count()) - before);
    }
    // Underlyings of the burst were on the board before it ended (none were: every answer
    // was dropped at the next reload), and all of them once it is over.
    expect(shownDuring).toBeGreaterThan(0);
    await poll(() => rows.count()).toBe(before + BURST);
    // Never two levels calls at once (each reload started one more beside the one in flight).
    expect(most).toBe(1);
    page.off('request', start);
    page.off('requestfinished', end);
    page.off('requestfailed', end);
    await page.unroute('**/api/call/snapshots:levels');
    console.log(`[first-snapshot] slow levels: ${shownDuring} of ${BURST} shown during the burst`);
    expect(desk.problems).toEqual([]);
  });
});
