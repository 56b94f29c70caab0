// What QA found in reading the charts' labels (QA wb F4, F7). On Compare, levels close
// together stacked their labels, and the dashed lines of the others ran through their text
// ("flip A 4,|704.96"); each line now hangs from its own label and stops short of every
// other, on the snapshot charts too. The open-interest chart's title "Contracts" touched
// "-100,000": the left margin is now measured from the widest tick label. History's month
// ticks on the 1st left a leading cluster of snapshots with no date under it; a tick now
// dates the first point shown.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
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
const HEAD = 'underlying,as_of,spot,expiry,strike,option_type,open_interest,volume,iv,gamma,delta';

/**
 * An LBL chain as of `asOf`, strikes 80 to 120: puts heaviest at 100 and calls at 101
 * (the walls a point apart, beside spot), every open interest times `oi`.
 */
async function ingest(name: string, asOf: string, spot: number, oi: number) {
  const lines: string[] = [];
  for (let k = 80; k <= 120; k++) {
    const put = (k === 100 ? 40_000 : 6_000 - Math.abs(k - 99) * 100) * oi;
    const call = (k === 101 ? 40_000 : 6_000 - Math.abs(k - 101) * 100) * oi;
    const g = 0.05 * Math.exp(-((k - spot) ** 2) / 60);
    if (k <= 101) lines.push(`LBL,${asOf},${spot},2024-03-15,${k},P,${put},5,0.2,${g},-0.4`);
    if (k >= 99) lines.push(`LBL,${asOf},${spot},2024-03-15,${k},C,${call},5,0.2,${g},0.4`);
  }
  const id = await ingestText(desk, name, [HEAD, ...lines].join('\n') + '\n');
  if (!id) throw new Error(`${name} made no snapshot`);
  return id;
}

interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}
interface Level {
  label: string;
  box: Box;
  line: { x: number; segments: [number, number][] };
}
const meet = (a: Box, b: Box) =>
  a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;

const drawn = async (page: Page, testId: string) => {
  const canvas = page.locator(`[data-testid=${testId}] canvas`);
  await canvas.waitFor();
  const read = async (key: string) =>
    JSON.parse((await canvas.getAttribute(`data-${key}`)) ?? 'null');
  return {
    levels: (await read('levels')) as Level[],
    yAxis: (await read('y-axis')) as { titleRight: number; tickLeft: number },
    xTicks: (await read('x-ticks')) as [string, number][],
  };
};

/** Two charts' x tick labels, drawn at the same pixels. */
const sameTicks = async (page: Page, a: string, b: string) =>
  JSON.stringify((await drawn(page, a)).xTicks) === JSON.stringify((await drawn(page, b)).xTicks);

/** No label box meets another, nor any level's line; every title keeps a gap from its ticks. */
async function expectReadable(page: Page, testId: string) {
  const { levels, yAxis } = await drawn(page, testId);
  for (const [i, a] of levels.entries()) {
    for (const b of levels.slice(i + 1))
      expect(meet(a.box, b.box), `${a.label} / ${b.label}`).toBe(false);
    for (const b of levels)
      for (const [y0, y1] of b.line.segments)
        expect(
          meet({ x: b.line.x - 0.5, y: y0, w: 1, h: y1 - y0 }, a.box),
          `${b.label}'s line through "${a.label}"`,
        ).toBe(false);
  }
  expect(yAxis.tickLeft - yAxis.titleRight).toBeGreaterThanOrEqual(8);
  return levels;
}

const ids: Record<string, string> = {};

describe.skipIf(!haveChromium)(
  'chart labels: readable levels, axis titles, dated time axes',
  () => {
    beforeAll(async () => {
      desk = await openDesk();
      // QA's desk: a January cluster (01-07 to 01-09), then one on 03-11.
      ids.B = await ingest('lbl_0107a.csv', '2024-01-07T10:00:00-05:00', 100.2, 1);
      await ingest('lbl_0107b.csv', '2024-01-07T14:00:00-05:00', 100.3, 1);
      await ingest('lbl_0107c.csv', '2024-01-07T15:59:00-05:00', 100.3, 2);
      await ingest('lbl_0108.csv', '2024-01-08T11:00:00-05:00', 100.4, 2);
      await ingest('lbl_0109a.csv', '2024-01-09T11:30:00-05:00', 100.5, 3);
      ids.A = await ingest('lbl_0109b.csv', '2024-01-09T14:00:00-05:00', 100.6, 5);
      await ingest('lbl_0311.csv', '2024-03-11T10:05:00-04:00', 101.5, 3);
    }, 180_000);
    afterAll(async () => {
      await desk?.close();
    }, 60_000);

    it('stacks Compare’s close levels with no line through a label, and keeps "Contracts" off "-100,000"', async () => {
      const { page } = desk;
      // A later than B: open interest falls by about 100,000 contracts a strike.
      await page.goto(`${desk.host.origin}/#/snapshots/compare/${ids.A}/${ids.B}`);
      for (const size of [WIDE, SMALL]) {
        await page.setViewportSize(size);
        await page.waitForTimeout(200);
        const gex = await expectReadable(page, 'chart-diff-gex');
        // Levels close enough to stack: a line passes another's label (what QA saw crossed).
        expect(gex.length).toBeGreaterThanOrEqual(4);
        expect(new Set(gex.map((l) => l.box.y)).size).toBeGreaterThanOrEqual(2);
        const crossed = gex.some((b) =>
          gex.some((a) => a !== b && b.line.x > a.box.x && b.line.x < a.box.x + a.box.w),
        );
        expect(crossed).toBe(true);
        // Its ticks are as wide as "-100,000" (the fixed margin's 70 px left them 12 px).
        await expectReadable(page, 'chart-diff-oi');
        expect((await drawn(page, 'chart-diff-oi')).yAxis.tickLeft).toBeLessThan(30);
        // The two charts' strikes stay one above the other: the GEX chart takes that margin too.
        await poll(() => sameTicks(page, 'chart-diff-gex', 'chart-diff-oi')).toBe(true);
      }
      await page.setViewportSize(WIDE);
      await shot(page, 'chart-labels-compare', page.getByTestId('chart-diff-oi'));
      await expectNoSerious(page, 'compare: stacked labels');
      expect(desk.problems).toEqual([]);
    }, 120_000);

    it('keeps the snapshot charts’ stacked labels clear of lines too', async () => {
      const { page } = desk;
      await page.goto(`${desk.host.origin}/#/snapshots/${ids.A}`);
      for (const size of [WIDE, SMALL]) {
        await page.setViewportSize(size);
        await page.waitForTimeout(200);
        const levels = await expectReadable(page, 'chart-strikes');
        expect(levels.length).toBeGreaterThanOrEqual(3);
      }
      await page.setViewportSize(WIDE);
      await shot(page, 'chart-labels-snapshot', page.getByTestId('chart-strikes'));
      expect(desk.problems).toEqual([]);
    }, 120_000);

    it('dates History’s leading cluster under month ticks, with no two tick labels touching', async () => {
      const { page } = desk;
      await page.goto(`${desk.host.origin}/#/snapshots/history/LBL`);
      for (const size of [WIDE, SMALL]) {
        await page.setViewportSize(size);
        await page.waitForTimeout(200);
        for (const testId of ['chart-history-levels', 'chart-history-totals']) {
          await poll(async () => (await drawn(page, testId)).xTicks.map(([t]) => t)).toContain(
            '2024-03-01',
          );
          const { xTicks } = await drawn(page, testId);
          // The first label dates the January cluster, left of the month ticks.
          expect(xTicks[0]![0]).toBe('2024-01-07');
          expect(xTicks[0]![1]).toBeLessThan(xTicks.find(([t]) => t === '2024-03-01')![1]);
          // Ten-character dates 6 px a character apart: centres at least a label and a gap apart.
          for (let i = 1; i < xTicks.length; i++)
            expect(xTicks[i]![1] - xTicks[i - 1]![1]).toBeGreaterThan(70);
          await expectReadable(page, testId);
        }
        // One time axis, shared (window and cursor): at the same pixels on both charts.
        await poll(() => sameTicks(page, 'chart-history-levels', 'chart-history-totals')).toBe(
          true,
        );
      }
      await page.setViewportSize(WIDE);
      await shot(page, 'chart-labels-history', page.getByTestId('chart-history-totals'));
      await expectNoSerious(page, 'history: leading cluster dated');
      expect(desk.problems).toEqual([]);
    }, 120_000);
  },
);
