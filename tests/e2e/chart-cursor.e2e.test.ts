// A chart's keyboard cursor across a change of its strikes in place (QA wb F2): on the
// real SPX sample's workbench, the strike chart's cursor read with → under all expiries,
// then under the monthly expiries, then under the one expiry with fewest strikes near
// spot. The cursor was an index into the strikes, kept across the change: the first →
// named an unrelated strike and panned the chart away from spot while the window select
// still said spot ± 10 % (QA: 6,200, the last strike, or 3,925 with spot at 4,712; here,
// under the monthly expiries, 4,890 where 4,705 is due). Now it stays on its
// strike when the new strikes hold it, else starts again at the strike nearest spot (the
// window's centre), and the chart does not move. History's two charts share one cursor,
// which stays on its time when a snapshot before it is removed (an index moved it on to
// the next snapshot's time, with no key pressed).
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nearest } from '../../renderer/src/components/plot/layout.ts';
import {
  haveChromium,
  ingestText,
  openDesk,
  poll,
  queueFile,
  SAMPLES,
  shot,
  type Desk,
  api,
} from './harness.ts';

const SPX = join(SAMPLES, 'spx_quotedata_2024-01-07.csv');

let desk: Desk;
let id = '';
/** CURX's snapshots at 10:00, 11:00, 12:30 and 13:00 New York time: the cursor starts at 11:00. */
const curx: string[] = [];
const HEAD = 'underlying,as_of,spot,expiry,strike,option_type,open_interest,volume,iv,gamma';
let spot = 0;
/** Each filter's strikes as the chart draws them (every strike of its expiries' cells). */
const strikesOf = new Map<string, number[]>();

/** The strike → moves the cursor to from `prev` under `filter`: the next one, or after spot's. */
function afterRight(filter: string, prev: number): number {
  const k = strikesOf.get(filter)!;
  const i = k.indexOf(prev);
  const at = i >= 0 ? i : nearest(k, spot);
  return k[Math.min(k.length - 1, at + 1)]!;
}

describe.skipIf(!haveChromium)('chart cursor across a change of strikes', () => {
  beforeAll(async () => {
    desk = await openDesk();
    const h = desk.te.engine.handlers;
    await queueFile(desk, SPX);
    await desk.te.engine.drain();
    const level = (await api(h['snapshots:levels']({}))).rows.find((l) => l.underlying === 'SPX');
    id = level!.id;
    const detail = await api(h['snapshots:get']({ id }));
    spot = detail.snapshot.spot;
    const cells = await api(h['snapshots:cells']({ id }));
    const of = (take: (expiry: string) => boolean) =>
      [
        ...new Set(
          cells.strike_index
            .filter((_, i) => take(cells.expiries[cells.expiry_index[i]!]!))
            .map((k) => cells.strikes[k]!),
        ),
      ].sort((a, b) => a - b);
    strikesOf.set(
      'all',
      detail.strikes.map((s) => s.strike),
    );
    const months = new Set(
      detail.expiries.filter((e) => e.bucket === 'monthly').map((e) => e.expiry),
    );
    strikesOf.set(
      'monthly',
      of((e) => months.has(e)),
    );
    for (const e of detail.expiries)
      strikesOf.set(
        e.expiry,
        of((x) => x === e.expiry),
      );
    for (const [i, at] of ['15:00', '16:00', '17:30', '18:00'].entries()) {
      const rows = [95, 100, 105].flatMap((k) =>
        ['C', 'P'].map(
          (t) => `CURX,2024-03-04T${at}:00Z,100,2024-03-15,${k},${t},${100 + 10 * i},1,0.3,0.05`,
        ),
      );
      const sid = await ingestText(desk, `curx-${i}.csv`, [HEAD, ...rows].join('\n') + '\n');
      if (!sid) throw new Error(`curx-${i}.csv made no snapshot`);
      curx.push(sid);
    }
  }, 180_000);
  afterAll(async () => {
    await desk?.close();
  }, 60_000);

  it('keeps the strike, or starts at spot, when the expiry filter changes the strikes', async () => {
    const { page } = desk;
    await page.goto(`${desk.host.origin}/#/snapshots/${id}`);
    const chart = page.getByTestId('chart-strikes');
    const canvas = chart.locator('canvas');
    const readout = page.getByTestId('chart-strikes-readout');
    await canvas.waitFor();
    expect(await page.getByTestId('strike-window').inputValue()).toBe('0.1');
    const lo = spot * 0.9;
    const hi = spot * 1.1;
    const strikeRead = async () => {
      const m = /^Strike ([\d,.]+):/.exec((await readout.textContent()) ?? '');
      return m ? Number(m[1]!.replaceAll(',', '')) : null;
    };
    const ticks = () => canvas.getAttribute('data-x-ticks');

    // All expiries: focus puts the cursor at the strike nearest spot, → the next one.
    await canvas.focus();
    await page.keyboard.press('ArrowRight');
    const all = strikesOf.get('all')!;
    let prev = all[nearest(all, spot) + 1]!;
    await poll(strikeRead).toBe(prev);

    // The one expiry with fewest strikes near spot (where a kept index names the last strike).
    const near = (f: string) => strikesOf.get(f)!.filter((k) => k >= lo && k <= hi).length;
    const one = [...strikesOf.keys()]
      .filter((f) => f !== 'all' && f !== 'monthly' && near(f) > 0)
      .sort((a, b) => strikesOf.get(a)!.length - strikesOf.get(b)!.length)[0]!;
    for (const filter of ['monthly', one]) {
      await page.getByTestId('expiry-filter').selectOption(filter);
      await poll(() => chart.locator('.chart-title').textContent()).toContain(
        filter === 'monthly' ? 'Monthly expiries' : `expiry ${filter}`,
      );
      const shown = await ticks();
      await canvas.focus();
      await page.keyboard.press('ArrowRight');
      const want = afterRight(filter, prev);
      await poll(strikeRead).toBe(want);
      expect(want).toBeGreaterThanOrEqual(lo);
      expect(want).toBeLessThanOrEqual(hi);
      // The chart stays where it was: spot ± 10 %, as the select says.
      expect(await ticks()).toBe(shown);
      expect(await page.getByTestId('strike-window').inputValue()).toBe('0.1');
      prev = want;
    }
    await shot(page, 'chart-cursor-filter', chart);
    expect(desk.problems).toEqual([]);
  });

  it('keeps History’s cursor on its time when a snapshot before it is removed', async () => {
    const { page } = desk;
    await page.goto(`${desk.host.origin}/#/snapshots/history/CURX`);
    await poll(() => page.getByTestId('history-count').textContent()).toBe('4 snapshots');
    const canvas = page.getByTestId('chart-history-levels').locator('canvas');
    const readout = page.getByTestId('chart-history-levels-readout');
    // Focus: the time nearest the axis's middle (11:00); →: 12:30.
    await canvas.focus();
    await page.keyboard.press('ArrowRight');
    await poll(() => readout.textContent()).toMatch(/^As of 2024-03-04 12:30:00 UTC−5: /);
    const at = await readout.textContent();
    const r = await desk.te.engine.handlers['snapshots:remove']({
      id: curx[1]!,
      justification: 'e2e: removed before the cursor',
    });
    expect(r.ok).toBe(true);
    await poll(() => page.getByTestId('history-count').textContent()).toBe('3 snapshots');
    // The cursor still reads 12:30 (its index, 2, now names 13:00), and → goes on to 13:00.
    expect(await readout.textContent()).toBe(at);
    expect(await page.getByTestId('chart-history-totals-readout').textContent()).toMatch(
      /^As of 2024-03-04 12:30:00 UTC−5: /,
    );
    await canvas.focus();
    await page.keyboard.press('ArrowRight');
    await poll(() => readout.textContent()).toMatch(/^As of 2024-03-04 13:00:00 UTC−5: /);
    expect(desk.problems).toEqual([]);
  });
});
