// Times read on the right clock, in a browser far from the exchange (Australia/Sydney):
// one series of five snapshots whose files wrote their as-of in different offsets (−05:00,
// Z, +09:00) is drawn in History at its instants on New York's clock, in order, on an axis
// that says so, and its exports are named in New York time; the Queue's Submitted column
// shows the date of a job not submitted today, its header (the zone on a line of its own)
// whole at both sizes.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  cutOff,
  expectNoSerious,
  goTo,
  haveChromium,
  openDesk,
  poll,
  shot,
  SMALL,
  WIDE,
  type Desk,
} from './harness.ts';

let desk: Desk;
let page: Page;

// One instant series, 15:00 … 20:00 New York on 2024-02-01, as five files wrote it.
const FILES = [
  ['a', '2024-02-01T15:00:00-05:00', 101],
  ['b', '2024-02-01T21:00:00Z', 102],
  ['c', '2024-02-01T17:00:00-05:00', 103],
  ['d', '2024-02-02T09:00:00+09:00', 104],
  ['e', '2024-02-01T20:00:00-05:00', 105],
] as const;
const NY_TIMES = ['15:00', '16:00', '17:00', '19:00', '20:00'];

// Records the text the page draws on canvases (window.__texts).
const RECORD_TEXT = `(() => {
  if (window.__texts) return;
  window.__texts = [];
  const P = CanvasRenderingContext2D.prototype;
  const fillText = P.fillText;
  P.fillText = function (text, ...rest) {
    window.__texts.push(text);
    return fillText.call(this, text, ...rest);
  };
})()`;

describe.skipIf(!haveChromium)('times on the exchange’s clock, from a browser in Sydney', () => {
  beforeAll(async () => {
    desk = await openDesk({ timezoneId: 'Australia/Sydney' });
    page = desk.page;
    const h = desk.te.engine.handlers;
    for (const [name, asOf, spot] of FILES) {
      const file = join(desk.fixtures, `${name}.csv`);
      writeFileSync(
        file,
        'underlying,as_of,spot,expiry,strike,option_type,open_interest,volume,iv\n' +
          `QZ,${asOf},${spot},2024-02-16,100,C,1000,10,0.25\n` +
          `QZ,${asOf},${spot},2024-02-16,100,P,900,10,0.25\n`,
      );
      const r = await h['ingest:submit']({ file, source: 'e2e' });
      if (!r.ok) throw new Error(r.error.message);
    }
    const drained = await h['queue:drain']({});
    if (!drained.ok) throw new Error(drained.error.message);
  }, 120_000);
  afterAll(async () => {
    await desk?.close();
  }, 60_000);

  it('History places each point at its New York time, in order, on an axis that names the zone', async () => {
    await page.evaluate(RECORD_TEXT);
    await page.goto(`${desk.host.origin}/#/snapshots/history/QZ`);
    await poll(() => page.getByTestId('history-count').textContent()).toBe('5 snapshots');
    const canvas = page.locator('[data-testid=chart-history-levels] canvas');
    const readout = page.getByTestId('chart-history-levels-readout');
    const tip = page.getByTestId('chart-history-levels-tip');
    const xs: number[] = [];
    await canvas.focus();
    await page.keyboard.press('Home');
    for (const [i, time] of NY_TIMES.entries()) {
      if (i) await page.keyboard.press('ArrowRight');
      await poll(() => readout.textContent()).toContain(`As of 2024-02-01 ${time}:00 UTC−5`);
      xs.push(parseFloat((await tip.getAttribute('style'))!.match(/left:\s*([\d.]+)px/)![1]!));
    }
    // Spaced as the hours: 1, 1, 2, 1 (never 18 h of axis for 5 h of data).
    const hour = xs[1]! - xs[0]!;
    expect(hour).toBeGreaterThan(20);
    const gaps = xs.slice(1).map((x, i) => Math.round(((x - xs[i]!) / hour) * 10) / 10);
    expect(gaps).toEqual([1, 1, 2, 1]);
    // The axis says whose clock it reads.
    const texts = (await page.evaluate('window.__texts')) as string[];
    expect(texts).toContain('As of (New York time)');
    // The replay, at the newest, says so in New York time; the file written at +09:00 too.
    await poll(() => page.getByTestId('history-at').textContent()).toBe(
      '5 / 5 · 2024-02-01 20:00:00 UTC−5',
    );
    const slider = page.getByTestId('history-slider');
    await slider.focus();
    await page.keyboard.press('ArrowLeft');
    await poll(() => page.getByTestId('history-at').textContent()).toBe(
      '4 / 5 · 2024-02-01 19:00:00 UTC−5',
    );
    await shot(page, 'history-offsets-new-york');
    await expectNoSerious(page, 'history of files in several offsets');
  });

  it('names exports by the as-of in New York time, whatever offset the file wrote', async () => {
    await page.goto(`${desk.host.origin}/#/snapshots/history/QZ`);
    await poll(() => page.getByTestId('history-count').textContent()).toBe('5 snapshots');
    const name = async (testId: string) => {
      const [dl] = await Promise.all([
        page.waitForEvent('download'),
        page.locator('.history-view').getByTestId(testId).first().click(),
      ]);
      return dl.suggestedFilename();
    };
    expect(await name('chart-history-levels-csv')).toBe(
      'qz-spot-flip-and-walls-over-time_2024-02-01_1500-0500_to_2024-02-01_2000-0500.csv',
    );
    // The replay of b, written 2024-02-01T21:00:00Z: named 16:00 −05:00.
    const slider = page.getByTestId('history-slider');
    await slider.focus();
    await page.keyboard.press('Home');
    await page.keyboard.press('ArrowRight');
    await poll(() => page.getByTestId('history-at').textContent()).toBe(
      '2 / 5 · 2024-02-01 16:00:00 UTC−5',
    );
    // Its title on the slider's clock too, not the file's UTC (QA wb3 F2).
    await poll(() =>
      page.locator('.history-view [data-testid=chart-strikes] .chart-title').textContent(),
    ).toContain('QZ 2024-02-01 16:00:00 UTC−5');
    expect(await name('chart-strikes-csv')).toBe(
      'qz-net-gex-by-strike-all-expiries_2024-02-01_1600-0500.csv',
    );
  });

  it('Queue: a job not submitted today shows its date; the Submitted header is whole (at 1024 px the underlying stays first)', async () => {
    const listed = await desk.te.engine.handlers['jobs:list']({ limit: 100 });
    if (!listed.ok) throw new Error(listed.error.message);
    const jobs = listed.value;
    // The page's clock three days on: every job was submitted another day.
    await page.clock.install({ time: Date.now() + 3 * 86_400_000 });
    await page.reload();
    await page.getByTestId('engine-state').getByText('engine ok').waitFor({ timeout: 30_000 });
    await goTo(page, 'queue');
    await page.locator('[data-filter=all]').click();
    const zone = new Intl.DateTimeFormat('en-GB', {
      timeZone: 'Australia/Sydney',
      timeZoneName: 'short',
    })
      .formatToParts(new Date())
      .find((p) => p.type === 'timeZoneName')!.value;
    const job = jobs.find((j) => j.file.endsWith('b.csv'))!;
    const p = Object.fromEntries(
      new Intl.DateTimeFormat('en-US', {
        timeZone: 'Australia/Sydney',
        month: 'short',
        day: 'numeric',
        hour: '2-digit',
        minute: '2-digit',
        second: '2-digit',
        hourCycle: 'h23',
      })
        .formatToParts(new Date(job.submitted_at))
        .map((x) => [x.type, x.value]),
    );
    const want = `${p.month} ${p.day} ${p.hour}:${p.minute}:${p.second}`;
    const row = page.locator('[data-testid=job-row]', { hasText: 'b.csv' });
    const header = page.locator('[data-testid=queue-view] [role=columnheader].th-submitted');
    await page.setViewportSize(WIDE);
    await poll(() => row.locator('.td-submitted').textContent()).toBe(want);
    expect(await header.textContent()).toBe(`Submitted, ${zone}`);
    expect(
      await cutOff(page, '.th-submitted .th-main, .th-submitted .th-sub, .td-submitted'),
    ).toEqual([]);
    await expectNoSerious(page, 'queue in Sydney at 1440');
    // At 1024 px the submission time gives way before the underlying (the drawer has it).
    await page.setViewportSize(SMALL);
    await poll(() => header.count()).toBe(0);
    expect(await row.locator('.td-underlying').textContent()).not.toBe('');
    await expectNoSerious(page, 'queue in Sydney at 1024');
    await page.setViewportSize(WIDE);
    await shot(page, 'queue-submitted-sydney');
  });
});
