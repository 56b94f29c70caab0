// History and Compare as the address keeps them: the replay's position is in the address
// (written in place, so that the slider adds no Back step), so that Back from "Open this
// snapshot" and a reload come back to the snapshot replayed; an underlying typed in the
// address in lower case (or as an option root, `spxw`) is the stored one, the address
// rewritten in place; the History and Compare toolbars stand off the pane's focus ring
// at both window sizes. Before, Back from the opened snapshot replayed the newest again,
// `#/snapshots/history/spx` added a phantom "spx" underlying (chart titles and exported
// files in lower case), and "Underlying" started on the focus ring. An id the address
// names that no snapshot has is said (it was the newest, silently); the one replayed,
// once removed, gives way to the newest in place.
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { cboeCsvText, makeChain } from '../fixtures/option-chains.ts';
import {
  expectNoSerious,
  haveChromium,
  openDesk,
  poll,
  shot,
  SMALL,
  WIDE,
  type Desk,
} from './harness.ts';

/** SPX's history: one snapshot every half hour. */
const SNAPSHOTS = 40;

let desk: Desk;
let page: Page;
let origin = '';
let ids: string[] = [];

const url = () => page.url();
const at = () => page.getByTestId('history-at').textContent();
const entries = () => page.evaluate<number>('history.length');

describe.skipIf(!haveChromium)('History and Compare in the address', () => {
  beforeAll(async () => {
    desk = await openDesk();
    page = desk.page;
    origin = desk.host.origin;
    const h = desk.te.engine.handlers;
    const t0 = Date.parse('2024-03-04T14:30:00Z');
    const files = [];
    for (let i = 0; i < SNAPSHOTS; i++) {
      const file = join(desk.fixtures, `spx_${i}.csv`);
      const asOf = new Date(t0 + i * 1_800_000).toISOString().slice(0, 19);
      writeFileSync(
        file,
        cboeCsvText(
          makeChain({ seed: 10 + i, asOf, spot: 5100 + i, expiries: 2, strikesPerExpiry: 12 }),
        ),
      );
      files.push(file);
    }
    const qqq = join(desk.fixtures, 'qqq.csv');
    writeFileSync(
      qqq,
      cboeCsvText(
        makeChain({ seed: 3, underlying: 'QQQ', spot: 440, expiries: 2, strikesPerExpiry: 10 }),
      ),
    );
    files.push(qqq);
    for (const file of files) {
      const r = await h['ingest:submit']({ file, source: 'desk' });
      if (!r.ok) throw new Error(r.error.message);
    }
    await desk.te.engine.drain();
    const history = await h['snapshots:history']({ underlying: 'SPX' });
    if (!history.ok) throw new Error(history.error.message);
    ids = history.value.rows.map((p) => p.id);
    expect(ids).toHaveLength(SNAPSHOTS);
  }, 300_000);
  afterAll(async () => {
    await desk?.close();
  }, 60_000);

  it('keeps the replayed snapshot in the address: Back from it and a reload replay it again', async () => {
    await page.goto(`${origin}/#/snapshots/history/SPX`);
    await poll(at).toMatch(new RegExp(`^${SNAPSHOTS} / ${SNAPSHOTS} · `));
    const before = await entries();
    const slider = page.getByTestId('history-slider');
    await slider.focus();
    await page.keyboard.press('Home');
    await page.keyboard.press('ArrowRight');
    await poll(at).toMatch(new RegExp(`^2 / ${SNAPSHOTS} · `));
    const shown = (await at())!;
    await poll(url).toBe(`${origin}/#/snapshots/history/SPX/${ids[1]}`);
    // Stepping wrote the address in place: no Back step per step.
    expect(await entries()).toBe(before);

    await page.getByRole('button', { name: 'Open this snapshot' }).click();
    await poll(url).toBe(`${origin}/#/snapshots/${ids[1]}`);
    await page.locator('#snapshot-title').waitFor();
    await page.goBack();
    await poll(url).toBe(`${origin}/#/snapshots/history/SPX/${ids[1]}`);
    await poll(at).toBe(shown);
    // A reload (or the address bookmarked) comes back to it too.
    await page.reload();
    await poll(at).toBe(shown);
    await poll(() =>
      page.locator('.history-view [data-testid=chart-strikes] .chart-title').textContent(),
    ).toMatch(/^SPX 2024-03-04 15:00/);

    // The newest replayed: the address names none (it follows the newest as they arrive).
    await page.getByTestId('history-slider').focus();
    await page.keyboard.press('End');
    await poll(at).toMatch(new RegExp(`^${SNAPSHOTS} / ${SNAPSHOTS} · `));
    await poll(url).toBe(`${origin}/#/snapshots/history/SPX`);

    // An id never stored: said, the newest replayed, the address as it was given; a text
    // that is no id's shape is said so without asking the engine.
    const said = () =>
      page.getByTestId('history-view').getByTestId('error-line').first().textContent();
    for (const [id, text] of [
      ['no-such-snapshot', '“no-such-snapshot”, which is not a snapshot id'],
      [
        '00000000-0000-4000-8000-000000000000',
        'There is no snapshot 00000000-0000-4000-8000-000000000000',
      ],
    ]) {
      await page.goto(`${origin}/#/snapshots/history/SPX/${id}`);
      await poll(said).toContain(text);
      await poll(at).toMatch(new RegExp(`^${SNAPSHOTS} / ${SNAPSHOTS} · `));
      expect(url()).toBe(`${origin}/#/snapshots/history/SPX/${id}`);
    }
    expect(desk.problems).toEqual([]);
  }, 120_000);

  it('reads an underlying typed in lower case, or as an option root, as the stored one', async () => {
    for (const typed of ['spx', 'spxw']) {
      await page.goto(`${origin}/#/snapshots/history/${typed}/${ids[3]}`);
      await poll(url).toBe(`${origin}/#/snapshots/history/SPX/${ids[3]}`);
      await poll(at).toMatch(new RegExp(`^4 / ${SNAPSHOTS} · `));
      const choices = page.getByTestId('history-underlying').locator('option');
      expect(await choices.allTextContents()).toEqual(['QQQ', 'SPX']);
      expect(await page.getByTestId('history-underlying').inputValue()).toBe('SPX');
      await poll(() =>
        page.locator('[data-testid=chart-history-levels] .chart-title').textContent(),
      ).toMatch(/^SPX spot/);
    }
    // Rewritten in place: Back leaves the page typed before, not the lower-case address.
    await page.goto(`${origin}/#/snapshots`);
    await page.getByTestId('levels-board').waitFor();
    const before = await entries();
    await page.evaluate(`location.hash = '#/snapshots/history/spx'`);
    await poll(url).toBe(`${origin}/#/snapshots/history/SPX`);
    await poll(at).toMatch(new RegExp(`^${SNAPSHOTS} / ${SNAPSHOTS} · `));
    expect(await entries()).toBe(before + 1);
    await page.goBack();
    await poll(url).toBe(`${origin}/#/snapshots`);
    expect(desk.problems).toEqual([]);
  }, 120_000);

  it('stands the History and Compare toolbars off the pane’s edge at both window sizes', async () => {
    /** How far the toolbar's items stand inside the pane's left and right edges (its focus ring). */
    const inset = (pane: string) =>
      page.evaluate(`(() => {
        const pane = document.querySelector('[data-testid=${pane}]').getBoundingClientRect();
        const items = [...document.querySelectorAll('[data-testid=${pane}] > .toolbar > *')]
          .map((el) => el.getBoundingClientRect()).filter((r) => r.width > 0);
        return {
          left: Math.round(Math.min(...items.map((r) => r.left)) - pane.left),
          right: Math.round(pane.right - Math.max(...items.map((r) => r.right))),
        };
      })()`) as Promise<{ left: number; right: number }>;
    await page.goto(`${origin}/#/snapshots/history/SPX`);
    await poll(at).toMatch(new RegExp(`^${SNAPSHOTS} / `));
    await page.getByTestId('history-view').focus();
    await shot(page, 'history-toolbar');
    for (const size of [WIDE, SMALL]) {
      await page.setViewportSize(size);
      const { left, right } = await inset('history-view');
      expect.soft(left, `history at ${size.width}`).toBeGreaterThanOrEqual(8);
      expect.soft(right, `history at ${size.width}`).toBeGreaterThanOrEqual(8);
    }
    await page.setViewportSize(WIDE);
    await expectNoSerious(page, 'history: replay in the address');

    await page.goto(`${origin}/#/snapshots/compare/${ids.at(-1)}`);
    await poll(url).toBe(`${origin}/#/snapshots/compare/${ids.at(-2)}/${ids.at(-1)}`);
    await page.getByText(`${SNAPSHOTS} snapshots of this underlying`).waitFor();
    await page.getByTestId('compare-view').focus();
    await shot(page, 'compare-toolbar');
    for (const size of [WIDE, SMALL]) {
      await page.setViewportSize(size);
      const { left, right } = await inset('compare-view');
      expect(left, `compare at ${size.width}`).toBeGreaterThanOrEqual(8);
      expect(right, `compare at ${size.width}`).toBeGreaterThanOrEqual(8);
    }
    await page.setViewportSize(WIDE);
    expect(desk.problems).toEqual([]);
  }, 120_000);

  // Last: one fewer snapshot after it.
  it('replays the newest, in place and saying nothing, when the snapshot replayed is removed', async () => {
    await page.goto(`${origin}/#/snapshots/history/SPX/${ids[10]}`);
    await poll(at).toMatch(new RegExp(`^11 / ${SNAPSHOTS} · `));
    const before = await entries();
    const r = await desk.te.engine.handlers['snapshots:remove']({
      id: ids[10]!,
      justification: 'e2e: removed while replayed',
    });
    expect(r.ok).toBe(true);
    await poll(url).toBe(`${origin}/#/snapshots/history/SPX`);
    await poll(at).toMatch(new RegExp(`^${SNAPSHOTS - 1} / ${SNAPSHOTS - 1} · `));
    expect(await page.getByTestId('history-view').getByTestId('error-line').count()).toBe(0);
    expect(await entries()).toBe(before);
    expect(desk.problems).toEqual([]);
  }, 120_000);
});
