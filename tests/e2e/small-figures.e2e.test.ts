// Figures of small and sub-dollar underlyings, as QA found them in the browser host: a
// snapshot whose call GEX is +$7.94 read "0.00 M" beside a put GEX of "-0.000029 M", its
// bucket table "Weekly 0.00", a strike chart's readout "Net GEX 0.00 M" for +$0.47, and
// the levels board "0.00" beside SPX for a total that is not 0. A view of small figures
// now reads in whole dollars (shared/gex-scale.ts, as the command line's columns), and no
// non-zero figure reads 0. A strike chart whose window around spot holds no strike (a
// chain whose strikes are 40 % of spot apart) drew its neighbours' bars clipped to the
// window, as if their strikes were in it: it says so now, and offers a wider window. A
// failed row's line and field showed at 1024 px only past a long message, cut off.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  chainFile,
  cutOff,
  expectNoSerious,
  goTo,
  haveChromium,
  ingestText,
  openDesk,
  poll,
  shot,
  SMALL,
  submission,
  submitFile,
  WIDE,
  type Desk,
} from './harness.ts';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';

let desk: Desk;
const HEAD = 'underlying,as_of,spot,expiry,strike,option_type,open_interest,volume,iv,gamma';
const AS_OF = '2026-03-20T10:30:00-04:00';

/** Submits a file and waits for its job to end; the snapshot's id, or null when it failed. */
const ingest = (name: string, text: string) => ingestText(desk, name, text);

let small: string;
let tiny: string;

describe.skipIf(!haveChromium)('figures of small underlyings', () => {
  beforeAll(async () => {
    desk = await openDesk();
    small = (await ingest(
      'small.csv',
      [
        HEAD,
        `SMALL,${AS_OF},0.0125,2026-03-27,0.0125,C,1000,1,0.8,50.8`,
        `SMALL,${AS_OF},0.0125,2026-04-17,0.0125,P,1000,1,0.8,184.5`,
      ].join('\n') + '\n',
    ))!;
    // Strikes 40 % of spot apart: spot ± 10 % holds none of them.
    tiny = (await ingest(
      'tiny.csv',
      [
        HEAD,
        ...[0.005, 0.01, 0.015, 0.02].map(
          (k, i) => `TINY,${AS_OF},0.0125,2026-03-27,${k},C,${1000 * (i + 1)},1,0.8,${40 + i * 5}`,
        ),
        `TINY,${AS_OF},0.0125,2026-03-27,0.01,P,800,1,0.8,60`,
      ].join('\n') + '\n',
    ))!;
    expect(small && tiny).toBeTruthy();
  }, 180_000);
  afterAll(async () => {
    await desk?.close();
  }, 60_000);

  it('reads a sub-dollar snapshot in whole dollars, never 0.00 M', async () => {
    const { page } = desk;
    await page.goto(`${desk.host.origin}/#/snapshots/${small}`);
    const figure = (label: string) =>
      page
        .getByTestId('snapshot-detail')
        .locator('.kf', { has: page.locator('.kf-label', { hasText: new RegExp(`^${label}$`) }) })
        .locator('.kf-value');
    // ingest: call +7.94, put -28.83 (weekly +7.9375, monthly -28.83).
    // Two significant digits at least, as every figure (shared/gex-scale.ts): 7.9, not 8.
    await poll(() => figure('Call GEX').textContent()).toBe('7.9 USD');
    expect(await figure('Put GEX').textContent()).toBe('-29 USD');
    expect(await figure('Total GEX').textContent()).toBe('-21 USD');
    const buckets = page.getByTestId('bucket-walls');
    expect(await buckets.locator('thead').textContent()).toContain('Net GEX, USD');
    const net = (bucket: string) => buckets.locator(`tr[data-bucket=${bucket}] td`).first();
    expect(await net('weekly').textContent()).toBe('7.9');
    expect(await net('monthly').textContent()).toBe('-29');
    expect(await page.locator('.unit-note').textContent()).toContain('in dollars');
    await shot(page, 'small-snapshot', page.getByTestId('snapshot-detail'));
    await expectNoSerious(page, 'small snapshot in whole dollars');
  });

  it('says no strike is in the window, offers a wider one, and reads out cents', async () => {
    const { page } = desk;
    await page.goto(`${desk.host.origin}/#/snapshots/${tiny}`);
    const empty = page.getByTestId('strike-window-empty');
    await poll(() => empty.textContent()).toMatch(
      /^No strike in the window spot ± 10 % \(0\.01125 to 0\.01375, spot 0\.0125\)\. Nearest strikes: 0\.01 below, 0\.015 above\./,
    );
    // No chart of clipped neighbours' bars in its place.
    expect(await page.getByTestId('chart-strikes').count()).toBe(0);
    await shot(page, 'small-strike-window-empty', empty);
    await expectNoSerious(page, 'strike chart: no strike in the window');

    const widen = page.getByTestId('strike-window-widen');
    expect(await widen.textContent()).toBe('Show spot ± 25 %');
    await widen.click();
    expect(await page.getByTestId('strike-window').inputValue()).toBe('0.25');
    const chart = page.getByTestId('chart-strikes');
    await chart.locator('canvas').focus();
    await page.keyboard.press('Home');
    const readout = page.getByTestId('chart-strikes-readout');
    // Every figure of the chart is under 1 M: whole dollars, the readout three significant
    // digits and the unit; none reads 0.
    await poll(() => readout.textContent()).toMatch(/^Strike 0\.01: Net GEX /);
    const seen: string[] = [];
    for (const strike of ['0.01', '0.015', '0.02']) {
      if (seen.length > 0) {
        await page.keyboard.press('ArrowRight');
        await poll(() => readout.textContent()).not.toBe(seen.at(-1));
      }
      const text = (await readout.textContent())!;
      seen.push(text);
      expect(text).toMatch(
        new RegExp(
          `^Strike ${strike.replace('.', '\\.')}: Net GEX -?\\d[\\d,]*\\.?\\d* \\$ per 1 % move$`,
        ),
      );
      expect(text).not.toMatch(/Net GEX -?0(\.0+)? /);
    }
    await shot(page, 'small-strike-window-wider', chart);
  });

  it('writes a submission’s total as the levels board does, in the board’s scale', async () => {
    const { page, te } = desk;
    // Call GEX 1.2 Bn, put GEX -1.18 Bn: a total of 15.50 M. The live region said it in
    // the snapshot's own scale, from its call and put too, "0.02 Bn", beside "15.50" on
    // the board in millions.
    const file = join(desk.fixtures, 'mid.csv');
    writeFileSync(
      file,
      [
        HEAD,
        `MID,${AS_OF},5000,2026-04-17,5000,C,4800,1,0.2,0.01`,
        `MID,${AS_OF},5000,2026-04-17,5000,P,4738,1,0.2,0.01`,
      ].join('\n') + '\n',
    );
    await submitFile(page, file, 'mid.csv');
    const row = submission(page, 'mid.csv');
    await poll(() => row.getAttribute('data-status')).toBe('completed');
    const snaps = await te.engine.handlers['snapshots:list']({ underlying: 'MID', limit: 1 });
    if (!snaps.ok) throw new Error(snaps.error.message);
    const snap = snaps.value[0]!;
    expect(snap.call_gex).toBeGreaterThanOrEqual(1e9);
    expect(Math.abs(snap.total_gex)).toBeLessThan(1e9);
    const line = row.getByTestId('submission-figures').locator('b').first();
    await poll(() => line.textContent()).toMatch(/\d/);
    const said = (await line.textContent())!;
    expect(said).toMatch(/^\d+\.\d\d M$/);
    await poll(() => page.getByTestId('announcer').innerText()).toContain(
      `mid.csv: completed, level LOW, MID total GEX ${said}.`,
    );
    // The board, with SMALL's and TINY's whole dollars beside it, writes it alike.
    await goTo(page, 'snapshots');
    await poll(() => boardTotal(page, 'MID')).toBe(said);
  });

  it('the levels board writes small totals beside a large one without a 0', async () => {
    const { page, te } = desk;
    const big = chainFile(desk.fixtures, 'spx.csv', 7, {
      underlying: 'SPX',
      spot: 5000,
      expiries: 2,
      strikesPerExpiry: 10,
    });
    expect((await te.engine.handlers['ingest:submit']({ file: big, source: 'desk' })).ok).toBe(
      true,
    );
    await te.engine.drain();
    await goTo(page, 'snapshots');
    const total = (u: string) =>
      page.locator(`[data-testid=levels-row][data-underlying=${u}] [data-testid=levels-total]`);
    await poll(() => total('SPX').textContent()).toMatch(/\d/);
    const header = (
      await page.getByTestId('levels-board').locator('.th-label').allTextContents()
    ).join(' | ');
    const unit = /Total GEX, (Bn|M|USD)/.exec(header ?? '')?.[1];
    expect(unit).toBeDefined();
    expect(unit).toBe('Bn');
    // SMALL's -$20.89 in the column of SPX's billions read "-0.00" (QA day F2: -$432,946
    // too): too small for the column's six decimals, it is written in its own scale, named,
    // its exact figure in the tooltip and in the row's text (a screen reader, the keyboard).
    expect(await total('SMALL').textContent()).toBe('-21 USD');
    expect(await total('SMALL').getAttribute('title')).toBe('-$20.89 per 1 % move');
    const smallRow = page.locator('[data-testid=levels-row][data-underlying=SMALL]');
    expect(await smallRow.locator('.sr-only').allTextContents()).toContain('-$20.89 per 1 % move');
    expect(await total('TINY').textContent()).toMatch(/^7\d USD$/);
    expect(await total('TINY').getAttribute('title')).toMatch(/^\$7\d\.\d\d per 1 % move$/);
    // MID's 15.50 M in billions keeps two significant digits (it read "0.02", 29 % high),
    // and its submission's line and the live region read it alike.
    const mid = (await total('MID').textContent())!;
    expect(mid).toMatch(/^0\.01[56]$/);
    expect(await total('MID').getAttribute('title')).toMatch(
      /^\$15,\d{3},\d{3}\.\d\d per 1 % move$/,
    );
    const line = submission(page, 'mid.csv').getByTestId('submission-figures').locator('b');
    await poll(() => line.first().textContent()).toBe(`${mid} Bn`);
    expect(await boardTotal(page, 'MID')).toBe(`${mid} Bn`);
    expect(await total('SPX').textContent()).toMatch(/^-?\d[\d,]*\.\d{2}$/);
    expect(await cutOff(page, '[data-testid=levels-total]')).toEqual([]);

    // At 1024 px the board leaves its As-of column out, and no empty cell stays after Age:
    // the last column shown reaches the row's end, in the header and in every row, also
    // once the analyst has given Age a width.
    await page.setViewportSize(SMALL);
    const heads = page.getByTestId('levels-board').locator('[role=columnheader]');
    await poll(() => heads.last().textContent()).toBe('Age');
    expect(await heads.allTextContents()).not.toContain('As of');
    await poll(() => emptyAfterLast(page)).toEqual([]);
    await page.getByRole('separator', { name: 'Width of Age' }).focus();
    await page.keyboard.press('ArrowRight');
    await poll(() =>
      page.getByRole('separator', { name: 'Width of Age' }).getAttribute('aria-valuenow'),
    ).not.toBe('92');
    await poll(() => emptyAfterLast(page)).toEqual([]);
    await page.setViewportSize(WIDE);
    await poll(() => heads.last().textContent()).toBe('As of');
    await poll(() => emptyAfterLast(page)).toEqual([]);
    await shot(page, 'small-levels-board', page.getByTestId('levels-board'));
    await expectNoSerious(page, 'levels board with small totals');
    await page.setViewportSize(SMALL);
    await expectNoSerious(page, 'levels board at 1024 px without As of');
    await page.setViewportSize(WIDE);
  });

  it('All snapshots reads each total as the board does, whole at 1440 and 1024 px', async () => {
    const { page } = desk;
    // QA day F2: -$432,946 read "-0.00" on the board and "-0.00043" here; both now follow
    // one rule (text/scale.ts gexCell), so that the same figure in the same scale reads
    // the same in both.
    await goTo(page, 'snapshots');
    const board = new Map<string, string>();
    for (const u of ['SPX', 'SMALL', 'TINY', 'MID']) {
      const cell = page.locator(
        `[data-testid=levels-row][data-underlying=${u}] [data-testid=levels-total]`,
      );
      await poll(() => cell.textContent()).toMatch(/\d/);
      board.set(u, (await cell.textContent())!);
    }
    await page.locator('[data-pane=list]').click();
    const rows = page.getByTestId('snapshot-row');
    await poll(() => rows.count()).toBeGreaterThanOrEqual(4);
    const header = await page
      .locator('[data-testid=snapshots-view] [role=columnheader].th-total')
      .textContent();
    expect(header).toBe('Total GEX, Bn');
    for (const [u, text] of board) {
      const row = rows.filter({
        has: page.locator('.td-underlying', { hasText: new RegExp(`^${u}$`) }),
      });
      expect(await row.getByTestId('snapshot-total').textContent(), u).toBe(text);
      expect(await row.getByTestId('snapshot-total').getAttribute('title'), u).toMatch(
        /^-?\$[\d,]+\.\d\d per 1 % move$/,
      );
    }
    // Nothing cut, at either width, in either pane; screenshots at both (`shot`).
    for (const size of [WIDE, SMALL]) {
      await page.setViewportSize(size);
      // The cells (the figures' boxes are inline): Total, and Call and Put where shown.
      await poll(() =>
        cutOff(page, '[data-testid=snapshots-view] :is(.td-total, .td-call, .td-put)'),
      ).toEqual([]);
      await expectNoSerious(page, `All snapshots with small totals at ${size.width} px`);
      await page.locator('[data-pane=levels]').click();
      await poll(() => cutOff(page, '.levels-table .td-total')).toEqual([]);
      await page.locator('[data-pane=list]').click();
    }
    await page.setViewportSize(WIDE);
    await shot(page, 'small-all-snapshots', page.getByTestId('snapshots-view'));
    await page.setViewportSize(WIDE);
  });

  it('keeps a failed row’s line in view at 1024 px, after what was wrong', async () => {
    const { page } = desk;
    const id = await ingest(
      'bad-gamma.csv',
      [
        HEAD,
        `BAD,${AS_OF},10,2026-03-27,10,C,100,1,0.8,0.1`,
        `BAD,${AS_OF},10,2026-03-27,11,C,100,1,0.8,not-a-number-but-a-long-cell-value`,
      ].join('\n') + '\n',
    );
    expect(id).toBeNull();
    await goTo(page, 'queue');
    await page.locator('[data-filter=failed]').click();
    const row = page.locator('[data-testid=job-row]', { hasText: 'bad-gamma.csv' });
    const where = row.locator('.error-where');
    await poll(() => where.textContent()).toMatch(/^line 3\b/);
    await page.setViewportSize(SMALL);
    // What was wrong first; the place gives way down to its line, never to nothing.
    const lineShown = () =>
      page.evaluate(`(() => {
        const row = [...document.querySelectorAll('[data-testid=job-row]')]
          .find((r) => r.textContent.includes('bad-gamma.csv'));
        const where = row.querySelector('.error-where');
        const probe = document.createElement('span');
        probe.style.font = getComputedStyle(where).font;
        probe.style.whiteSpace = 'pre';
        probe.style.position = 'absolute';
        probe.textContent = ' · line 3';
        document.body.appendChild(probe);
        const needed = probe.getBoundingClientRect().width;
        probe.remove();
        return where.getBoundingClientRect().width >= needed - 0.5;
      })()`);
    await poll(lineShown).toBe(true);
    const cell = (await row.locator('.c-outcome').boundingBox())!;
    const box = (await where.boundingBox())!;
    expect(box.x + box.width).toBeLessThanOrEqual(cell.x + cell.width + 0.5);
    expect(await row.getByTestId('error-line').getAttribute('title')).toMatch(/\(line 3/);
    await page.setViewportSize(WIDE);
    await shot(page, 'small-queue-failed-place', row);
    await expectNoSerious(page, 'queue: a failed row with its place');
  });
});

/** A row's total on the levels board with the unit its header names: "15.47 M". */
async function boardTotal(page: Page, underlying: string): Promise<string | null> {
  const cell = page.locator(
    `[data-testid=levels-row][data-underlying=${underlying}] [data-testid=levels-total]`,
  );
  if ((await cell.count()) === 0) return null;
  const header = await page.locator('.levels-table [role=columnheader].th-total').textContent();
  const unit = /^Total GEX, (Bn|M|USD)$/.exec(header ?? '')?.[1];
  return `${await cell.textContent()} ${unit}`;
}

/**
 * The levels board's rows (header included) whose last cell stops short of the row's end:
 * an empty cell after it. Each as "row: px left".
 */
const emptyAfterLast = (page: Page) =>
  page.evaluate(`[...document.querySelectorAll('.levels-table [role=row]')]
    .filter((r) => r.children.length > 0 && !r.classList.contains('empty'))
    .map((r) => {
      const end = r.getBoundingClientRect().right - parseFloat(getComputedStyle(r).paddingRight);
      const last = r.lastElementChild.getBoundingClientRect().right;
      return [r.textContent.slice(0, 12), Math.round(end - last)];
    })
    .filter(([, gap]) => gap > 1)
    .map(([row, gap]) => row + ': ' + gap + ' px')`) as Promise<string[]>;
