// A desk whose own store is empty, with another workstation's export folder attached:
// Compare opens on an attached underlying (it opened blank, its underlying already
// chosen); a file of the folder that cannot be read (a copy still arriving) hides only
// itself: the board, History and Compare show every other snapshot, with a notice naming
// it by its whole path (its base name, `<uuid>.parquet` in folders all called `data`,
// could not be found), wrapped at both window sizes; a snapshot opened whose own file is
// damaged is an error naming that file. Each row, the board's CSV and the open snapshot say
// which folder it comes from (read-only: no Remove… and the header says why). A desk that
// attached the other's per-user folder instead of its data folder is told so, and which
// folder it likely meant (it was an empty board and nothing else). A desk whose attached
// folder is gone (a share not mounted) shows its own rows and the other folder's, the gone
// one named in the same notice (it was the error alone, no row at all).
import { readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, sep } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shortFolder } from '../../renderer/src/text/origin.ts';
import { cleanupDirs, ingestChain, workstation } from '../analytics/helpers.ts';
import type { GeneratedChain } from '../analytics/chains.ts';
import { cboeCsvText, makeChain } from '../fixtures/option-chains.ts';
import {
  cutOff,
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
let theirs: string;
const ids: Record<string, string> = {};

const chain = (underlying: string, asOf: string, seed: number): GeneratedChain => ({
  underlying,
  asOf,
  spot: underlying === 'AMD' ? 160 + seed : 420 + seed,
  expiries: ['2024-04-19', '2024-05-17'],
  strikes: 9,
  seed,
});

/** The export file of `id` in the folder's dataset `under` (its root: strikes; `snapshots`: rows). */
const exportFile = (id: string, under: 'strikes' | 'snapshots'): string =>
  readdirSync(theirs, { recursive: true, encoding: 'utf8' })
    .map((f) => join(theirs, f))
    .find(
      (f) =>
        f.endsWith(`${sep}${id}.parquet`) &&
        f.startsWith(join(theirs, under === 'strikes' ? 'underlying=' : 'snapshots')),
    )!;

/**
 * The notice in `within` names `files` whole, each with what is wrong, as a status (read
 * out), and takes no more than a third of the window: neither it nor the view runs off it.
 */
async function namedInNotice(page: Page, files: string[], view: string, within: string) {
  const notice = page.locator(within).getByTestId('unreadable-notice');
  await poll(() => notice.locator('.unreadable-path').allTextContents()).toEqual(files);
  expect(await notice.getAttribute('role')).toBe('status');
  for (const line of await notice.getByTestId('unreadable-file').allTextContents())
    expect(line).toMatch(
      /cannot be read as Parquet \(copied only in part, or damaged\): copy it again, or remove it \(.+\)$/,
    );
  for (const size of [WIDE, SMALL]) {
    await page.setViewportSize(size);
    await page.waitForTimeout(100);
    expect(
      await cutOff(page, `${within}, ${within} .unreadable-notice, ${within} .unreadable-files li`),
      `${view} at ${size.width}`,
    ).toEqual([]);
    const box = (await notice.boundingBox())!;
    expect(box.y + box.height, `${view} at ${size.width}: the notice in the window`).toBeLessThan(
      size.height,
    );
    expect(box.height, `${view} at ${size.width}: the notice's height`).toBeLessThan(
      size.height / 3,
    );
    await expectNoSerious(page, `attached: ${view} at ${size.width}`);
  }
  await page.setViewportSize(WIDE);
}

/** The error line on screen names `file` whole (where, message, tooltip), and nothing runs off the window. */
async function namesWhole(page: Page, file: string, view: string, within: string): Promise<void> {
  const line = page.locator(within).getByTestId('error-line');
  await poll(() => line.locator('.error-where').textContent()).toBe(file);
  expect(await line.locator('.error-message').textContent()).toContain(`${file}, in an attached`);
  expect(await line.getAttribute('title')).toContain(`BAD_SHAPE: ${file}, in an attached`);
  for (const size of [WIDE, SMALL]) {
    await page.setViewportSize(size);
    await page.waitForTimeout(100);
    expect(
      await cutOff(page, '[data-testid=error-line], .error-where, .error-message'),
      `${view} at ${size.width}`,
    ).toEqual([]);
    await expectNoSerious(page, `attached: ${view} at ${size.width}`);
  }
  await page.setViewportSize(WIDE);
}

describe.skipIf(!haveChromium)('a desk with an attached export folder, its own store empty', () => {
  beforeAll(async () => {
    const ws = await workstation();
    for (const [key, underlying, asOf, seed] of [
      ['amd1', 'AMD', '2024-04-09T10:00:00-04:00', 1],
      ['amd2', 'AMD', '2024-04-10T10:00:00-04:00', 2],
      ['msft1', 'MSFT', '2024-04-09T10:00:00-04:00', 3],
      ['msft2', 'MSFT', '2024-04-10T10:00:00-04:00', 4],
    ] as const)
      ids[key] = (await ingestChain(ws, key, chain(underlying, asOf, seed))).id;
    await ws.store.close();
    // A folder's name with no place to break a line, as a long path may have.
    theirs = join(ws.dir, 'deskBexportsharedreadonlywiththetradingfloorcopiedovernight');
    renameSync(ws.dataDir, theirs);
    desk = await openDesk({ attach: [theirs] });
  }, 120_000);
  afterAll(async () => {
    await desk?.close();
    cleanupDirs();
  }, 60_000);

  it('Compare opens on the first underlying of the board, its latest snapshot against the one before', async () => {
    const { page } = desk;
    await page.goto(`${desk.host.origin}/#/snapshots/compare`);
    await poll(() => page.getByTestId('compare-b').inputValue()).toBe(ids.amd2);
    expect(await page.getByTestId('compare-a').inputValue()).toBe(ids.amd1);
    expect(await page.getByTestId('compare-underlying').inputValue()).toBe('AMD');
    await page.getByTestId('move-total').waitFor();
    expect(page.url()).toBe(`${desk.host.origin}/#/snapshots/compare/${ids.amd1}/${ids.amd2}`);
    await shot(page, 'attached-compare');
    await expectNoSerious(page, 'attached: compare opened on none');
  });

  it("says where each snapshot comes from: the board's rows and CSV, the open snapshot (read-only, so no Remove…)", async () => {
    const { page } = desk;
    const short = shortFolder(theirs);
    expect(short).toBe('…/deskBexport…edovernight');
    const label = `attached: ${short}`;
    await page.goto('about:blank');
    await page.goto(`${desk.host.origin}/#/snapshots`);
    const board = page.getByTestId('levels-board');
    await poll(() => board.getByTestId('levels-row').count()).toBe(2);
    for (const size of [WIDE, SMALL]) {
      await page.setViewportSize(size);
      await poll(() => board.locator('.origin-attached').allTextContents()).toEqual([short, short]);
      expect(await board.locator('.origin-attached').first().getAttribute('title')).toBe(
        `Read-only, from the attached export folder ${theirs}`,
      );
      // The columns are fitted to the new width once it has been laid out.
      await poll(() => cutOff(page, '.levels-row .origin-attached')).toEqual([]);
    }
    await page.setViewportSize(WIDE);
    await shot(page, 'attached-origin-levels');
    await expectNoSerious(page, 'attached: origin on the board');

    // The board's CSV: the origin is the last column, whole.
    const [dl] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('levels-csv').click(),
    ]);
    const lines = readFileSync((await dl.path())!, 'utf8')
      .trim()
      .split(/\r?\n/);
    expect(lines.map((l) => l.split(',').at(-1))).toEqual(['origin', theirs, theirs]);

    // The open snapshot: its folder in the header, read-only, and no Remove… to offer.
    await board.locator('[data-testid=levels-row][data-underlying=AMD]').click();
    const origin = page.getByTestId('snapshot-origin');
    await poll(() => origin.textContent()).toBe(`${label} · read-only`);
    expect(await origin.getAttribute('title')).toContain(theirs);
    expect(await origin.getAttribute('title')).toContain('only reads');
    expect(await page.getByTestId('remove-snapshot').count()).toBe(0);
    // The conventions it was computed under, from its export row.
    const conventions = page.getByTestId('snapshot-conventions');
    expect(await conventions.textContent()).toBe(
      'Conventions: business-262, r 0 %, q 0 %, ×100 (the defaults)',
    );
    expect(await conventions.getAttribute('title')).toContain('"day_count":"business-262"');
    for (const size of [WIDE, SMALL]) {
      await page.setViewportSize(size);
      await page.waitForTimeout(100);
      expect(await cutOff(page, '[data-testid=snapshot-origin]'), `at ${size.width}`).toEqual([]);
      expect(await cutOff(page, '[data-testid=snapshot-conventions]'), `at ${size.width}`).toEqual(
        [],
      );
      await expectNoSerious(page, `attached: origin of the open snapshot at ${size.width}`);
    }
    await page.setViewportSize(WIDE);
    await shot(page, 'attached-origin-snapshot');
    // The next test's board is a new page's (the address alone would keep this board's read).
    await page.goto('about:blank');
  });

  it('shows every snapshot it can read, and names the file it cannot by its whole path, on the board, History and Compare', async () => {
    const { page } = desk;
    // Copies still arriving, in each underlying's latest date folder beside its latest snapshot.
    const copying = join(exportFile(ids.msft2!, 'snapshots'), '..', '0000copying.parquet');
    const amdCopying = join(exportFile(ids.amd2!, 'snapshots'), '..', '0000copying.parquet');
    writeFileSync(copying, 'PAR1 partial');
    writeFileSync(amdCopying, 'PAR1 partial');
    const named = [amdCopying, copying];

    // The board: both underlyings at their latest snapshot, and the notice.
    await page.goto(`${desk.host.origin}/#/snapshots`);
    const board = page.getByTestId('levels-board');
    await poll(() => board.getByTestId('levels-row').count()).toBe(2);
    await board.locator('[data-testid=levels-row][data-underlying=MSFT]').click();
    await poll(() => page.url()).toBe(`${desk.host.origin}/#/snapshots/${ids.msft2}`);
    await namedInNotice(page, named, 'levels board', '[data-testid=levels-board]');
    await shot(page, 'attached-unreadable-levels');

    // History: both MSFT snapshots, drawn.
    await page.goto(`${desk.host.origin}/#/snapshots/history/MSFT`);
    await poll(() => page.getByTestId('history-count').textContent()).toBe('2 snapshots');
    await page.getByTestId('chart-history-levels').waitFor();
    await namedInNotice(page, named, 'history', '[data-testid=history-view]');
    await shot(page, 'attached-unreadable-history');

    // Compare: MSFT's latest against the one before.
    await page.goto(`${desk.host.origin}/#/snapshots/compare/${ids.msft2}`);
    await poll(() => page.getByTestId('compare-a').inputValue()).toBe(ids.msft1);
    await page.getByTestId('move-total').waitFor();
    await namedInNotice(page, named, 'compare', '[data-testid=compare-view]');
    await shot(page, 'attached-unreadable-compare');

    // None named: History and Compare open on the board's first underlying, the file named.
    for (const pane of ['history', 'compare']) {
      await page.goto('about:blank');
      await page.goto(`${desk.host.origin}/#/snapshots/${pane}`);
      await poll(() => page.url()).toContain(
        pane === 'history' ? '/history/AMD' : `/compare/${ids.amd1}/${ids.amd2}`,
      );
      await namedInNotice(page, named, `${pane}, none named`, `[data-testid=${pane}-view]`);
    }

    // Copied in full (here: gone), the notice goes with them.
    rmSync(copying);
    rmSync(amdCopying);
    await page.goto('about:blank');
    await page.goto(`${desk.host.origin}/#/snapshots`);
    await poll(() => board.getByTestId('levels-row').count()).toBe(2);
    await poll(() => page.getByTestId('unreadable-file').count()).toBe(0);
  });

  it('names a damaged file of the snapshot opened by its whole path, wrapped', async () => {
    const { page } = desk;
    const strikes = exportFile(ids.amd1!, 'strikes');
    writeFileSync(strikes, 'not parquet');
    await page.goto(`${desk.host.origin}/#/snapshots/${ids.amd1}`);
    await namesWhole(page, strikes, 'snapshot', '.snapshot-panel');
    await shot(page, 'attached-unreadable-snapshot');
  });
});

describe.skipIf(!haveChromium)('a desk that attached the wrong folder', () => {
  let wrongDesk: Desk;
  let home: string;
  let data: string;
  beforeAll(async () => {
    const ws = await workstation();
    await ingestChain(ws, 'amd', chain('AMD', '2024-04-09T10:00:00-04:00', 5));
    await ws.store.close();
    // The other desk's per-user folder (its database beside data/), not its data folder.
    home = ws.dir;
    data = ws.dataDir;
    wrongDesk = await openDesk({ attach: [home] });
  }, 120_000);
  afterAll(async () => {
    await wrongDesk?.close();
    cleanupDirs();
  }, 60_000);

  it('says the folder holds no export and names the one likely meant, at both sizes', async () => {
    const { page } = wrongDesk;
    await page.goto(`${wrongDesk.host.origin}/#/snapshots`);
    const notice = page.getByTestId('levels-board').getByTestId('unreadable-notice');
    const folder = notice.getByTestId('not-export-folder');
    await poll(() => folder.count()).toBe(1);
    expect(await folder.locator('.unreadable-path').textContent()).toBe(home);
    expect(await folder.locator('.unreadable-message').textContent()).toContain(
      `so no snapshot is read from it; attach ${data} instead, which holds them`,
    );
    expect(await notice.textContent()).toContain('An attached folder is not an export folder');
    expect(await notice.getAttribute('role')).toBe('status');
    expect(await page.getByTestId('levels-board').locator('.empty').textContent()).toBe(
      'No snapshot stored here, and none read from the folder named above.',
    );
    for (const size of [WIDE, SMALL]) {
      await page.setViewportSize(size);
      await poll(() =>
        cutOff(page, '[data-testid=levels-board] .unreadable-notice, .unreadable-files li'),
      ).toEqual([]);
      await expectNoSerious(page, `attached the wrong folder: board at ${size.width}`);
    }
    await page.setViewportSize(WIDE);
    await shot(page, 'attached-wrong-folder');
  });
});

describe.skipIf(!haveChromium)('a desk whose attached folder is gone', () => {
  let goneDesk: Desk;
  let gone: string;
  let other: string;
  beforeAll(async () => {
    const c = await workstation();
    await ingestChain(c, 'nvda', chain('NVDA', '2024-04-09T10:00:00-04:00', 6));
    await c.store.close();
    const b = await workstation();
    await ingestChain(b, 'amd', chain('AMD', '2024-04-09T10:00:00-04:00', 7));
    await b.store.close();
    gone = c.dataDir;
    other = b.dataDir;
    goneDesk = await openDesk({ attach: [gone, other] });
    const spx = cboeCsvText(makeChain({ seed: 8, asOf: '2024-04-09T10:30:00', expiries: 2 }));
    if (!(await ingestText(goneDesk, 'spx.csv', spx))) throw new Error('SPX made no snapshot');
    // The share is unmounted (renamed away) while the desk runs.
    renameSync(gone, `${gone}.away`);
  }, 120_000);
  afterAll(async () => {
    await goneDesk?.close();
    cleanupDirs();
  }, 60_000);

  it("shows this desk's rows and the other folder's, the gone folder named whole, at both sizes", async () => {
    const { page } = goneDesk;
    await page.goto(`${goneDesk.host.origin}/#/snapshots`);
    const board = page.getByTestId('levels-board');
    const rows = board.getByTestId('levels-row');
    await poll(() =>
      rows.all().then((all) => Promise.all(all.map((r) => r.getAttribute('data-underlying')))),
    ).toEqual(['AMD', 'SPX']);
    const notice = board.getByTestId('unreadable-notice');
    const folder = notice.getByTestId('unread-folder');
    await poll(() => folder.count()).toBe(1);
    expect(await folder.locator('.unreadable-path').textContent()).toBe(gone);
    expect(await folder.locator('.unreadable-message').textContent()).toContain(
      'could not be read: it does not exist (a network share not mounted, or the folder renamed or removed)',
    );
    expect(await notice.textContent()).toContain(
      "An attached folder could not be read: its snapshots are left out, this desk's and the other folders' are shown.",
    );
    expect(await notice.getAttribute('role')).toBe('status');
    expect(await board.getByTestId('error-line').count()).toBe(0);
    for (const size of [WIDE, SMALL]) {
      await page.setViewportSize(size);
      await poll(() =>
        cutOff(page, '[data-testid=levels-board] .unreadable-notice, .unreadable-files li'),
      ).toEqual([]);
      await expectNoSerious(page, `attached folder gone: board at ${size.width}`);
    }
    await page.setViewportSize(WIDE);
    await shot(page, 'attached-folder-gone');

    // History of this desk's own underlying: its point, the same notice.
    await page.goto(`${goneDesk.host.origin}/#/snapshots/history/SPX`);
    await poll(() =>
      page
        .getByTestId('unreadable-notice')
        .getByTestId('unread-folder')
        .locator('.unreadable-path')
        .allTextContents(),
    ).toEqual([gone]);
    renameSync(`${gone}.away`, gone);
  });
});
