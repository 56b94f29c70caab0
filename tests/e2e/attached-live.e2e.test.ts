// The levels board left open on a desk that attaches another desk's export folder (QA
// F2, F4). The other desk ingests and removes snapshots with no event of this desk: the
// open board follows within seconds (a new underlying appears, a removed latest gives way
// to the one before, an open attached snapshot removed closes with a note), where it
// showed the removed snapshot and missed the new one until reloaded. And a reload that
// fails while the board holds rows (here config.json no longer parses, as after a bad
// edit) says so above the rows, with the time they are from, until a load answers again;
// it said nothing and kept the old rows, hiding this desk's newer snapshot. All snapshots
// (this desk's store only) says where the attached snapshots are, not "No snapshots yet" (F6).
// Compare open on two attached snapshots follows them too (known list, stop 46): a
// snapshot the other desk adds joins the choices, a side it replaces says it was removed
// (which, from where, in words), the pair chosen stays; it followed none of it until the analyst moved elsewhere.
// Real engines (the attaching desk's behind the browser host, the other desk's pipeline
// and store), headless Chromium.
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removalIntentsOf } from '../../electron/engine/store/removal-intents.ts';
import { removeSnapshots } from '../../electron/engine/store/snapshot-remove.ts';
import { shortFolder } from '../../renderer/src/text/origin.ts';
import { cleanupDirs, ingestChain, workstation, type Workstation } from '../analytics/helpers.ts';
import type { GeneratedChain } from '../analytics/chains.ts';
import {
  chainFile,
  cutOff,
  expectNoSerious,
  haveChromium,
  openDesk,
  poll,
  queueFile,
  shot,
  SMALL,
  WIDE,
  type Desk,
} from './harness.ts';

let desk: Desk;
let page: Page;
let theirs: Workstation;
const ids: Record<string, string> = {};

const chain = (underlying: string, asOf: string, seed: number): GeneratedChain => ({
  underlying,
  asOf,
  spot: 400 + seed,
  expiries: ['2024-04-19', '2024-05-17'],
  strikes: 9,
  seed,
});

/** The board's underlyings, in its order. */
const board = async () =>
  Promise.all(
    (await page.getByTestId('levels-row').all()).map(
      async (r) => (await r.getAttribute('data-underlying')) ?? '',
    ),
  );

/** The other desk removes one of its snapshots, as `gex-desk snapshots remove` there does. */
async function theyRemove(id: string) {
  const removed = await removeSnapshots(
    theirs.store,
    theirs.dataDir,
    removalIntentsOf(theirs),
    () => undefined,
    { id },
    { justification: 'e2e: ingested by mistake', author: null, atMs: Date.now() },
  );
  expect(removed.snapshots.map((s) => s.id)).toEqual([id]);
}

const stale = () => page.getByTestId('levels-stale');

/** An element as evaluateAll hands it over (the tests are typed without the DOM's types). */
type El = { getAttribute(name: string): string | null };

describe.skipIf(!haveChromium)('the levels board open while an attached folder changes', () => {
  beforeAll(async () => {
    theirs = await workstation();
    for (const [key, underlying, asOf, seed] of [
      ['spx1', 'SPX', '2024-04-09T10:00:00-04:00', 1],
      ['spx2', 'SPX', '2024-04-10T10:00:00-04:00', 2],
      ['msft', 'MSFT', '2024-04-10T10:00:00-04:00', 3],
    ] as const)
      ids[key] = (await ingestChain(theirs, key, chain(underlying, asOf, seed))).id;
    desk = await openDesk({ attach: [theirs.dataDir] });
    page = desk.page;
  }, 120_000);
  afterAll(async () => {
    await desk?.close();
    await theirs?.store.close();
    cleanupDirs();
  }, 60_000);

  it("All snapshots, empty here, says it lists this desk's store and where the attached ones are", async () => {
    await page.evaluate(`location.hash = '#/snapshots/list'`);
    await poll(() => page.getByTestId('none-stored').textContent()).toBe(
      'No snapshot is stored on this desk: this list holds its own. Those read from its attached export folders are on the Levels board and in History.',
    );
    await expectNoSerious(page, 'attached-live: All snapshots with none stored');
    await shot(page, 'attached-live-none-stored');
  });

  it("follows the other desk's new and removed snapshots while it stays open", async () => {
    await page.evaluate(`location.hash = '#/snapshots/'`);
    await poll(board).toEqual(['MSFT', 'SPX']);
    const spxRow = page.locator('[data-testid=levels-row][data-underlying=SPX]');
    await poll(() => spxRow.locator('.num-left').textContent()).toMatch(/^2024-04-10/);
    // The engine has looked at the folder once the board is open (its baseline).
    await page.waitForTimeout(500);

    // A new underlying there: on the board without a reload, in a few seconds.
    ids.rut = (await ingestChain(theirs, 'rut', chain('RUT', '2024-04-10T11:00:00-04:00', 4))).id;
    await poll(board).toEqual(['MSFT', 'RUT', 'SPX']);

    // Its latest SPX removed there: the one before takes its place.
    await theyRemove(ids.spx2!);
    await poll(() => spxRow.locator('.num-left').textContent()).toMatch(/^2024-04-09/);

    // An attached snapshot open in the workbench, removed by its owner: closed, and said
    // as a local one removed elsewhere is (here: from its attached folder).
    await page.evaluate(`location.hash = '#/snapshots/${ids.msft}'`);
    await page.getByTestId('snapshot-detail').waitFor();
    await theyRemove(ids.msft!);
    await page.getByTestId('snapshot-detail').waitFor({ state: 'detached' });
    await poll(() => page.getByTestId('snapshot-removed-status').textContent()).toBe(
      'The MSFT snapshot of 2024-04-10 10:00:00 UTC−4, open here, was removed from its attached export folder (by the desk that exports there).',
    );
    await poll(board).toEqual(['RUT', 'SPX']);
    await expectNoSerious(page, 'attached-live: removed from its attached folder');

    // Nothing changed there: each look lists nothing again (one stat per directory).
    const look = await desk.te.engine.handlers['snapshots:attachedCheck']({});
    expect(look.ok && look.value).toMatchObject({ folders: 1, changed: false, listed: 0 });
    expect(desk.problems).toEqual([]);
  }, 60_000);

  it('says the rows are stale when a reload fails, until one answers again', async () => {
    await page.evaluate(`location.hash = '#/snapshots/'`);
    await poll(async () => (await board()).length > 0).toBe(true);
    const before = await board();
    expect(await page.locator('.levels-stale').count()).toBe(0);

    // config.json edited into JSON that no longer parses: every read of the snapshots fails.
    const config = join(desk.te.dir, 'no-config.json');
    writeFileSync(config, '{ "attach": [');
    // A snapshot of this desk arrives: the board loads again, and fails.
    await queueFile(desk, chainFile(desk.fixtures, 'iwm.csv', 11, { underlying: 'IWM' }));
    await desk.te.engine.drain();
    await stale().waitFor();
    expect(await stale().getAttribute('role')).toBe('status');
    await poll(() => stale().locator('.unreadable-title').textContent()).toMatch(
      /^The rows below are as of \d\d:\d\d:\d\d and could not be refreshed: they may be out of date\. The board tries again every few seconds\.$/,
    );
    expect(await stale().getByTestId('error-line').textContent()).toContain(
      'no-config.json is not valid JSON',
    );
    // The rows kept, marked.
    expect(await board()).toEqual(before);
    expect(await page.locator('.levels-table.stale').count()).toBe(1);
    for (const size of [WIDE, SMALL]) {
      await page.setViewportSize(size);
      await page.waitForTimeout(100);
      expect(
        await cutOff(page, '[data-testid=levels-stale], [data-testid=levels-stale] *'),
        `at ${size.width}`,
      ).toEqual([]);
      await expectNoSerious(page, `attached-live: stale board at ${size.width}`);
    }
    await page.setViewportSize(WIDE);
    await shot(page, 'attached-live-stale');

    // The file mended: the next try answers, the note goes and this desk's new snapshot
    // is there.
    rmSync(config);
    await poll(board).toEqual(['IWM', ...before]);
    expect(await page.locator('.levels-stale').count()).toBe(0);
    expect(await page.locator('.levels-table.stale').count()).toBe(0);
  }, 120_000);

  it("Compare follows the other desk's snapshots while it stays open, the pair kept", async () => {
    await page.setViewportSize(WIDE);
    const ndx = async (key: string, asOf: string, seed: number) =>
      (ids[key] = (await ingestChain(theirs, key, chain('NDX', asOf, seed))).id);
    const a = await ndx('ndx1', '2024-04-11T10:00:00-04:00', 21);
    const b = await ndx('ndx2', '2024-04-11T11:00:00-04:00', 22);
    const options = (side: string) =>
      page
        .getByTestId(side)
        .locator('option:not([disabled])')
        .evaluateAll((os) => (os as unknown as El[]).map((o) => o.getAttribute('value') ?? ''));
    const chosen = (side: string) => page.getByTestId(side).inputValue();
    const chosenText = (side: string) =>
      page.getByTestId(side).locator('option:checked').textContent();
    await page.evaluate(`location.hash = '#/snapshots/compare/${a}/${b}'`);
    await page.getByTestId('chart-diff-gex').waitFor();
    await poll(() => options('compare-b')).toEqual([a, b]);
    // The engine has looked at the folder with the view open (its baseline).
    await page.waitForTimeout(500);

    // A later NDX snapshot there: among both sides' choices in a few seconds, A and B kept.
    const c = await ndx('ndx3', '2024-04-11T12:00:00-04:00', 23);
    await poll(() => options('compare-b')).toEqual([a, b, c]);
    await poll(() => options('compare-a')).toEqual([a, b, c]);
    expect(await page.locator('.compare-view .toolbar .muted').textContent()).toBe(
      '3 snapshots of this underlying',
    );
    expect([await chosen('compare-a'), await chosen('compare-b')]).toEqual([a, b]);
    expect(await page.getByTestId('move-total').count()).toBe(1);

    // B replaced there (removed, and another of the same time ingested): B says it was
    // removed and its figures go, the new one is on offer, A stays chosen.
    await theyRemove(b);
    const b2 = await ndx('ndx2b', '2024-04-11T11:00:00-04:00', 24);
    await poll(() => chosenText('compare-b')).toBe('removed: choose another');
    // Said once, in words (not the engine's NOT_FOUND and the B's whole id: QA sv F4).
    await poll(() => page.getByTestId('compare-gone-b').textContent()).toBe(
      `B, the NDX snapshot of 2024-04-11 11:00:00 UTC−4 from ${shortFolder(theirs.dataDir)}, was removed from its attached export folder (by the desk that exports there): choose another B.`,
    );
    expect(await page.locator('.compare-view [data-testid=error-line]').count()).toBe(0);
    await poll(() => options('compare-b')).toEqual([a, b2, c]);
    await poll(() => page.getByTestId('move-total').count()).toBe(0);
    expect(await page.getByTestId('chart-diff-gex').count()).toBe(0);
    expect(await chosen('compare-a')).toBe(a);
    await expectNoSerious(page, 'attached-live: Compare with B replaced in its attached folder');
    await shot(page, 'attached-live-compare-replaced');
    for (const size of [WIDE, SMALL]) {
      await page.setViewportSize(size);
      await page.waitForTimeout(100);
      expect(
        await cutOff(page, '.compare-view .toolbar, .compare-view .toolbar *'),
        `at ${size.width}`,
      ).toEqual([]);
    }
    await page.setViewportSize(WIDE);

    // The analyst chooses the new one: compared, as any pair.
    await page.getByTestId('compare-b').selectOption(b2);
    await page.getByTestId('chart-diff-gex').waitFor();
    await poll(() => page.getByTestId('move-total').count()).toBe(1);
    expect(await chosen('compare-a')).toBe(a);
    await expectNoSerious(page, 'attached-live: Compare of the replacement');
    expect(desk.problems).toEqual([]);
  }, 120_000);
});
