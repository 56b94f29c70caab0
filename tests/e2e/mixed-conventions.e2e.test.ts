// Snapshots of one underlying computed under different conventions (another desk's export
// folder attached: one under act-365 at 5 %, one under the defaults, one stored before
// conventions were recorded): Compare says A and B were computed under other conventions
// and which, or that B's were not recorded; History says its points span two sets, marks
// the change on its charts, and says which were not recorded; the levels board says which
// underlyings' latest were computed under which set. Readable at 1024 px.
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import pl from 'nodejs-polars';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportFilesOf } from '../../electron/engine/export-layout.ts';
import { runPipeline } from '../../electron/engine/pipeline/index.ts';
import { saveSnapshot } from '../../electron/engine/store/snapshots.ts';
import { writeChain } from '../analytics/chains.ts';
import { cleanupDirs, workstation } from '../analytics/helpers.ts';
import { conventions } from '../pipeline/helpers.ts';
import {
  cutOff,
  expectNoSerious,
  haveChromium,
  openDesk,
  poll,
  shot,
  SMALL,
  WIDE,
  type Desk,
} from './harness.ts';

let desk: Desk;
const ids: string[] = [];
const AS_OF = [
  '2024-04-09T10:00:00-04:00',
  '2024-04-10T10:00:00-04:00',
  '2024-04-11T10:00:00-04:00',
];

describe.skipIf(!haveChromium)('snapshots under different conventions side by side', () => {
  beforeAll(async () => {
    const ws = await workstation();
    for (const [i, asOf] of AS_OF.entries()) {
      const file = join(ws.dir, `qmx${i}.csv`);
      writeChain(file, {
        underlying: 'QMX',
        asOf,
        spot: 420 + i,
        expiries: ['2024-04-19', '2024-05-17'],
        strikes: 9,
        seed: i + 1,
      });
      const run = await runPipeline({
        file,
        dataDir: ws.dataDir,
        snapshotId: randomUUID(),
        conventions: i === 0 ? conventions({ day_count: 'act-365', rate: 0.05 }) : conventions(),
      });
      if (!run.ok) throw new Error(run.error.message);
      ids.push(
        (await saveSnapshot(ws.store, run.value, { request_id: null, job_id: null })).snapshot.id,
      );
      // The third as a desk wrote it before conventions were recorded.
      if (i === 2) {
        const row = exportFilesOf(run.value.strikesParquet).snapshot;
        pl.readParquet(row).drop('conventions').writeParquet(row);
      }
    }
    // Another underlying under act-365 at 5 %, and one under the defaults: the board's
    // latest snapshots span two sets (QMX's latest not recorded).
    for (const [underlying, c, seed] of [
      ['QMY', conventions({ day_count: 'act-365', rate: 0.05 }), 7],
      ['QMZ', conventions(), 8],
    ] as const) {
      const file = join(ws.dir, `${underlying}.csv`);
      writeChain(file, {
        underlying,
        asOf: AS_OF[0]!,
        spot: 300,
        expiries: ['2024-04-19'],
        strikes: 7,
        seed,
      });
      const run = await runPipeline({
        file,
        dataDir: ws.dataDir,
        snapshotId: randomUUID(),
        conventions: c,
      });
      if (!run.ok) throw new Error(run.error.message);
      await saveSnapshot(ws.store, run.value, { request_id: null, job_id: null });
    }
    await ws.store.close();
    desk = await openDesk({ attach: [ws.dataDir] });
  }, 120_000);
  afterAll(async () => {
    await desk?.close();
    cleanupDirs();
  }, 60_000);

  /** The note in `view` is whole at both sizes, in the window, and passes axe. */
  async function readable(testId: string, view: string): Promise<void> {
    const { page } = desk;
    for (const size of [WIDE, SMALL]) {
      await page.setViewportSize(size);
      await page.waitForTimeout(100);
      expect(
        await cutOff(page, `[data-testid=${testId}], [data-testid=${testId}] p`),
        `${view} at ${size.width}`,
      ).toEqual([]);
      const box = (await page.getByTestId(testId).boundingBox())!;
      expect(box.y + box.height, `${view} at ${size.width}`).toBeLessThan(size.height);
      await expectNoSerious(page, `conventions: ${view} at ${size.width}`);
    }
    await page.setViewportSize(WIDE);
  }

  it('Compare says A and B were computed under other conventions, and which', async () => {
    const { page } = desk;
    await page.goto(`${desk.host.origin}/#/snapshots/compare/${ids[0]}/${ids[1]}`);
    await page.getByTestId('move-total').waitFor();
    const note = page.getByTestId('compare-conventions');
    await poll(() => note.textContent()).toBe(
      'A and B were computed under different conventions (day count act-365 → business-262, ' +
        "rate 5 % → 0 %): their moves include that change, not only the market's.",
    );
    expect(await note.getAttribute('role')).toBe('note');
    await readable('compare-conventions', 'compare');
    await shot(page, 'compare-conventions-differ');
  });

  it('Compare with B not recorded says so, and claims no difference', async () => {
    const { page } = desk;
    await page.goto(`${desk.host.origin}/#/snapshots/compare/${ids[1]}/${ids[2]}`);
    await poll(() => page.getByTestId('compare-b').inputValue()).toBe(ids[2]);
    await page.getByTestId('move-total').waitFor();
    const note = page.getByTestId('compare-conventions');
    await poll(() => note.textContent()).toMatch(/^The conventions of B were not recorded/);
    expect(await note.textContent()).not.toContain('different conventions');
    await shot(page, 'compare-conventions-not-recorded');
  });

  it('History says its points span two sets, marks the change, and names those not recorded', async () => {
    const { page } = desk;
    await page.goto(`${desk.host.origin}/#/snapshots/history/QMX`);
    await poll(() => page.getByTestId('history-count').textContent()).toBe('3 snapshots');
    const notes = page.getByTestId('history-conventions').locator('p');
    await poll(() => notes.allTextContents()).toEqual([
      `These snapshots were computed under 2 sets of conventions — from 2024-04-10 10:00:00 UTC−4: day count ` +
        "act-365 → business-262, rate 5 % → 0 %: a move across a change includes it, not only the market's.",
      'The conventions of 1 of these 3 snapshots were not recorded (stored before GEX Desk ' +
        'recorded them): whether they were computed like the others is not known.',
    ]);
    for (const chart of ['chart-history-levels', 'chart-history-totals'])
      expect(
        await page.getByTestId(`${chart}-markers`).locator('li[data-marker=conventions]').count(),
        chart,
      ).toBe(1);
    await readable('history-conventions', 'history');
    await shot(page, 'history-conventions');
  });

  it('the levels board says which underlyings were computed under which set, and which not recorded', async () => {
    const { page } = desk;
    await page.goto(`${desk.host.origin}/#/snapshots`);
    const board = page.getByTestId('levels-board');
    await poll(() => board.getByTestId('levels-row').count()).toBe(3);
    await poll(() =>
      board.getByTestId('levels-conventions').locator('p').allTextContents(),
    ).toEqual([
      'These snapshots were computed under 2 sets of conventions — QMY: act-365, r 5 %, q 0 %, ' +
        '×100 (not the defaults); QMZ: business-262, r 0 %, q 0 %, ×100 (the defaults): their ' +
        'figures do not compare one to one.',
      'The conventions of QMX were not recorded (stored before GEX Desk recorded them).',
    ]);
    await readable('levels-conventions', 'levels board');
    await shot(page, 'levels-conventions');
    // Beside an open snapshot (the board compact): still whole.
    await board.locator('[data-testid=levels-row][data-underlying=QMZ]').click();
    await page.getByTestId('snapshot-detail').waitFor();
    await readable('levels-conventions', 'levels board beside a snapshot');
    await shot(page, 'levels-conventions-open');
  });

  it('the same conventions say nothing', async () => {
    const { page } = desk;
    await page.goto(`${desk.host.origin}/#/snapshots/compare/${ids[1]}/${ids[1]}`);
    await page.getByTestId('move-total').waitFor();
    expect(await page.getByTestId('compare-conventions').count()).toBe(0);
    expect(desk.problems).toEqual([]);
  });
});
