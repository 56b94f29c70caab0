// The real UI in real headless Chromium against the real engine, through the browser
// host (`serve`) on a temporary database: a new user drops or chooses option-chain
// files and watches them queue, run and complete; junk is refused with a clear error;
// the queue can be paused from its view: a waiting job cancelled then never starts,
// and the queue shows waiting jobs of every level; the rules editor and
// the audit trail work. Screenshots of each screen go to test-results/screenshots/.
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { PRIORITY_LEVELS } from '../../shared/domain.ts';
import {
  axe,
  chainFile as makeChainFile,
  dropFile as drop,
  haveChromium,
  openDesk,
  pauseQueue as pause,
  poll,
  resumeQueue as resume,
  SAMPLES,
  serious,
  shot as shoot,
  submission as submissionOf,
  type Desk,
} from './harness.ts';

const SPX_SAMPLE = join(SAMPLES, 'spx_quotedata_2024-01-07.csv');
const META_SAMPLE = join(SAMPLES, 'cboe_delayed_META_2025-09-06.json');
const haveSamples = existsSync(SPX_SAMPLE) && existsSync(META_SAMPLE);
if (!haveSamples && process.env.REQUIRE_SAMPLES === '1') {
  throw new Error(`REQUIRE_SAMPLES=1 but the samples are missing at ${SAMPLES}`);
}

let desk: Desk;
let page: Page;
let te: Desk['te'];
let fixtures: string;
const jobEvents: Record<string, string[]> = {};
/** Every `job:updated` the page heard, per file, with what it said of the run. */
type Heard = {
  status: string;
  started_at: string | null;
  attempts: number;
  snapshot_id: string | null;
};
const jobHeard: Record<string, Heard[]> = {};

const shot = (name: string) => shoot(page, name);
const bn = (v: number) =>
  `${(v / 1e9).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;

const WATCH = `() => {
  const seen = {};
  window.__seen = seen;
  const record = () => {
    document.querySelectorAll('[data-testid=submission]').forEach((el) => {
      const name = el.querySelector('.file-name')?.textContent ?? '';
      const status = el.dataset.status ?? '';
      const list = (seen[name] ??= []);
      if (list.at(-1) !== status) list.push(status);
    });
  };
  new MutationObserver(record).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-status'] });
}`;

const dropFile = (path: string, name: string) => drop(page, path, name);
/** Records every status a submission shows, from the first render on. */
const watchSubmissions = () => page.evaluate(`(${WATCH})()`);
const seenStatuses = (name: string) =>
  page.evaluate(`window.__seen[${JSON.stringify(name)}] ?? []`) as Promise<string[]>;
const submission = (name: string) => submissionOf(page, name);
const pauseQueue = () => pause(page);
const resumeQueue = () => resume(page);
const chainFile = (name: string, seed: number, opts: Parameters<typeof makeChainFile>[3] = {}) =>
  makeChainFile(fixtures, name, seed, opts);

describe.skipIf(!haveChromium)('GEX Desk in a browser', () => {
  beforeAll(async () => {
    desk = await openDesk({ workers: 1 });
    ({ page, te, fixtures } = desk);
    // What the page hears from the engine: job statuses per file, in order.
    page.on('websocket', (ws) =>
      ws.on('framereceived', ({ payload }) => {
        const msg = JSON.parse(String(payload)) as {
          event: string;
          payload: Partial<Heard> & { file?: string };
        };
        if (msg.event !== 'job:updated' || !msg.payload.file || !msg.payload.status) return;
        const name = msg.payload.file.split('/').pop()!;
        const { status, started_at = null, attempts = -1, snapshot_id = null } = msg.payload;
        (jobHeard[name] ??= []).push({ status, started_at, attempts, snapshot_id });
        const list = (jobEvents[name] ??= []);
        if (list.at(-1) !== msg.payload.status) list.push(msg.payload.status);
      }),
    );
    // Listening began after the first load: load again so the socket is watched.
    await page.reload();
    await page
      .getByTestId('engine-state')
      .getByText('engine ok', { exact: true })
      .waitFor({ timeout: 30_000 });
    await watchSubmissions();
  }, 180_000);

  afterAll(async () => {
    await desk?.close();
  });

  it('keeps the token out of the address bar and shows the database in the status bar', async () => {
    expect(page.url()).not.toContain('token=');
    await poll(() => page.getByTestId('statusbar').textContent()).toContain(
      te.engine.config.dbPath,
    );
  });

  it('runs a dropped SPX chain through the queue and shows its figures', async () => {
    const file = haveSamples
      ? SPX_SAMPLE
      : chainFile('spx_fixture.csv', 11, { expiries: 55, strikesPerExpiry: 192 });
    const name = haveSamples ? 'spx_quotedata_2024-01-07.csv' : 'spx_fixture.csv';
    await dropFile(file, name);
    await page.getByTestId('submit-dialog').waitFor();
    await shot('submit-dialog');
    await page.getByTestId('submit-files').click();
    const row = submission(name);
    await expect.poll(() => row.getAttribute('data-status'), { timeout: 60_000 }).toBe('completed');
    // The engine announced each step to the page: the stored job not yet started, its run
    // (one attempt), and once only, last, its completion with the snapshot. The submission's
    // `queued` and the run's first progress event come from two places at once and may
    // reach the page in either order, so the steps are told apart by what they say.
    const heard = jobHeard[name] ?? [];
    expect(new Set(jobEvents[name])).toEqual(new Set(['queued', 'running', 'completed']));
    for (const e of heard.filter((h) => h.status === 'queued'))
      expect(e).toMatchObject({ started_at: null, attempts: 0 });
    for (const e of heard.filter((h) => h.status === 'running'))
      expect(e).toMatchObject({ started_at: expect.any(String), attempts: 1 });
    expect(heard.filter((h) => h.status === 'completed')).toHaveLength(1);
    expect(heard.at(-1)).toMatchObject({
      status: 'completed',
      attempts: 1,
      snapshot_id: expect.any(String),
    });
    // The page showed the upload, then each step in order, never going back, then the result.
    const seen = await seenStatuses(name);
    const steps = ['uploading', 'submitting', 'queued', 'running', 'completed'];
    expect(seen[0]).toBe('uploading');
    expect(seen.at(-1)).toBe('completed');
    const ranks = seen.map((st) => steps.indexOf(st));
    expect(ranks).not.toContain(-1);
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
    const snaps = await te.engine.handlers['snapshots:list']({ limit: 10 });
    if (!snaps.ok) throw new Error(snaps.error.message);
    const snap = snaps.value[0]!;
    const total = haveSamples ? '-11.00' : bn(snap.total_gex);
    await poll(() => row.getByTestId('submission-figures').textContent()).toContain(`${total} Bn`);
    expect(await row.getByTestId('submission-figures').textContent()).toContain('SPX');
    // The level's card agrees with the list: the job ran and ended, its latency counted.
    const jobs = await te.engine.handlers['jobs:list']({ limit: 10 });
    if (!jobs.ok) throw new Error(jobs.error.message);
    const card = page.getByTestId(`level-${jobs.value[0]!.priority}`);
    // … and it did not end late (the card's last figure since "ended late" came in).
    await poll(() => card.textContent()).toMatch(/waiting0running.*n = 1\D*0 ended late$/);
    await shot('queue');

    await row.getByTestId('submission-figures').click();
    await page.getByTestId('snapshot-detail').waitFor();
    // The levels board (Snapshots' first screen) gives GEX in the view's one scale, named in
    // its header; the figures name it too.
    await poll(() => page.getByTestId('levels-total').first().textContent()).toBe(total);
    expect(await page.locator('.levels-table [role=columnheader].th-total').textContent()).toBe(
      'Total GEX, Bn',
    );
    expect(await page.getByTestId('snapshot-detail').textContent()).toContain(`${total} Bn`);
    if (haveSamples) {
      const detail = await page.getByTestId('snapshot-detail').textContent();
      expect(detail).toContain('4,697.24');
      expect(detail).toContain('2024-01-07');
      expect(detail).toContain('4,800');
      expect(detail).toContain('4,600');
    }
    await page.getByTestId('chart-strikes').locator('canvas').waitFor();
    // Spot and the walls are marked by strike (named for screen readers beside the canvas).
    const marked = page.getByTestId('chart-strikes-markers');
    await marked.locator('[data-marker=spot]').waitFor({ state: 'attached' });
    if (snap.call_wall !== null)
      expect(await marked.locator('[data-marker=call-wall]').textContent()).toBe(
        `call wall ${snap.call_wall.toLocaleString('en-US')}`,
      );
    // A generated chain's profile need not change sign; the marker shows when there is a level.
    if (snap.zero_gamma !== null)
      await page
        .getByTestId('chart-profile-markers')
        .locator('[data-marker=flip]')
        .waitFor({ state: 'attached' });
    await shot('snapshot');
  });

  it('shows the underlying and figures of a file chosen with "Open files" within seconds', async () => {
    const file = haveSamples
      ? META_SAMPLE
      : chainFile('meta_fixture.json', 12, { underlying: 'META', spot: 749.75 });
    const underlying = 'META';
    const started = Date.now();
    const [chooser] = await Promise.all([
      page.waitForEvent('filechooser'),
      page.getByTestId('open-files').click(),
    ]);
    await chooser.setFiles(file);
    // A manual priority needs a justification (rule G1): the dialog says so, Submit disabled.
    await page.getByLabel('Priority').selectOption('CRITICAL');
    await poll(() => page.locator('#sub-justification-hint').textContent()).toContain(
      'justification',
    );
    expect(await page.getByTestId('submit-files').isDisabled()).toBe(true);
    await page.getByLabel('Justification').fill('Earnings tonight');
    await shot('submit-dialog-manual');
    await page.getByTestId('submit-files').click();
    const row = submission(file.split('/').pop()!);
    await poll(() => row.locator('.level').first().textContent()).toBe('CRITICAL');
    expect(await row.textContent()).toContain('G1');
    await expect.poll(() => row.getAttribute('data-status'), { timeout: 30_000 }).toBe('completed');
    await poll(() => row.getByTestId('submission-figures').textContent()).toContain(underlying);
    const seconds = (Date.now() - started) / 1000;
    console.log(`"Open files" → figures on screen: ${seconds.toFixed(1)} s`);
    expect(await row.getByTestId('submission-figures').textContent()).toMatch(
      /total -?[\d,]+\.\d\d Bn/,
    );
  });

  it('recognises the same chain dropped again as a duplicate, with the stored figures', async () => {
    const file = haveSamples ? SPX_SAMPLE : join(fixtures, 'spx_fixture.csv');
    await dropFile(file, 'spx-again.csv');
    await page.getByTestId('submit-files').click();
    const row = submission('spx-again.csv');
    await expect.poll(() => row.getAttribute('data-status'), { timeout: 30_000 }).toBe('duplicate');
    await poll(() => row.getByTestId('submission-figures').textContent()).toContain('SPX');
  });

  it('refuses a junk file with a clear error naming the file', async () => {
    const junk = join(fixtures, 'junk.csv');
    writeFileSync(junk, 'this is not,an option chain\nhello,world\n');
    await dropFile(junk, 'junk.csv');
    await page.getByTestId('submit-files').click();
    const row = submission('junk.csv');
    await expect
      .poll(() => row.getAttribute('data-status'), { timeout: 30_000 })
      .toMatch(/^(failed|rejected)$/);
    const error = row.getByTestId('error-line');
    await error.waitFor();
    const text = (await error.textContent()) ?? '';
    expect(text).toMatch(/[A-Z_]{4,}/);
    expect(text).toContain('junk.csv');
    await shot('junk-error');
  });

  it('cancels a waiting job while the queue is paused: it never starts, the others run on Resume', async () => {
    await page.locator('[data-view=queue]').click();
    await page.locator('[data-filter=active]').click();
    // Held by the analyst, the queue keeps every new job waiting, however fast the engine.
    await pauseQueue();
    const files = Array.from({ length: 6 }, (_, i) =>
      chainFile(`busy-${i}.csv`, 100 + i, { expiries: 55, strikesPerExpiry: 192 }),
    );
    for (const res of await Promise.all(
      files.map((file) => te.engine.handlers['ingest:submit']({ file, source: 'e2e' })),
    )) {
      if (!res.ok) throw new Error(res.error.message);
    }
    const waiting = page.locator('[data-testid=job-row][data-status=queued]', { hasText: 'busy-' });
    await poll(() => waiting.count()).toBe(files.length);
    await poll(() => page.getByTestId('paused-banner').textContent()).toMatch(
      new RegExp(`^Paused — ${files.length} waiting`),
    );
    const busyJobs = async () => {
      const r = await te.engine.handlers['jobs:list']({ limit: 1000 });
      if (!r.ok) throw new Error(r.error.message);
      return r.value.filter((j) => /\/busy-\d+\.csv$/.test(j.file));
    };
    // The waiting job that would run last: the bottom row of the Active list.
    const name = (await waiting.last().locator('.c-file').textContent())!;
    const row = page.locator('[data-testid=job-row]', { hasText: name });
    await row.getByTestId('cancel-job').click();
    expect(await page.locator('.banner.error').count()).toBe(0);
    const jobOf = async () => (await busyJobs()).find((j) => j.file.endsWith(`/${name}`));
    await poll(async () => (await jobOf())?.status).toBe('cancelled');
    // Nothing started while paused.
    expect((await busyJobs()).map((j) => j.started_at)).toEqual(files.map(() => null));
    await poll(() => page.getByTestId('paused-banner').textContent()).toMatch(
      new RegExp(`^Paused — ${files.length - 1} waiting`),
    );

    await resumeQueue();
    await expect
      .poll(async () => (await busyJobs()).filter((j) => j.status === 'completed').length, {
        timeout: 90_000,
      })
      .toBe(files.length - 1);
    // The cancelled one stayed cancelled and never started, though the worker went through the others.
    expect(await jobOf()).toMatchObject({ status: 'cancelled', started_at: null });
    await page.locator('[data-filter=cancelled]').click();
    await poll(() =>
      page.locator('[data-testid=job-row][data-status=cancelled]', { hasText: name }).count(),
    ).toBe(1);
    // Retry brings it back, and it runs to completion.
    await page
      .locator('[data-testid=job-row]', { hasText: name })
      .getByRole('button', { name: 'Retry' })
      .click();
    await expect.poll(async () => (await jobOf())?.status, { timeout: 90_000 }).toBe('completed');
    await page.locator('[data-filter=active]').click();
  });

  it('shows waiting jobs of every level while the queue is paused, and runs them by level on Resume', async () => {
    await page.locator('[data-filter=active]').click();
    await pauseQueue();
    const requests = PRIORITY_LEVELS.flatMap((level, i) =>
      [0, 1].map((k) => ({
        file: chainFile(`level-${level.toLowerCase()}-${k}.csv`, 200 + i * 10 + k, {
          expiries: 30,
          strikesPerExpiry: 120,
        }),
        source: 'e2e',
        requested_priority: level,
        justification: `e2e: a ${level} job`,
      })),
    );
    // Lowest level first: the order of submission is not the order they will run in.
    for (const res of await Promise.all(
      requests.toReversed().map((r) => te.engine.handlers['ingest:submit'](r)),
    )) {
      if (!res.ok) throw new Error(res.error.message);
    }
    for (const level of PRIORITY_LEVELS) {
      await poll(() =>
        page.locator(`[data-testid=job-row][data-status=queued][data-level=${level}]`).count(),
      ).toBe(2);
      await poll(() => page.getByTestId(`waiting-${level}`).textContent()).toBe('2');
    }
    await poll(() => page.getByTestId('paused-banner').textContent()).toMatch(
      new RegExp(`^Paused — ${requests.length} waiting`),
    );
    expect(await page.getByTestId('status-paused').isVisible()).toBe(true);
    // The Active list shows them in the order the scheduler will take them.
    expect(
      await page
        .locator('[data-testid=job-row][data-status=queued]')
        .evaluateAll((els) => els.map((e) => (e as { dataset: { level?: string } }).dataset.level)),
    ).toEqual(PRIORITY_LEVELS.flatMap((l) => [l, l]));
    await shot('queue-levels');

    await resumeQueue();
    await expect
      .poll(() => page.getByTestId('total-queued').textContent(), { timeout: 120_000 })
      .toBe('0');
    const levelJobs = async () => {
      const r = await te.engine.handlers['jobs:list']({ limit: 1000 });
      if (!r.ok) throw new Error(r.error.message);
      return r.value.filter((j) => /\/level-[a-z]+-\d\.csv$/.test(j.file));
    };
    await expect
      .poll(async () => (await levelJobs()).every((j) => j.status === 'completed'), {
        timeout: 120_000,
      })
      .toBe(true);
    // Released at once, they started by level, CRITICAL first, though submitted LOW first.
    const started = (await levelJobs()).sort(
      (a, b) => Date.parse(a.started_at!) - Date.parse(b.started_at!),
    );
    expect(started.map((j) => j.effective_priority)).toEqual(
      PRIORITY_LEVELS.flatMap((l) => [l, l]),
    );
  });

  it('lists a request waiting for the read that decides its level as waiting, counted, and cancellable', async () => {
    await page.locator('[data-filter=active]').click();
    await pauseQueue();
    // Fresh data with no requested level: its level waits for its file's facts read.
    const nyNow = new Intl.DateTimeFormat('sv-SE', {
      timeZone: 'America/New_York',
      dateStyle: 'short',
      timeStyle: 'medium',
    })
      .format(new Date())
      .replace(' ', 'T');
    const file = chainFile('fresh-deciding.json', 321, {
      asOf: nyNow,
      expiries: 4,
      strikesPerExpiry: 30,
    });
    const ack = await te.engine.handlers['ingest:submit']({ file, source: 'e2e' });
    if (!ack.ok) throw new Error(ack.error.message);
    expect(ack.value.status).toBe('deciding');
    const row = page.locator('[data-testid=job-row][data-status=deciding]', {
      hasText: 'fresh-deciding.json',
    });
    await poll(() => row.count()).toBe(1);
    // Shown ≤CRITICAL; a screen reader, which skips the ≤, hears what the rest says.
    expect(await row.locator('.deciding-level').textContent()).toBe(
      '≤at most CRITICAL, being decided',
    );
    await poll(() => page.getByTestId('total-queued').textContent()).toBe('1');
    await poll(() => page.getByTestId('paused-banner').textContent()).toMatch(
      /^Paused — 1 waiting/,
    );
    await shot('queue-deciding');
    expect(serious(await axe(page, 'queue: a request deciding'))).toEqual([]);
    await row.getByRole('button', { name: 'Cancel fresh-deciding.json' }).click();
    await poll(() => row.count()).toBe(0);
    const job = await te.engine.handlers['jobs:get']({ id: ack.value.job_id! });
    expect(job.ok && job.value.job.status).toBe('cancelled');
    await resumeQueue();
  });

  it("shows the audit trail of the decisions, and a request's trail as one timeline", async () => {
    await page.locator('[data-view=audit]').click();
    await poll(() => page.locator('.audit-row').count()).toBeGreaterThan(3);
    expect(await page.locator('.audit-row').allTextContents()).toEqual(
      expect.arrayContaining([expect.stringContaining('override')]),
    );
    await shot('audit');
    // From a submission to its own audit trail: one request, oldest first, naming its file.
    const spx = haveSamples ? 'spx_quotedata_2024-01-07.csv' : 'spx_fixture.csv';
    await submission(spx)
      .getByRole('button', { name: /audit trail/ })
      .click();
    await page.getByTestId('request-trail').waitFor();
    expect(page.url()).toMatch(/#\/audit\/[0-9a-f-]{36}$/);
    await poll(() => page.getByTestId('timeline-entry').count()).toBeGreaterThan(0);
    const kinds = await page
      .getByTestId('timeline-entry')
      .evaluateAll((els) => els.map((e) => (e as { dataset: { kind?: string } }).dataset.kind));
    expect(kinds.slice(0, 2)).toEqual(['arrival', 'decision']);
    for (const entry of await page.getByTestId('timeline-entry').all())
      expect(await entry.locator('.file-name').textContent()).toBe(spx);
    expect(await page.getByTestId('request-trail').locator('h2').textContent()).toContain(spx);
    await shot('audit-timeline');
    await page.getByRole('button', { name: '‹ All entries' }).click();
    await page.locator('.audit-row').first().waitFor();
    expect(desk.problems).toEqual([]);
  });
});
