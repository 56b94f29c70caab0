// A desk with hundreds of underlyings on the levels board. Its sparklines are read for
// the rows on screen, a few requests at a time, and again only for an underlying with a
// new snapshot. Before, the board asked for every underlying's history at once and again
// at every arrival: at 2,700 underlyings Chromium refused most of them
// (net::ERR_INSUFFICIENT_RESOURCES), rows kept "…" for good, and the view opened next
// waited seconds behind them. Audit, opened right after, said "No audit entries. 0
// entries" all that time; a view now says it loads until its first answer (Audit, All
// snapshots, the Queue), never that there is nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { chainFile, goTo, haveChromium, openDesk, poll, type Desk } from './harness.ts';

/** Underlyings copied from SPX's snapshots (real rows of the store), beside SPX. */
const COPIES = 300;
/** The most history requests the board may have in flight (SPARK_READS of use-sparklines.ts). */
const MAX_IN_FLIGHT = 4;

let desk: Desk;
let page: Page;

/** The page's `snapshots:history` requests: how many are in flight, the most ever, and for which underlyings. */
const history = { inFlight: 0, most: 0, asked: [] as string[] };
const isHistory = (r: { url(): string }) => r.url().includes('/api/call/snapshots:history');

// Browser-side: the board's rows whose sparkline cell is inside its scrolling box (the
// board takes the window's height, so a row may show only a sliver above the cell), and
// whether each has its sparkline.
const ON_SCREEN = `(() => {
  const box = document.querySelector('[data-testid=levels-board] .tscroll').getBoundingClientRect();
  return [...document.querySelectorAll('[data-testid=levels-row]')]
    .filter((row) => { const r = row.querySelector('.td-spark').getBoundingClientRect(); return r.bottom > box.top && r.top < box.bottom; })
    .map((row) => ({ underlying: row.dataset.underlying, drawn: !!row.querySelector('svg.spark') }));
})()`;
const onScreen = () =>
  page.evaluate(ON_SCREEN) as Promise<{ underlying: string; drawn: boolean }[]>;

// Browser-side: records every text the elements `selectors` find show, from now on
// (before the first render, when given to addInitScript), in window.__texts.
const RECORD_TEXTS = (selectors: string) => `(() => {
  const seen = (window.__texts = []);
  const record = () => {
    for (const el of document.querySelectorAll(${JSON.stringify(selectors)}))
      if (!seen.includes(el.textContent)) seen.push(el.textContent);
  };
  new MutationObserver(record).observe(document, { subtree: true, childList: true, characterData: true });
})()`;
const textsSeen = () => page.evaluate('window.__texts') as Promise<string[]>;

/** Waits until every row on screen has drawn its sparkline; returns those rows. */
async function allDrawn(): Promise<string[]> {
  await poll(async () =>
    (await onScreen()).filter((r) => !r.drawn).map((r) => r.underlying),
  ).toEqual([]);
  return (await onScreen()).map((r) => r.underlying);
}

const spxAs = (n: number, asOf: string) =>
  chainFile(desk.fixtures, `spx-${n}.csv`, 700 + n, {
    underlying: 'SPX',
    spot: 4700 + n * 10,
    asOf,
    expiries: 1,
    strikesPerExpiry: 6,
  });

describe.skipIf(!haveChromium)('a levels board of hundreds of underlyings', () => {
  beforeAll(async () => {
    desk = await openDesk();
    page = desk.page;
    for (const [n, asOf] of [
      [1, '2024-01-08T10:30:00'],
      [2, '2024-01-08T11:30:00'],
    ] as const) {
      const r = await desk.te.engine.handlers['ingest:submit']({
        file: spxAs(n, asOf),
        source: 'desk',
      });
      if (!r.ok) throw new Error(r.error.message);
    }
    await desk.te.engine.drain();
    // U001 … U300, each with SPX's two snapshots (copies of the stored rows).
    await desk.te.engine.store.run(
      `INSERT INTO gex_snapshots BY NAME SELECT s.* REPLACE (s.id || '-' || r.k AS id,
         'U' || lpad(r.k::VARCHAR, 3, '0') AS underlying, s.content_hash || '-' || r.k AS content_hash)
       FROM gex_snapshots s, range(1, ${COPIES + 1}) r(k)`,
    );
    page.on('request', (r) => {
      if (!isHistory(r)) return;
      history.inFlight++;
      history.most = Math.max(history.most, history.inFlight);
      history.asked.push(
        (JSON.parse(r.postData() ?? '{}') as { underlying?: string }).underlying ?? '',
      );
    });
    const ended = (r: { url(): string }) => {
      if (isHistory(r)) history.inFlight--;
    };
    page.on('requestfinished', ended);
    page.on('requestfailed', ended);
  }, 120_000);
  afterAll(async () => {
    await desk?.close();
  }, 60_000);

  it('reads the sparklines of the rows on screen, a few requests at a time', async () => {
    await page.goto(`${desk.host.origin}/#/snapshots`);
    await poll(() => page.getByTestId('levels-row').count()).toBe(COPIES + 1);
    const first = await allDrawn();
    expect(first.length).toBeGreaterThan(5);
    expect(history.most).toBeLessThanOrEqual(MAX_IN_FLIGHT);
    // Only rows that were on screen were asked for, not the other ~290.
    expect(new Set(history.asked).size).toBeLessThan(first.length + 10);
    // Scrolled to the end: the rows there get theirs, the ones passed over are not all read.
    await page.evaluate(
      `(() => { const s = document.querySelector('[data-testid=levels-board] .tscroll'); s.scrollTop = s.scrollHeight; })()`,
    );
    const last = await allDrawn();
    expect(last).toContain(`U${COPIES}`);
    expect(history.most).toBeLessThanOrEqual(MAX_IN_FLIGHT);
    expect(new Set(history.asked).size).toBeLessThan(first.length + last.length + 20);
    expect(
      await page
        .locator(`[data-testid=levels-row][data-underlying=U${COPIES}] svg.spark`)
        .getAttribute('aria-label'),
    ).toMatch(
      // Its figures and direction, for a screen reader (QA wb F1).
      new RegExp(
        `^Total GEX of U${COPIES}, \\$ per 1 % move: from -?[\\d.,]+ \\w+ to -?[\\d.,]+ \\w+ over 2 snapshots, ((up|down) [\\d.,]+ \\w+|unchanged)$`,
      ),
    );
  });

  it('reads again only the history of the underlying with a new snapshot', async () => {
    await page.evaluate(
      `(() => { document.querySelector('[data-testid=levels-board] .tscroll').scrollTop = 0; })()`,
    );
    const spark = page.locator('[data-testid=levels-row][data-underlying=SPX] svg.spark');
    await poll(() => spark.getAttribute('aria-label')).toMatch(
      /^Total GEX of SPX, .* over 2 snapshots, /,
    );
    await allDrawn();
    history.asked = [];
    const r = await desk.te.engine.handlers['ingest:submit']({
      file: spxAs(3, '2024-01-08T12:30:00'),
      source: 'desk',
    });
    expect(r.ok).toBe(true);
    await desk.te.engine.drain();
    await poll(() => spark.getAttribute('aria-label')).toMatch(
      /^Total GEX of SPX, .* over 3 snapshots, /,
    );
    // The board reloads its levels once a second at most: give a second load time to ask.
    await page.waitForTimeout(1500);
    expect([...new Set(history.asked)]).toEqual(['SPX']);
  });

  it('opens Audit right after the board saying it loads until its entries come, not that there are none', async () => {
    await goTo(page, 'snapshots');
    await page.getByTestId('levels-board').waitFor();
    await page.evaluate(RECORD_TEXTS('[data-testid=audit-view] .empty, [data-testid=audit-count]'));
    await goTo(page, 'audit');
    await poll(() => page.getByTestId('audit-count').textContent()).toMatch(/^\d+ entries$/);
    const seen = await textsSeen();
    expect(seen).toContain('Loading the audit trail…');
    expect(seen).not.toContain('No audit entries.');
    expect(seen).not.toContain('0 entries');
    expect(await page.locator('.audit-row').count()).toBeGreaterThan(0);
  });

  it('opens All snapshots with no count until its list and count come', async () => {
    await goTo(page, 'snapshots');
    await page.evaluate(
      RECORD_TEXTS('[data-testid=snapshots-view] .empty, [data-testid=snapshot-count]'),
    );
    await page.locator('[data-pane=list]').click();
    const all = `${(2 * COPIES + 3).toLocaleString('en-US')} snapshots`;
    await poll(() => page.getByTestId('snapshot-count').textContent()).toBe(all);
    // Not the count of the few the app heard of meanwhile, nor "none".
    expect((await textsSeen()).filter((t) => t !== '')).toEqual([all]);
  });

  it('opens the Queue on a reload saying it loads until its jobs come', async () => {
    await page.addInitScript(
      RECORD_TEXTS('[data-testid=queue-view] .empty, [data-filter=all] .count'),
    );
    await page.goto(`${desk.host.origin}/#/queue`);
    await page.reload();
    await page.locator('[data-filter=all]').click();
    await poll(() => page.getByTestId('row-count').textContent()).toBe('3 jobs');
    const seen = await textsSeen();
    expect(seen).toContain('Loading the jobs…');
    expect(seen.filter((t) => t.startsWith('No jobs yet'))).toEqual([]);
    // Nor counts of a list not read yet ("All 0").
    expect(seen).toContain('3');
    expect(seen).not.toContain('0');
    expect(desk.problems).toEqual([]);
  });
});
