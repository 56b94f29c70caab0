// The status bar while files' facts are read, in real Chromium against the real engine and
// browser host. A request the rules cannot decide at its arrival waits for a worker to read
// its file's facts; during such reads the bar said "0/1 (+1)" — nothing busy — while the
// analyst's files stayed "deciding", and nothing said why. The bar now counts a read on a
// worker as busy and says the files waiting for their level beside it ("reading 1 of 3
// files"), why in its title, whole at 1024×700. The engine's reads are held at their end
// (tests/intake/held-reads.ts) so that the bar is looked at while they are under way.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { newYorkTime } from '../system/bursts/chains.ts';
import { heldReads, type HeldReads } from '../intake/held-reads.ts';
import {
  SHOTS,
  SMALL,
  WIDE,
  chainFile,
  cutOff,
  expectNoSerious,
  goTo,
  haveChromium,
  jobRow,
  openDesk,
  pauseQueue,
  poll,
  queueFile,
  resumeQueue,
  shot,
  type Desk,
} from './harness.ts';

let desk: Desk;
let page: Page;
let reads: HeldReads;

const names = ['reads-spy.csv', 'reads-qqq.csv', 'reads-iwm.csv'];
const bar = () => page.getByTestId('statusbar');
const workers = () => page.getByTestId('status-workers');
const readsItem = () => page.getByTestId('status-reads');
/** The words shown (the title's sentence is there for a screen reader too). */
const readsText = () => page.getByTestId('status-reads-text').textContent();

describe.skipIf(!haveChromium)('the status bar while files’ facts are read', () => {
  beforeAll(async () => {
    reads = heldReads(1);
    desk = await openDesk({ workers: 1, pool: reads.pool });
    page = desk.page;
    await goTo(page, 'queue');
  }, 180_000);
  afterAll(async () => {
    reads?.release();
    await desk?.close();
  });

  it('says the files waiting for their read, and counts the reads on workers as busy', async () => {
    await pauseQueue(page);
    // Fresh files of their own underlyings: the rules need their facts to give a level.
    const asOf = newYorkTime(Date.now()).wall;
    for (const [i, name] of names.entries())
      await queueFile(
        desk,
        chainFile(desk.fixtures, name, 70 + i, {
          asOf,
          underlying: ['SPY', 'QQQ', 'IWM'][i],
          expiries: 2,
          strikesPerExpiry: 6,
        }),
      );
    for (const name of names)
      await poll(() => jobRow(page, name).getAttribute('data-status')).toBe('deciding');
    // Paused: none read, all three to read; no worker busy.
    await poll(readsText).toBe('3 files to read');
    expect(await workers().textContent()).toBe('0/1 (+1)');

    await resumeQueue(page);
    // The set worker reads one file (a read that could be CRITICAL may take the spare too).
    // Both reads start at the resume; each is held once its worker has read the file.
    const busyWith = (n: number) => (n === 1 ? '1/1 (+1)' : '1/1 (+1 busy)');
    const shown = async () => [await readsText(), await workers().textContent()];
    const wanted = () => [`reading ${reads.held()} of 3 files`, busyWith(reads.held())];
    await poll(() => reads.held()).toBeGreaterThan(0);
    await poll(async () => JSON.stringify(await shown()) === JSON.stringify(wanted())).toBe(true);
    await page.waitForTimeout(1500);
    const held = reads.held();
    // Busy: the reads hold workers, though no job runs (it read "0/1 (+1)").
    await poll(shown).toEqual([`reading ${held} of 3 files`, busyWith(held)]);
    expect(await page.getByTestId('status-workers-label').getAttribute('title')).toBe(
      "Workers computing a job or reading a file's facts now, of the 1 set by --workers (or the workers setting); (+1): the 1 spare kept for CRITICAL work only",
    );
    const title = await readsItem().getAttribute('title');
    expect(title).toBe(
      `3 files wait for their level: a file's facts (open interest, volume, GEX change) are read by a worker before the rules can give its level. ${held} being read now; ${3 - held} waiting for a worker, or for an earlier file of ${3 - held === 1 ? 'its' : 'their'} underlying to be read first. Their jobs show as deciding in the Queue.`,
    );
    // A screen reader hears why, not only the figure.
    const heard = await bar().ariaSnapshot();
    expect(heard).toContain(
      `workers busy ${await workers().textContent()} reading ${held} of 3 files`,
    );
    expect(heard).toContain(`: ${title}`);

    // Whole at 1024×700, nothing past the bar's edge.
    await page.setViewportSize(SMALL);
    const items =
      '.statusbar > :not(.path):not(.sep):not(.spacer):not(.dot), .statusbar .status-link > :not(.path)';
    await poll(() => cutOff(page, items)).toEqual([]);
    expect(
      await page.evaluate(
        `(() => { const b = document.querySelector('.statusbar'); return b.scrollWidth - b.clientWidth; })()`,
      ),
    ).toBe(0);
    await page.screenshot({
      path: join(SHOTS, 'facts-reads-statusbar@1024.png'),
      clip: { x: 0, y: 670, width: 1024, height: 30 },
    });
    await page.setViewportSize(WIDE);
    await page.screenshot({
      path: join(SHOTS, 'facts-reads-statusbar.png'),
      clip: { x: 0, y: 870, width: 1440, height: 30 },
    });
    await shot(page, 'facts-reads');
    await expectNoSerious(page, 'status bar: facts reads');

    // The reads done: the files decided and computed, the bar says nothing of reads.
    reads.release();
    await desk.te.engine.drain();
    await poll(() => page.locator('[data-testid=job-row][data-status=deciding]').count()).toBe(0);
    await poll(() => readsItem().count()).toBe(0);
    await poll(() => workers().textContent()).toBe('0/1 (+1)');
  });
});
