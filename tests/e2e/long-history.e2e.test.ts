// A desk after weeks of use: more jobs stored than the Queue loads at once (10,000, the
// newest). The status bar's counts (and the Queue tab's waiting and running) are the
// database's, not those of the jobs listed, with thousands separated; the Queue says that it lists the newest, how many are stored and what
// lists them all; a source's override stays in its history however long the trail has
// grown since; a job older than the list still opens, from its address and its trail.
// Before, the bar said "done 4000 failed 6000" for 6,001 of each, and the
// Sources view lost an override's entry once 5,000 newer entries of any kind had come.
import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cboeCsvText, makeChain } from '../fixtures/option-chains.ts';
import {
  axe,
  chainFile,
  goTo,
  haveChromium,
  openDesk,
  pauseQueue,
  poll,
  resumeQueue,
  serious,
  shot,
  SMALL,
  WIDE,
  type Desk,
} from './harness.ts';

let desk: Desk;

describe.skipIf(!haveChromium)('a long history on screen', () => {
  beforeAll(async () => {
    desk = await openDesk();
  }, 120_000);
  afterAll(async () => {
    await desk?.close();
  }, 60_000);

  it('counts ended jobs from the database past the list, and says the list holds the newest', async () => {
    const { page, te } = desk;
    const good = chainFile(desk.fixtures, 'good.csv', 91, { expiries: 1, strikesPerExpiry: 3 });
    const junk = join(desk.fixtures, 'junk.csv');
    writeFileSync(junk, 'not an option chain\n');
    for (const file of [good, junk]) {
      const r = await te.engine.handlers['ingest:submit']({ file, source: 'desk' });
      expect(r.ok).toBe(true);
    }
    await te.engine.drain();
    // Weeks of the same: each job 6,000 times more, submitted earlier (real rows, copied).
    await te.engine.store.run(
      `INSERT INTO jobs BY NAME SELECT j.* EXCLUDE (seq) REPLACE (j.id || '-' || r.k AS id,
         j.request_id || '-' || r.k AS request_id, j.submitted_at - to_minutes(r.k) AS submitted_at) FROM jobs j, range(1, 6001) r(k)`,
    );
    await page.reload();
    await page.getByTestId('queue-view').waitFor();
    await poll(() => page.getByTestId('total-done').textContent()).toBe('6,001');
    await poll(() => page.getByTestId('total-failed').textContent()).toBe('6,001');
    await poll(() => page.getByTestId('jobs-truncated').textContent()).toBe(
      'The newest 10,000 of 12,002 jobs stored are listed, and counted in the tabs; gex-desk jobs lists them all.',
    );
    await page.locator('[data-filter=all]').click();
    await poll(() => page.getByTestId('row-count').textContent()).toBe('10,000 jobs');
    for (const size of [WIDE, SMALL]) {
      await page.setViewportSize(size);
      expect(serious(await axe(page, 'queue: a long history'))).toEqual([]);
    }
    await page.setViewportSize(WIDE);
    await shot(page, 'queue-long-history');
    expect(desk.problems).toEqual([]);
  }, 120_000);

  it('opens a job older than the newest listed, from its address and its trail', async () => {
    const { page, te } = desk;
    const all = await te.engine.handlers['jobs:list']({ limit: 100_000 });
    if (!all.ok) throw new Error(all.error.message);
    const oldest = all.value.at(-1)!;
    // A bookmark to it: the page loads the newest 10,000, which leave it out.
    await page.evaluate(`location.hash = '#/queue/job/${oldest.id}'`);
    await page.reload();
    const drawer = page.getByTestId('job-drawer');
    await poll(() => drawer.locator('#drawer-title').textContent()).toBe(basename(oldest.file));
    // Its request's trail names the job and opens it.
    await page.evaluate(`location.hash = '#/audit/${oldest.request_id}'`);
    await page.getByRole('button', { name: 'Open the job ›' }).click();
    await poll(() => page.evaluate('location.hash')).toBe(`#/queue/job/${oldest.id}`);
    await drawer.waitFor();
    // A job the engine does not have is said, not shown as nothing (an id's shape, which is
    // asked: a text shaped otherwise is not, address-job-id).
    await page.evaluate(`location.hash = '#/queue/job/0bad0bad-0000'`);
    await poll(() => page.getByTestId('open-job-error').textContent()).toContain(
      'There is no job 0bad0bad-0000.',
    );
    await shot(page, 'queue-no-such-job');
    for (const size of [WIDE, SMALL]) {
      await page.setViewportSize(size);
      expect(serious(await axe(page, 'queue: no such job'))).toEqual([]);
    }
    expect(desk.problems).toEqual([]);
  }, 120_000);

  it('counts the jobs waiting past the newest listed', async () => {
    const { page, te } = desk;
    await pauseQueue(page);
    for (let k = 0; k < 3; k++) {
      const file = chainFile(desk.fixtures, `left-${k}.csv`, 95 + k, {
        expiries: 1,
        strikesPerExpiry: 3,
      });
      const r = await te.engine.handlers['ingest:submit']({ file, source: 'desk' });
      expect(r.ok && r.value.status).toBe('queued');
    }
    // A busy day since: 10,000 newer jobs (real rows, copied), so the list leaves them out.
    await te.engine.store.run(
      `INSERT INTO jobs BY NAME SELECT j.* EXCLUDE (seq) REPLACE (j.id || '-n' || r.k AS id,
         j.request_id || '-n' || r.k AS request_id, now() + to_seconds(r.k) AS submitted_at,
         'completed' AS status)
       FROM (SELECT * FROM jobs LIMIT 1) j, range(1, 10001) r(k)`,
    );
    await page.reload();
    await page.getByTestId('queue-view').waitFor();
    await poll(() => page.getByTestId('total-queued').textContent()).toBe('3');
    expect(await page.locator('[data-view=queue] .tab-count').textContent()).toBe('3');
    // The paused banner counts them too (it said "0 waiting": it counted the list only).
    expect(await page.getByTestId('paused-banner').textContent()).toMatch(/^Paused — 3 waiting\./);
    await resumeQueue(page);
    expect(desk.problems).toEqual([]);
  }, 120_000);

  it('keeps a source override in its history however many entries the trail has since', async () => {
    const { page, te } = desk;
    const set = await te.engine.handlers['sources:set']({
      id: 'desk',
      reliability: 0.3,
      justification: 'vendor feed replayed stale quotes',
      author: 'e2e analyst',
    });
    expect(set.ok).toBe(true);
    // A few bursts later: thousands of entries of other kinds (real rows, copied).
    await te.engine.store.run(
      `INSERT INTO audit_log BY NAME SELECT a.* EXCLUDE (id) REPLACE (a.recorded_at - to_seconds(r.k % 7) AS recorded_at)
         FROM audit_log a, range(1, 3001) r(k) WHERE a.kind <> 'source'`,
    );
    await page.reload();
    await page.evaluate(`location.hash = '#/sources'`);
    const row = page.locator('[data-testid=source-row][data-source=desk]');
    await row.waitFor();
    await poll(() => row.getByTestId('source-audit').textContent()).toBe('1 change ›');
    expect(await row.getByTestId('override').textContent()).toContain(
      'vendor feed replayed stale quotes',
    );
    // The audit trail on the kind `source` finds it too, under 30,000 newer entries.
    await page.evaluate(`location.hash = '#/audit'`);
    await page.getByTestId('audit-view').waitFor();
    await page.locator('.chip[data-kind=source]').click();
    await poll(() => page.getByTestId('audit-count').textContent()).toBe('1 entry');
    expect(await page.locator('.audit-row').allTextContents()).toEqual([
      expect.stringContaining('vendor feed replayed stale quotes'),
    ]);
    await page.locator('.chip[data-kind=source]').click();
    await poll(() => page.getByTestId('audit-count').textContent()).toBe(
      'newest 1,000 loaded, more below',
    );
    // Newest first by when each happened, whatever order they were recorded in (the
    // copies were recorded last, and happened first).
    const times = await page
      .locator('.audit-row [role=cell].td-at')
      .evaluateAll((cells) => cells.map((c) => (c as unknown as { title: string }).title));
    expect(times.length).toBeGreaterThan(5);
    expect(times).toEqual([...times].sort().reverse());
    expect(desk.problems).toEqual([]);
  }, 120_000);

  it('says how many wait in the paused banner with thousands separated, as every count', async () => {
    const { page, te } = desk;
    await goTo(page, 'queue');
    await pauseQueue(page);
    const dir = join(desk.fixtures, 'waiting');
    mkdirSync(dir);
    const files = Array.from({ length: 1000 }, (_, i) => {
      const path = join(dir, `w${i}.csv`);
      writeFileSync(
        path,
        cboeCsvText(makeChain({ seed: 5000 + i, expiries: 1, strikesPerExpiry: 2 })),
      );
      return path;
    });
    let next = 0;
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        while (next < files.length) {
          const file = files[next++]!;
          const r = await te.engine.handlers['ingest:submit']({ file, source: 'desk' });
          expect(r.ok && r.value.status).toBe('queued');
        }
      }),
    );
    await poll(() => page.getByTestId('total-queued').textContent()).toBe('1,000');
    // It said "Paused — 1000 waiting" beside the status bar's "1,000".
    expect(await page.getByTestId('paused-banner').textContent()).toMatch(
      /^Paused — 1,000 waiting\./,
    );
    // They stay waiting: the desk closes next.
    expect(desk.problems).toEqual([]);
  }, 120_000);
});
