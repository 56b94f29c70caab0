// An analyst's day in real Chromium against the real engine through the browser host
// (issue 14): quality visible wherever a snapshot shows, a job's drawer (click or
// Enter) with a clean error and Retry only where it helps, the audit trail as one
// timeline per request, addresses that survive a reload, the status bar in step
// with the views, level targets from the active rules updating live, a tab without
// the token that says so, and no serious or critical axe-core violation in any view.
// Screenshots of each state at 1440×900 and 1024×700 go to test-results/screenshots/.
import { readdirSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Page } from 'playwright-core';
import {
  axe,
  chainFile,
  CHROMIUM,
  goTo,
  haveChromium,
  openDesk,
  pauseQueue,
  poll,
  resumeQueue,
  serious,
  shot,
  submission,
  submitFile,
  until,
  type Desk,
  expectNoSerious,
} from './harness.ts';
import { writeUndatedJson } from '../fixtures/option-chains.ts';

let desk: Desk;
let page: Page;

const jobs = async () => {
  const r = await desk.te.engine.handlers['jobs:list']({ limit: 1000 });
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
};
// An upload's job is named by the file's own name (no folder), one given by path by its path.
const jobOf = async (name: string) =>
  (await jobs()).find((j) => j.file === name || j.file.endsWith(`/${name}`));
const row = (name: string) => page.locator('[data-testid=job-row]', { hasText: name });

describe.skipIf(!haveChromium)('an analyst’s day', () => {
  beforeAll(async () => {
    desk = await openDesk({ workers: 1 });
    page = desk.page;
    const f = desk.fixtures;
    // A good chain, one computed from 3 % of its rows (the rest expired), and junk.
    await submitFile(
      page,
      chainFile(f, 'spx_good.csv', 21, { expiries: 12, strikesPerExpiry: 60 }),
      'spx_good.csv',
    );
    await submitFile(
      page,
      chainFile(f, 'ndx_expired.csv', 22, {
        underlying: 'NDX',
        spot: 16800,
        expiries: 1,
        expiredExpiries: 30,
        strikesPerExpiry: 40,
      }),
      'ndx_expired.csv',
    );
    const junk = join(f, 'junk.csv');
    writeFileSync(junk, 'this is not,an option chain\nhello,world\n');
    await submitFile(page, junk, 'junk.csv');
    for (const name of ['spx_good.csv', 'ndx_expired.csv']) {
      await until(
        () => submission(page, name).getAttribute('data-status'),
        (s) => s === 'completed',
        `${name} to complete`,
      );
    }
    await until(
      () => submission(page, 'junk.csv').getAttribute('data-status'),
      (s) => s === 'failed',
      'junk.csv to fail',
    );
  }, 240_000);

  afterAll(async () => {
    await desk?.close();
  });

  it('marks a snapshot under the quality threshold everywhere, with the reason', async () => {
    const low = submission(page, 'ndx_expired.csv').getByTestId('quality');
    await poll(() => low.getAttribute('data-below')).toBe('true');
    expect(await low.textContent()).toMatch(/^\d+\.\d % ?low quality.*dropped: expired expiries/);
    expect(
      await submission(page, 'spx_good.csv').getByTestId('quality').getAttribute('data-below'),
    ).toBe('false');
    await shot(page, 'quality-submissions');

    await goTo(page, 'queue');
    await page.locator('[data-filter=all]').click();
    await poll(() => row('ndx_expired.csv').getByTestId('quality').getAttribute('data-below')).toBe(
      'true',
    );
    expect(await row('ndx_expired.csv').getByTestId('quality').getAttribute('title')).toMatch(
      /: \d+ of [\d,]+ rows used; \d+\.\d % dropped: expired expiries; below your 80 % threshold$/,
    );
    await shot(page, 'queue-all');
    await expectNoSerious(page, 'queue: all jobs');

    await goTo(page, 'snapshots');
    // The levels board comes first; every snapshot, with its quality, is one pane away.
    await page.getByTestId('levels-board').waitFor();
    await page.locator('[data-pane=list]').click();
    const snapRow = page.locator('[data-testid=snapshot-row]', { hasText: 'NDX' });
    expect(await snapRow.getByTestId('quality').getAttribute('data-below')).toBe('true');
    // The threshold is the analyst's: under 2 % nothing here is marked, and it stays so after a reload.
    await page.getByTestId('quality-threshold').fill('2');
    await poll(() => snapRow.getByTestId('quality').getAttribute('data-below')).toBe('false');
    await page.reload();
    await poll(() => page.getByTestId('quality-threshold').inputValue()).toBe('2');
    await page.getByTestId('quality-threshold').fill('80');
    await poll(() => snapRow.getByTestId('quality').getAttribute('data-below')).toBe('true');
  });

  it('opens a job’s drawer from its row with the whole story, and no retry where it cannot help', async () => {
    await goTo(page, 'queue');
    await page.locator('[data-filter=all]').click();
    await row('junk.csv').click();
    const drawer = page.getByTestId('job-drawer');
    await drawer.waitFor();
    expect(page.url()).toMatch(/#\/queue\/job\/[0-9a-f-]{36}$/);
    expect(await drawer.locator('h2').textContent()).toBe('junk.csv');
    const error = await drawer.getByTestId('error-line').textContent();
    expect(error).toContain('UNKNOWN_FORMAT');
    expect(error).toContain('junk.csv');
    // Never a folder of the app's own (its uploads, staging or data folder).
    for (const text of [error, await row('junk.csv').textContent(), await drawer.textContent()]) {
      expect(text).not.toContain(desk.te.dir);
      expect(text).not.toContain('.uploads');
    }
    // Refused at arrival, before any rule: it has no level, and a level chip does not pick it.
    expect(await drawer.getByTestId('level-undecided').textContent()).toBe('not decided');
    expect(await row('junk.csv').getByTestId('level-undecided').count()).toBe(1);
    expect(await drawer.getByTestId('drawer-retry').count()).toBe(0);
    expect(await drawer.getByTestId('no-retry').textContent()).toContain(
      'UNKNOWN_FORMAT is a problem of the file itself',
    );
    expect(await row('junk.csv').getByRole('button', { name: /Retry/ }).count()).toBe(0);
    await shot(page, 'drawer-failed');
    await expectNoSerious(page, 'queue: drawer of a failed job');

    // From the keyboard: the row is a Tab stop, the arrows move, Enter opens, Escape closes.
    await drawer.getByRole('button', { name: 'Close the job details' }).click();
    await drawer.waitFor({ state: 'detached' });
    const low = page.locator('.chip', { hasText: 'LOW' });
    await low.click();
    await poll(() => row('junk.csv').count()).toBe(0);
    await low.click();
    await row('junk.csv').waitFor();
    const good = row('spx_good.csv');
    await good.focus();
    await page.keyboard.press('Enter');
    await drawer.waitFor();
    expect(await drawer.locator('h2').textContent()).toBe('spx_good.csv');
    const text = (await drawer.textContent()) ?? '';
    expect(text).toMatch(/As of2024-01-08 10:30:00 UTC−5/);
    expect(text).toContain('target 2 h');
    await poll(() => drawer.getByTestId('timeline-entry').count()).toBeGreaterThan(0);
    await drawer.locator('table.facts-table').waitFor();
    // Stale data is decided at arrival: the facts it did not need are named as such.
    const facts = (await drawer.locator('table.facts-table').textContent()) ?? '';
    expect(facts).toContain('freshness');
    expect(facts).toMatch(/total_open_interestnot needed: decided before the file was read/);
    await shot(page, 'drawer-completed');
    await page.keyboard.press('Escape');
    await drawer.waitFor({ state: 'detached' });
    // The focus is back on the row that opened it, not on the page.
    const focused = () => page.evaluate('document.activeElement?.dataset?.rowIndex');
    await poll(focused).toBe(await good.getAttribute('data-row-index'));
    await page.keyboard.press('Home');
    await poll(focused).toBe('0');
    await page.keyboard.press('ArrowDown');
    await poll(focused).toBe('1');
    await page.keyboard.press('End');
    await poll(focused).toBe(String((await page.getByTestId('job-row').count()) - 1));

    // The snapshot is one click away, and its address is the snapshot's.
    await good.click();
    await drawer.getByTestId('drawer-snapshot').click();
    await page.getByTestId('snapshot-detail').waitFor();
    const spx = (await jobOf('spx_good.csv'))!;
    expect(page.url()).toContain(`#/snapshots/${spx.snapshot_id}`);
  });

  it('closes the drawer when the filter hides its job', async () => {
    await goTo(page, 'queue');
    await page.locator('[data-filter=all]').click();
    await row('junk.csv').click();
    await page.getByTestId('job-drawer').waitFor();
    await page.locator('[data-filter=completed]').click();
    await page.getByTestId('job-drawer').waitFor({ state: 'detached' });
    expect(page.url()).toMatch(/#\/queue$/);
  });

  it('counts a level’s oldest wait on each second with the waiting job’s row', async () => {
    await goTo(page, 'queue');
    await page.locator('[data-filter=active]').click();
    await pauseQueue(page);
    const file = chainFile(desk.fixtures, 'spx_waits.csv', 24, {
      expiries: 4,
      strikesPerExpiry: 20,
    });
    const ack = await desk.te.engine.handlers['ingest:submit']({ file, source: 'e2e' });
    if (!ack.ok) throw new Error(ack.error.message);
    await poll(() => row('spx_waits.csv').getAttribute('data-status')).toBe('queued');
    const level = (await row('spx_waits.csv').getAttribute('data-level'))!;
    try {
      // Once the statistics have counted it (they come every 2 s), the row and its level's
      // card are read together, four times a second, for five seconds: the figures must
      // agree and not stand still between two statistics.
      await poll(() => page.getByTestId(`waiting-${level}`).textContent()).toBe('1');
      const pairs: [string, string][] = [];
      for (let i = 0; i < 20; i++) {
        pairs.push(
          await page.evaluate<[string, string]>(`(() => {
            const row = [...document.querySelectorAll('[data-testid=job-row]')]
              .find((r) => r.textContent.includes('spx_waits.csv'));
            const card = document.querySelector('[data-testid=level-${level}] .fig.dur');
            return [row?.querySelector('.td-wait')?.textContent ?? '', card?.textContent ?? ''];
          })()`),
        );
        await page.waitForTimeout(250);
      }
      expect(pairs.filter(([r, c]) => r !== c)).toEqual([]);
      expect(new Set(pairs.map(([r]) => r)).size).toBeGreaterThanOrEqual(4);
    } finally {
      await desk.te.engine.handlers['jobs:cancel']({ id: ack.value.job_id! });
      await resumeQueue(page);
    }
    expect((await jobOf('spx_waits.csv'))?.status).toBe('cancelled');
  });

  // A retry runs the bytes captured at arrival. Once they are gone (retention passed, a
  // full disk let them go, someone cleared the folder) the drawer offered Retry anyway and
  // the engine then refused it; it now says why and offers none.
  it('offers no Retry for a cancelled job whose captured bytes are gone, and says why', async () => {
    await goTo(page, 'queue');
    await pauseQueue(page);
    const file = chainFile(desk.fixtures, 'spx_gone.csv', 29, {
      expiries: 4,
      strikesPerExpiry: 20,
    });
    const ack = await desk.te.engine.handlers['ingest:submit']({ file, source: 'e2e' });
    if (!ack.ok) throw new Error(ack.error.message);
    await desk.te.engine.handlers['jobs:cancel']({ id: ack.value.job_id! });
    await resumeQueue(page);
    await page.locator('[data-filter=cancelled]').click();
    await row('spx_gone.csv').click();
    const drawer = page.getByTestId('job-drawer');
    await drawer.getByTestId('drawer-retry').waitFor();
    await drawer.getByRole('button', { name: 'Close the job details' }).click();
    await drawer.waitFor({ state: 'detached' });
    const hash = (await jobOf('spx_gone.csv'))!.content_hash!;
    const dataDir = desk.te.engine.config.dataDir;
    const staged = readdirSync(dataDir, { recursive: true, encoding: 'utf8' }).filter(
      (p) => basename(p) === hash,
    );
    expect(staged).toHaveLength(1);
    rmSync(join(dataDir, staged[0]!));
    await row('spx_gone.csv').click();
    await poll(() => drawer.getByTestId('no-retry').textContent()).toBe(
      "A retry is not offered: it runs the bytes captured when spx_gone.csv arrived, and they are no longer kept (an ended job keeps them for keepStagedHours, 72 by default; 0 keeps none; a full disk lets go of those of a job that failed on its file's content, or whose content is stored already). Submit the file again.",
    );
    expect(await drawer.getByTestId('drawer-retry').count()).toBe(0);
    await page.keyboard.press('Escape');
    await page.locator('[data-filter=all]').click();
  });

  it('retries a cancelled job from its drawer and says so, each change by the analyst named', async () => {
    await goTo(page, 'queue');
    // The name the analyst gave in a dialog of this profile.
    await page.evaluate(`localStorage.setItem('gex-desk.author', 'e2e-analyst')`);
    await page.locator('[data-filter=active]').click();
    await pauseQueue(page);
    const file = chainFile(desk.fixtures, 'spx_later.csv', 23, {
      expiries: 8,
      strikesPerExpiry: 40,
    });
    const ack = await desk.te.engine.handlers['ingest:submit']({ file, source: 'e2e' });
    if (!ack.ok) throw new Error(ack.error.message);
    await row('spx_later.csv').getByTestId('cancel-job').click();
    await poll(async () => (await jobOf('spx_later.csv'))?.status).toBe('cancelled');
    await resumeQueue(page);
    await page.locator('[data-filter=cancelled]').click();
    await row('spx_later.csv').click();
    const drawer = page.getByTestId('job-drawer');
    // A cancel is no error: neutral, not red.
    expect(await row('spx_later.csv').locator('.status').getAttribute('class')).toBe(
      'status status-cancelled',
    );
    await drawer.getByTestId('drawer-retry').click();
    await poll(() => drawer.getByTestId('drawer-feedback').textContent()).toBe(
      'Retry requested: the job is queued again.',
    );
    await expect
      .poll(async () => (await jobOf('spx_later.csv'))?.status, { timeout: 60_000 })
      .toBe('completed');
    await shot(page, 'drawer-retried');
    // The trail names who cancelled it and who retried it.
    const job = (await jobOf('spx_later.csv'))!;
    const trail = await desk.te.engine.handlers['audit:list']({
      request_id: job.request_id,
      order: 'oldest',
      limit: 500,
    });
    if (!trail.ok) throw new Error(trail.error.message);
    const by = (kind: string) => trail.value.filter((e) => e.kind === kind).map((e) => e.actor);
    expect([by('cancelled'), by('retried')]).toEqual([['e2e-analyst'], ['e2e-analyst']]);
    // Another job's drawer says nothing of this one's retry.
    await page.locator('[data-filter=all]').click();
    await row('spx_good.csv').click();
    await poll(() => drawer.locator('h2').textContent()).toBe('spx_good.csv');
    expect(await drawer.getByTestId('drawer-feedback').textContent()).toBe('');
    await page.keyboard.press('Escape');
    // The search reads what the rows show: a file's name, not the folder it lies in.
    const search = page.getByLabel('Filter jobs by file, underlying, source, rule or id');
    await search.fill(basename(desk.fixtures));
    await poll(() => page.locator('[data-testid=job-row]').count()).toBe(0);
    await search.fill('spx_good');
    await poll(() => page.locator('[data-testid=job-row]').count()).toBe(1);
    await search.fill('');
  });

  it('shows no level for a request its facts read refused: the rules never gave it one', async () => {
    await goTo(page, 'queue');
    const file = join(desk.fixtures, 'no_time.json');
    writeUndatedJson(file);
    const ack = await desk.te.engine.handlers['ingest:submit']({ file, source: 'e2e' });
    if (!ack.ok) throw new Error(ack.error.message);
    await expect
      .poll(async () => (await jobOf('no_time.json'))?.status, { timeout: 60_000 })
      .toBe('failed');
    expect(await jobOf('no_time.json')).toMatchObject({ priority: 'CRITICAL', rule: 'deciding' });
    await page.locator('[data-filter=failed]').click();
    expect(await row('no_time.json').getByTestId('level-undecided').textContent()).toBe(
      'not decided',
    );
    expect(await row('no_time.json').locator('.level').count()).toBe(0);
    await row('no_time.json').click();
    const drawer = page.getByTestId('job-drawer');
    expect(await drawer.getByTestId('level-undecided').textContent()).toBe('not decided');
    expect(await drawer.getByTestId('drawer-target').count()).toBe(0);
    expect(await drawer.getByTestId('error-line').textContent()).toContain('BAD_SHAPE');
    // Its facts at arrival: what the read was to give is said to be unread, not unneeded.
    const asOfFact = drawer.locator('.facts-table tr', { hasText: 'as_of' });
    expect(await asOfFact.locator('td').nth(1).textContent()).toBe(
      'not read: the file was refused',
    );
    await shot(page, 'drawer-undecided');
    await expectNoSerious(page, 'queue: a job never decided');
    // A primary button under the pointer keeps its contrast.
    await page.getByTestId('open-files').hover();
    await expectNoSerious(page, 'queue: Open files… hovered');
    await page.mouse.move(0, 0);
  });

  it('sorts by level with the jobs never decided together, after every level', async () => {
    await goTo(page, 'queue');
    await page.locator('[data-filter=all]').click();
    const rows = page.locator('[data-testid=job-row]');
    await page.getByRole('columnheader', { name: 'Level' }).locator('.th-sort').click();
    await poll(() =>
      page.getByRole('columnheader', { name: 'Level' }).getAttribute('aria-sort'),
    ).toBe('ascending');
    const undecided: boolean[] = [];
    for (let i = 0; i < (await rows.count()); i++)
      undecided.push((await rows.nth(i).getByTestId('level-undecided').count()) > 0);
    const first = undecided.indexOf(true);
    const last = undecided.lastIndexOf(true);
    expect(first).toBeGreaterThanOrEqual(0);
    // One block, at one end of the list.
    expect(undecided.slice(first, last + 1).every(Boolean)).toBe(true);
    expect(first === 0 || last === undecided.length - 1).toBe(true);
  });

  it('offers a skip link to the content as the first Tab stop', async () => {
    await goTo(page, 'queue');
    // A fresh page: the first Tab press starts from the top.
    await page.reload();
    await page.getByTestId('queue-view').waitFor();
    await page.keyboard.press('Tab');
    const skip = page.getByRole('link', { name: 'Skip to the content' });
    expect(await page.evaluate('document.activeElement?.textContent')).toBe('Skip to the content');
    expect((await skip.boundingBox())!.y).toBeGreaterThanOrEqual(0);
    await page.keyboard.press('Enter');
    expect(await page.evaluate('document.activeElement?.id')).toBe('main');
  });

  it('keeps the status bar in step with the views', async () => {
    await goTo(page, 'queue');
    const all = await jobs();
    const failed = all.filter((j) => j.status === 'failed').length;
    expect(failed).toBeGreaterThan(0);
    await poll(() => page.getByTestId('total-failed').textContent()).toBe(String(failed));
    await poll(() => page.locator('[data-filter=failed] .count').textContent()).toBe(
      String(failed),
    );
    const stats = await desk.te.engine.handlers['queue:stats']({});
    if (!stats.ok) throw new Error(stats.error.message);
    const health = await desk.te.engine.handlers['engine:health']({});
    if (!health.ok) throw new Error(health.error.message);
    // The workers set, and the spare kept for CRITICAL work apart (docs/scheduler.md).
    const spare = stats.value.workers - health.value.workers;
    await poll(() => page.getByTestId('status-workers').textContent()).toBe(
      spare > 0 ? `0/${health.value.workers} (+${spare})` : `0/${stats.value.workers}`,
    );
  });

  it('shows a request’s trail as one timeline, naming the file on every entry', async () => {
    await submission(page, 'spx_good.csv')
      .getByRole('button', { name: /audit trail/ })
      .click();
    await page.getByTestId('request-trail').waitFor();
    await poll(() => page.getByTestId('timeline-entry').count()).toBeGreaterThan(0);
    for (const e of await page.getByTestId('timeline-entry').all()) {
      expect(await e.locator('.file-name').textContent()).toBe('spx_good.csv');
      expect(await e.locator('.underlying').textContent()).toBe('SPX');
      expect(await e.locator('time').textContent()).toMatch(
        /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d (CET|CEST|GMT\+\d)$/,
      );
    }
    await shot(page, 'audit-trail');
    await expectNoSerious(page, 'audit: a request trail');
    await page.getByRole('button', { name: '‹ All entries' }).click();
    const first = page.locator('.audit-row').first();
    await first.waitFor();
    // Rows are reachable from the keyboard; Enter shows the facts.
    await first.focus();
    await page.keyboard.press('Enter');
    await page.locator('.audit-item.open .facts').waitFor();
    expect(await page.locator('[role=columnheader]').first().textContent()).toMatch(
      /^At, (CET|CEST|GMT\+\d)$/,
    );
    expect(await page.getByTestId('audit-count').textContent()).toMatch(/^\d+ entr(y|ies)$/);
    await shot(page, 'audit-all');
    await expectNoSerious(page, 'audit: all entries');
  });

  it('names an unreadable file in its audit trail: its arrival, then its failure', async () => {
    await submission(page, 'junk.csv')
      .getByRole('button', { name: /audit trail/ })
      .click();
    await page.getByTestId('request-trail').waitFor();
    await expect.poll(() => page.getByTestId('timeline-entry').count()).toBeGreaterThan(1);
    const entries = page.getByTestId('timeline-entry');
    expect(await entries.locator('.file-name').first().textContent()).toBe('junk.csv');
    // A failed job, as its header says: its entries are `arrival` and `failed`, never `rejected`.
    expect(await entries.allTextContents()).toEqual([
      expect.stringContaining('arrived'),
      expect.stringContaining('UNKNOWN_FORMAT'),
    ]);
  });

  it('keeps the view and its open item across a reload', async () => {
    const spx = (await jobOf('spx_good.csv'))!;
    await page.goto(`${desk.host.origin}/#/snapshots/${spx.snapshot_id}`);
    await page.getByTestId('snapshot-detail').waitFor();
    await page.reload();
    await page.getByTestId('snapshot-detail').waitFor();
    expect(page.url()).toContain(`#/snapshots/${spx.snapshot_id}`);
    expect(await page.locator('[data-view=snapshots]').getAttribute('aria-current')).toBe('page');
    await shot(page, 'snapshot-after-reload');
    await expectNoSerious(page, 'snapshots: an open snapshot');
    // Back returns to the previous view.
    await goTo(page, 'audit');
    await page.goBack();
    await page.getByTestId('snapshots-view').waitFor();
    await goTo(page, 'rules');
    await page.reload();
    await page.getByTestId('rules-view').waitFor();
    await page.locator('.monaco-editor').waitFor();
    await expectNoSerious(page, 'rules');
    await page.reload();
    await page.getByTestId('rules-view').waitFor();
  });

  it('sorts the snapshots by as-of, newest first, and by any column; widths can be changed from the keyboard', async () => {
    await goTo(page, 'snapshots');
    await page.locator('[data-pane=list]').click();
    await page.getByTestId('snapshot-row').first().waitFor();
    expect(await page.locator('[role=columnheader][aria-sort]').textContent()).toMatch(/^As of/);
    expect(await page.locator('[role=columnheader][aria-sort]').getAttribute('aria-sort')).toBe(
      'descending',
    );
    await page.getByRole('columnheader', { name: 'Underlying' }).locator('.th-sort').click();
    await poll(() =>
      page.getByTestId('snapshot-row').locator('.underlying').allTextContents(),
    ).toEqual(['NDX', 'SPX', 'SPX']);
    const handle = page.getByRole('separator', { name: 'Width of Spot' });
    const before = Number(await handle.getAttribute('aria-valuenow'));
    await handle.focus();
    await page.keyboard.press('ArrowRight');
    await poll(async () => Number(await handle.getAttribute('aria-valuenow'))).toBe(before + 16);
    await shot(page, 'snapshots-sorted');
    await expectNoSerious(page, 'snapshots: the list');
    // The open snapshot closes when the filter hides its row.
    await page.locator('[data-testid=snapshot-row]', { hasText: 'NDX' }).click();
    await page.getByTestId('snapshot-detail').waitFor();
    await page.getByLabel('Filter snapshots by underlying').fill('SPX');
    await page.getByTestId('snapshot-detail').waitFor({ state: 'detached' });
    expect(page.url()).toMatch(/#\/snapshots\/list$/);
    await page.getByLabel('Filter snapshots by underlying').fill('');
  });

  it('collapses the submissions panel and keeps it so across a reload', async () => {
    await page.getByRole('button', { name: 'Hide ›' }).click();
    await page.locator('.side-panel.collapsed').waitFor();
    // Collapsed, it still says that something failed.
    expect(await page.getByTestId('strip-failed').textContent()).toBe('1 failed');
    await page.reload();
    await page.locator('.side-panel.collapsed').waitFor();
    await shot(page, 'panel-collapsed');
    await page.locator('.panel-toggle').click();
    await page.locator('.side-panel:not(.collapsed)').waitFor();
  });

  it('shows the level targets of the active rules, and follows an activation at once', async () => {
    await goTo(page, 'queue');
    await poll(() => page.getByTestId('target-CRITICAL').textContent()).toBe(
      'target 30 s, then flag',
    );
    const active = await desk.te.engine.handlers['rules:active']({});
    if (!active.ok) throw new Error(active.error.message);
    const edited = JSON.parse(active.value.text) as {
      levels: Record<string, { target: string; on_late: string }>;
    };
    edited.levels.CRITICAL = { target: '45 s', on_late: 'escalate' };
    const res = await desk.te.engine.handlers['rules:activate']({
      text: JSON.stringify(edited, null, 2),
      author: 'e2e',
      comment: 'slower CRITICAL',
    });
    if (!res.ok) throw new Error(res.error.message);
    await poll(() => page.getByTestId('target-CRITICAL').textContent()).toBe(
      'target 45 s, then escalate',
    );
    await poll(() => page.getByTestId('status-rules').textContent()).toBe(`v${res.value.version}`);
    await shot(page, 'queue-targets');
    await expectNoSerious(page, 'queue: active jobs');
  });

  it('explains itself in a tab opened without the token', async () => {
    // The same browser (its cookie loads the page) but a new tab: no token for the API.
    const tab = await desk.context.newPage();
    await tab.goto(`${desk.host.origin}/#/snapshots`);
    await tab.getByTestId('token-screen').waitFor();
    expect(await tab.locator('h1').textContent()).toBe('This address needs its token');
    expect(await tab.getByTestId('engine-state').count()).toBe(0);
    await tab.screenshot({
      path: join(process.cwd(), 'test-results/screenshots/token-screen.png'),
    });
    expect(serious(await axe(tab, 'token screen'))).toEqual([]);
    // Pasting the printed address lets it in, on the view it was opened for.
    await tab.getByLabel('Token or address').fill(desk.host.url);
    await tab.getByRole('button', { name: 'Connect' }).click();
    await tab.getByTestId('snapshots-view').waitFor();
    await tab.close();

    // Another browser altogether (no cookie): the server's own page says the same.
    const other = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu'],
    });
    try {
      const p = await other.newPage({ viewport: { width: 1024, height: 700 } });
      // The page is public (it holds no data); every call without the token is refused,
      // and the page says why instead of looking like an empty app.
      await p.goto(`${desk.host.origin}/`);
      await p.locator('h1', { hasText: 'This address needs its token' }).waitFor();
      await p.screenshot({
        path: join(process.cwd(), 'test-results/screenshots/token-page-no-cookie.png'),
      });
    } finally {
      await other.close();
    }
    expect(desk.problems.filter((p) => !/401/.test(p))).toEqual([]);
  });
});
