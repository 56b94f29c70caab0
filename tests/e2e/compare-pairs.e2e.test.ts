// Three ways QA found Compare showing a pair other than the one compared (QA wb F3, F4,
// F6). A link whose A and B are snapshots of two underlyings showed B's underlying and an
// A choice naming another snapshot (its value not among the options) over the real A's
// figures, with no word; it now says "A is … and B is …" as the CLI does, and A's choice
// names A. A snapshot removed while Compare was open stayed in the choices and the
// figures; its side now reads "removed: choose another", a status line says which
// snapshot it was (not the engine's NOT_FOUND), and the figures go. Compare open
// on an underlying's only snapshot went blank (A = B, no figures) when a second arrived;
// the pair is now completed, as a fresh load of the address does.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeChain, cboeCsvText } from '../fixtures/option-chains.ts';
import {
  expectNoSerious,
  haveChromium,
  ingestText,
  openDesk,
  poll,
  shot,
  type Desk,
} from './harness.ts';

let desk: Desk;

/** Ingests a generated chain of `underlying` as of `asOf`; the snapshot's id. */
async function ingest(underlying: string, asOf: string, spot: number, seed: number) {
  const text = cboeCsvText(makeChain({ seed, underlying, asOf, spot, expiries: 2 }));
  const id = await ingestText(desk, `${underlying}_${seed}.csv`, text);
  if (!id) throw new Error(`${underlying} ${asOf} made no snapshot`);
  return id;
}

const selected = (testId: string) =>
  desk.page.getByTestId(testId).locator('option:checked').textContent();
const value = (testId: string) => desk.page.getByTestId(testId).inputValue();

describe.skipIf(!haveChromium)('compare pairs', () => {
  beforeAll(async () => {
    desk = await openDesk();
  }, 180_000);
  afterAll(async () => {
    await desk?.close();
  }, 60_000);

  it('says when A and B are of two underlyings, A’s choice naming A', async () => {
    const { page } = desk;
    const spx = await ingest('SPX', '2024-01-08T10:30:00', 4800, 11);
    await ingest('META', '2025-09-06T10:30:00', 750, 12);
    const meta = await ingest('META', '2025-09-07T10:30:00', 755, 13);
    await page.goto(`${desk.host.origin}/#/snapshots/compare/${spx}/${meta}`);
    const note = page.getByTestId('compare-underlyings');
    await poll(() => note.textContent()).toContain(
      'A is SPX and B is META: their strikes are of two underlyings, so the changes by strike compare unrelated contracts.',
    );
    // Each choice names its own side: A the SPX snapshot (among A's options), B META's.
    await poll(() => value('compare-a')).toBe(spx);
    await poll(() => selected('compare-a')).toMatch(/^SPX 2024-01-08/);
    await poll(() => value('compare-b')).toBe(meta);
    await poll(() => selected('compare-b')).toMatch(/^2025-09-07/);
    // The moves, A's from its own snapshot: where each was and is.
    await poll(() => page.getByTestId('move-total').count()).toBe(1);
    const diff = await desk.te.engine.handlers['snapshots:diff']({ from: spx, to: meta });
    if (!diff.ok) throw new Error(diff.error.message);
    expect(await page.getByTestId('compare-strikes').textContent()).toBe(
      diff.value.strikes.length.toLocaleString('en-US'),
    );
    await shot(page, 'compare-two-underlyings', note);
    await expectNoSerious(page, 'compare: two underlyings');
    // The way back to one underlying: B against the META snapshot before it.
    await page.getByTestId('compare-same-underlying').click();
    await poll(() => value('compare-a')).not.toBe(spx);
    await poll(() => selected('compare-a')).toMatch(/^2025-09-06/);
    expect(await note.count()).toBe(0);
    expect(desk.problems).toEqual([]);
  }, 120_000);

  it('marks a side removed while the view is open, and clears its figures', async () => {
    const { page } = desk;
    const a = await ingest('DIA', '2024-05-06T14:00:00', 390, 21);
    const b = await ingest('DIA', '2024-05-06T15:00:00', 391, 22);
    await ingest('DIA', '2024-05-06T16:00:00', 392, 23);
    await page.goto(`${desk.host.origin}/#/snapshots/compare/${a}/${b}`);
    await page.getByTestId('chart-diff-gex').waitFor();
    await poll(() => page.getByTestId('compare-b').locator('option').count()).toBe(3);
    const r = await desk.te.engine.handlers['snapshots:remove']({
      id: b,
      justification: 'e2e: removed while compared',
    });
    expect(r.ok).toBe(true);
    await poll(() => selected('compare-b')).toBe('removed: choose another');
    await poll(() => page.getByTestId('move-total').count()).toBe(0);
    expect(await page.getByTestId('chart-diff-gex').count()).toBe(0);
    expect(await page.getByTestId('compare-strikes').count()).toBe(0);
    // B is no more among the choices of either side; A stays chosen.
    const live = (side: string) =>
      page.getByTestId(side).locator(`option[value="${b}"]:not([disabled])`).count();
    await poll(() => live('compare-a')).toBe(0);
    expect(await live('compare-b')).toBe(0);
    expect(await value('compare-a')).toBe(a);
    // Said in words, once: which side, what it was, that it was removed (QA sv F4: the
    // engine's "NOT_FOUND There is no snapshot <uuid>" beside the choice's "removed").
    await poll(() => page.getByTestId('compare-gone-b').textContent()).toBe(
      'B, the DIA snapshot of 2024-05-06 15:00:00 UTC−4 from this desk, was removed (here, in another window or by the command line): choose another B.',
    );
    expect(await page.getByTestId('compare-view').getByTestId('error-line').count()).toBe(0);
    expect(await page.getByTestId('compare-gone-a').count()).toBe(0);
    await shot(page, 'compare-removed-live');
    await expectNoSerious(page, 'compare: B removed while open');
    expect(desk.problems).toEqual([]);
  }, 120_000);

  it('completes the pair when an underlying’s only snapshot is joined by a second', async () => {
    const { page } = desk;
    const first = await ingest('QQQ', '2024-01-07T10:30:00', 400, 31);
    await page.goto(`${desk.host.origin}/#/snapshots/compare/${first}`);
    await poll(() => page.getByTestId('compare-needs-two').count()).toBe(1);
    // No A chosen: A's choice says none, not the only snapshot.
    expect(await selected('compare-a')).toBe('—');
    const second = await ingest('QQQ', '2024-01-08T10:30:00', 402, 32);
    await poll(() => page.url()).toBe(`${desk.host.origin}/#/snapshots/compare/${first}/${second}`);
    await poll(() => page.getByTestId('move-total').count()).toBe(1);
    expect(await value('compare-a')).toBe(first);
    expect(await value('compare-b')).toBe(second);
    expect(await page.getByTestId('compare-needs-two').count()).toBe(0);
    await page.getByTestId('chart-diff-gex').waitFor();
    await shot(page, 'compare-second-arrived');
    await expectNoSerious(page, 'compare: second snapshot arrived');
    expect(desk.problems).toEqual([]);
  }, 120_000);

  it('says when A is later than B, with a swap; arrow steps through B are one choice (QA wb F5, F6)', async () => {
    const { page } = desk;
    const x1 = await ingest('QQQ', '2024-06-03T10:00:00', 450, 31);
    const x2 = await ingest('QQQ', '2024-06-03T11:00:00', 451, 32);
    const x3 = await ingest('QQQ', '2024-06-03T12:00:00', 452, 33);
    const x4 = await ingest('QQQ', '2024-06-03T13:00:00', 453, 34);
    // A later than B: said, and swapped by the button.
    await page.goto(`${desk.host.origin}/#/snapshots/compare/${x3}/${x1}`);
    const backwards = page.getByTestId('compare-a-after-b');
    await poll(() => backwards.textContent()).toContain('A is later than B');
    await expectNoSerious(page, 'compare: A later than B');
    await page.getByTestId('compare-swap').click();
    await poll(() => page.url()).toContain(`/compare/${x1}/${x3}`);
    await poll(() => backwards.count()).toBe(0);
    // Keys through B's choices: no address and no comparison per step; Enter takes the last.
    const b = page.getByTestId('compare-b');
    const diffs: string[] = [];
    page.on('request', (r) => {
      if (r.url().includes('snapshots:diff')) diffs.push(r.url());
    });
    const length = await page.evaluate('history.length');
    await b.focus();
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await poll(() => b.inputValue()).toBe(x4);
    await page.waitForTimeout(400);
    expect(page.url()).toContain(`/compare/${x1}/${x3}`);
    expect(diffs).toEqual([]);
    await page.keyboard.press('Enter');
    await poll(() => page.url()).toContain(`/compare/${x1}/${x4}`);
    expect(await page.evaluate('history.length')).toBe((length as number) + 1);
    // Leaving the choice takes a held step too.
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('Tab');
    await poll(() => page.url()).toContain(`/compare/${x1}/${x3}`);
    // A choice with the mouse (the open list) is taken at once.
    await b.selectOption(x2);
    await poll(() => page.url()).toContain(`/compare/${x1}/${x2}`);
    expect(desk.problems).toEqual([]);
  }, 120_000);
});
