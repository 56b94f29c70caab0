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
  WIDE,
  type Desk,
} from './harness.ts';

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
    await poll(() => figure('Call GEX').textContent()).toBe('8 USD');
    expect(await figure('Put GEX').textContent()).toBe('-29 USD');
    expect(await figure('Total GEX').textContent()).toBe('-21 USD');
    const buckets = page.getByTestId('bucket-walls');
    expect(await buckets.locator('thead').textContent()).toContain('Net GEX, USD');
    const net = (bucket: string) => buckets.locator(`tr[data-bucket=${bucket}] td`).first();
    expect(await net('weekly').textContent()).toBe('8');
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
    // SMALL's -$20.89 in the column of SPX's figures: its own digits and sign.
    const text = (await total('SMALL').textContent())!;
    expect(text).toMatch(/^-0\.0+\d\d$|^-21$/);
    expect(
      Number(text.replace(/,/g, '')) * (unit === 'Bn' ? 1e9 : unit === 'M' ? 1e6 : 1),
    ).toBeCloseTo(-20.89, -1);
    expect(await total('TINY').textContent()).not.toMatch(/^-?0(\.0+)?$/);
    expect(await cutOff(page, '[data-testid=levels-total]')).toEqual([]);
    await shot(page, 'small-levels-board', page.getByTestId('levels-board'));
    await expectNoSerious(page, 'levels board with small totals');
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
