// A level the rules have not decided yet, in real Chromium against the real engine and
// browser host: a job whose file waits for the read that decides its level (the queue
// paused) is ranked at the rules' upper bound. QA3 F1: the Queue row showed "≤ HIGH" but
// a screen reader heard "HIGH" (the ≤ is hidden from it), and the drawer showed a plain
// HIGH badge with the level's target and late behaviour, as for a decided job (a header-only
// file "CRITICAL … flagged late", never flagged, then failed undecided). F2: the Audit list
// and a request's timeline showed the arrival's upper bound as a plain level, like a
// decision, also for a request that then failed never decided.
import { writeFileSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { newYorkTime } from '../system/bursts/chains.ts';
import {
  chainFile,
  expectNoSerious,
  goTo,
  haveChromium,
  openDesk,
  pauseQueue,
  poll,
  resumeQueue,
  shot,
  jobRow,
  queueFile,
  type Desk,
} from './harness.ts';

let desk: Desk;
let page: Page;

const submit = (file: string): Promise<string> => queueFile(desk, file);
const row = (name: string) => jobRow(page, name);
const arrivalRow = (name: string) =>
  page
    .locator('.audit-row', { hasText: name })
    .filter({ has: page.locator('.kind', { hasText: 'arrival' }) });

describe.skipIf(!haveChromium)('a level not decided yet', () => {
  beforeAll(async () => {
    desk = await openDesk({ workers: 1 });
    page = desk.page;
    await goTo(page, 'queue');
    // All jobs: the ended ones stay listed.
    await page.locator('[data-filter=all]').click();
  }, 180_000);
  afterAll(async () => {
    await desk?.close();
  });

  const fresh = 'bound-fresh.csv';
  const headOnly = 'bound-head-only.csv';

  it('shows a deciding job’s upper bound as one in its row (also to a screen reader) and its drawer', async () => {
    await pauseQueue(page);
    const asOf = newYorkTime(Date.now()).wall;
    await submit(chainFile(desk.fixtures, fresh, 41, { asOf, expiries: 2, strikesPerExpiry: 6 }));
    // Its header only: fresh, so its level waits for a read that can never decide it.
    const head = chainFile(desk.fixtures, headOnly, 42, { asOf, expiries: 1, strikesPerExpiry: 2 });
    writeFileSync(head, readFileSync(head, 'utf8').split('\n').slice(0, 4).join('\n') + '\n');
    await submit(head);
    for (const name of [fresh, headOnly])
      await poll(() => row(name).getAttribute('data-status')).toBe('deciding');

    const level = row(fresh).locator('.c-level');
    expect(await level.getByTestId('level-bound').count()).toBe(1);
    // Heard as an upper bound, not "HIGH".
    expect(await level.ariaSnapshot()).toMatch(/at most HIGH\s*, being decided/);

    await row(fresh).click();
    const drawer = page.getByTestId('job-drawer');
    await poll(() => drawer.locator('#drawer-title').textContent()).toBe(fresh);
    expect(await drawer.getByTestId('level-bound').first().innerText()).toContain('HIGH');
    expect(await drawer.getByTestId('drawer-bound').innerText()).toBe(
      'not decided yet: ranked as HIGH, the highest the rules could give it, until the read of its file decides its level (not flagged late meanwhile)',
    );
    expect(await drawer.getByTestId('drawer-target').count()).toBe(0);
    // Its timeline's arrival: the same upper bound.
    const arrival = drawer.locator('[data-testid=timeline-entry][data-kind=arrival]');
    await poll(() => arrival.getByTestId('level-bound').count()).toBe(1);
    await shot(page, 'undecided-drawer-deciding', drawer);

    await row(headOnly).click();
    await poll(() => drawer.locator('#drawer-title').textContent()).toBe(headOnly);
    expect(await drawer.getByTestId('drawer-bound').innerText()).toMatch(
      /^not decided yet: ranked as HIGH,/,
    );
    expect(await drawer.getByTestId('drawer-target').count()).toBe(0);
    expect(await drawer.innerText()).not.toContain('a job waiting longer is');
    await expectNoSerious(page, 'queue: the drawer of a deciding job');
    await drawer.getByRole('button', { name: 'Close' }).click();
  });

  it('shows an arrival’s upper bound as one in the Audit list and timeline, decided or never', async () => {
    await goTo(page, 'audit');
    for (const name of [fresh, headOnly]) {
      await poll(() => arrivalRow(name).count()).toBe(1);
      expect(await arrivalRow(name).getByTestId('level-bound').count()).toBe(1);
    }
    expect(await arrivalRow(headOnly).getByTestId('level-bound').ariaSnapshot()).toMatch(
      /at most HIGH\s*, not decided at arrival/,
    );

    await goTo(page, 'queue');
    await resumeQueue(page);
    await desk.te.engine.drain();
    const jobs = await desk.te.engine.handlers['jobs:list']({ limit: 10 });
    if (!jobs.ok) throw new Error(jobs.error.message);
    const statusOf = (name: string) => jobs.value.find((j) => j.file.endsWith(name))?.status;
    expect([statusOf(fresh), statusOf(headOnly)]).toEqual(['completed', 'failed']);
    await goTo(page, 'audit');
    // Still the bound it arrived at, never a level: the fresh one's decision has the level.
    for (const name of [fresh, headOnly]) {
      await poll(() => arrivalRow(name).getByTestId('level-bound').count()).toBe(1);
      expect(await arrivalRow(name).locator('.level').count()).toBe(1);
    }
    const decision = page
      .locator('.audit-row', { hasText: fresh })
      .filter({ has: page.locator('.kind', { hasText: 'decision' }) });
    expect(await decision.count()).toBe(1);
    expect(await decision.getByTestId('level-bound').count()).toBe(0);
    expect(await decision.locator('.level').count()).toBe(1);
    await shot(page, 'undecided-audit');

    // The failed request's timeline: its arrival at its bound, no level after it.
    await arrivalRow(headOnly).getByTestId('open-timeline').click({ force: true });
    await page.getByTestId('request-trail').waitFor();
    const entries = page.getByTestId('timeline-entry');
    await poll(() => entries.count()).toBeGreaterThan(1);
    const first = page.locator('[data-testid=timeline-entry][data-kind=arrival]');
    expect(await first.getByTestId('level-bound').innerText()).toContain('HIGH');
    expect(await page.getByTestId('request-trail').locator('.level').count()).toBe(1);
    await shot(page, 'undecided-timeline-failed');
    expect(desk.problems).toEqual([]);
  });
});
