// The Queue's rows as QA drove them, in real Chromium against the real engine and browser
// host: the drawer's facts at arrival once the job's decision lands; a quality badge on
// every completed row, however many snapshots are stored; the table one Tab stop with
// keys for Cancel and Retry; the focus kept through Pause / Resume, Cancel and Retry; a
// failed row's message without its file and line said twice; the status bar whole and
// the Wait column kept at 1024×700.
import { renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { cboeCsvText, makeChain } from '../fixtures/option-chains.ts';
import { newYorkTime } from '../system/bursts/chains.ts';
import {
  chainFile,
  cutOff,
  expectNoSerious,
  goTo,
  haveChromium,
  openDesk,
  pauseQueue,
  poll,
  resumeQueue,
  shot,
  SHOTS,
  SMALL,
  WIDE,
  jobRow,
  queueFile,
  type Desk,
} from './harness.ts';

let desk: Desk;
let page: Page;

const submit = (file: string): Promise<string> => queueFile(desk, file);
const row = (name: string) => jobRow(page, name);
const search = () => page.getByLabel('Filter jobs by file, underlying, source, rule or id');

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

  it('gives every completed row its quality badge, past the newest 200 snapshots', async () => {
    // 230 snapshots stored before the page loads: the store's list holds the newest 200.
    for (let i = 0; i < 230; i++) {
      const file = join(desk.fixtures, `tiny-${String(i).padStart(3, '0')}.csv`);
      writeFileSync(
        file,
        cboeCsvText(makeChain({ seed: 100 + i, expiries: 1, strikesPerExpiry: 2 })),
      );
      await submit(file);
    }
    await desk.te.engine.drain();
    await page.reload();
    await page.getByTestId('engine-state').getByText('engine ok').waitFor({ timeout: 30_000 });
    await goTo(page, 'queue');
    await showTab('completed');
    const body = page.getByTestId('jobs-body');
    // The oldest rows: the end of the list (newest first).
    await body.locator('[data-testid=job-row]').first().focus();
    await page.keyboard.press('End');
    await poll(() => row('tiny-000.csv').count()).toBe(1);
    // The hint over the table's corner, shown while the table has the focus, leaves the
    // last row moved to in full view (it covered part of it).
    const hint = page.getByTestId('keys-hint').first();
    expect(await hint.isVisible()).toBe(true);
    await poll(async () => {
      const last = (await row('tiny-000.csv').boundingBox())!;
      return last.y + last.height <= (await hint.boundingBox())!.y;
    }).toBe(true);
    // Browser-side, as source text (this file is type-checked without the DOM library).
    const badgeless = () =>
      page.evaluate(`[...document.querySelectorAll('[data-testid=job-row]')]
        .filter((r) => ['completed', 'duplicate'].includes(r.getAttribute('data-status')))
        .filter((r) => !r.querySelector('[data-testid=quality]'))
        .map((r) => r.querySelector('.c-file')?.textContent)`) as Promise<string[]>;
    await poll(badgeless).toEqual([]);
    expect(await row('tiny-000.csv').locator('[data-testid=quality]').count()).toBe(1);
    await shot(page, 'queue-rows-oldest-badges');
  }, 240_000);

  it('is one Tab stop: the focused row cancels on Delete and retries on R, and the focus stays through Pause, Cancel and Retry', async () => {
    await showTab('active');
    const toggle = page.getByTestId('queue-pause-toggle');
    // Pause from the keyboard: the focus stays on the toggle, now Resume.
    await toggle.focus();
    await page.keyboard.press('Enter');
    await page.getByTestId('paused-banner').waitFor();
    await poll(() => toggle.textContent()).toContain('Resume queue');
    expect(await focused()).toMatchObject({ testid: 'queue-pause-toggle' });

    for (const [i, name] of ['keys-a.csv', 'keys-b.csv', 'keys-c.csv', 'keys-d.csv'].entries())
      await submit(chainFile(desk.fixtures, name, 400 + i, { expiries: 1, strikesPerExpiry: 4 }));
    await poll(() => page.locator('[data-testid=job-row][data-status=queued]').count()).toBe(4);
    const body = page.getByTestId('jobs-body');
    // Rows' buttons are no Tab stops: one Tab from a row leaves the table.
    await body.locator('[data-row-index="0"]').focus();
    const first = (await focused()).file;
    await page.keyboard.press('Tab');
    const after = await focused();
    expect(after.inTable, JSON.stringify(after)).toBe(false);
    expect(await body.locator('[data-testid=job-row] button').count()).toBe(4);
    expect(await body.locator('[data-testid=job-row] button:not([tabindex="-1"])').count()).toBe(0);

    // Delete on the focused row cancels its job; the focus goes to the row in its place.
    await body.locator('[data-row-index="0"]').focus();
    await page.keyboard.press('Delete');
    await poll(() => row(first!).count()).toBe(0);
    await poll(async () => (await focused()).testid).toBe('job-row');
    const next = await focused();
    expect(next.file).not.toBe(first);
    expect(next.rowIndex).toBe('0');
    // A click on a row's Cancel: the focus goes to the row that took its place, not the page.
    const second = next.file!;
    await row(second)
      .getByRole('button', { name: `Cancel ${second}` })
      .click();
    await poll(() => row(second).count()).toBe(0);
    await poll(async () => (await focused()).testid).toBe('job-row');
    await shot(page, 'queue-rows-keys-active');
    await expectNoSerious(page, 'queue: rows with keys');

    // R on a cancelled row retries it: it leaves the Cancelled tab, the focus stays in the table.
    await showTab('cancelled');
    await poll(() => page.locator('[data-testid=job-row]').count()).toBe(2);
    await body.locator('[data-row-index="0"]').focus();
    const retried = (await focused()).file!;
    await page.keyboard.press('r');
    await poll(() => row(retried).count()).toBe(0);
    await poll(async () => (await focused()).testid).toBe('job-row');
    await body.locator('[data-row-index="0"]').focus();
    await page.keyboard.press('R');
    await poll(() => page.locator('[data-testid=job-row]').count()).toBe(0);
    // No row left: the table keeps the focus.
    await poll(async () => (await focused()).testid).toBe('jobs-table');

    // Resume from the keyboard: the focus stays on the toggle.
    await toggle.focus();
    await page.keyboard.press('Enter');
    await page.getByTestId('paused-banner').waitFor({ state: 'detached' });
    await poll(() => toggle.textContent()).toContain('Pause queue');
    expect(await focused()).toMatchObject({ testid: 'queue-pause-toggle' });
    await desk.te.engine.drain();
  });

  it('shows in a failed row what was wrong, not its file and line again', async () => {
    const lines = cboeCsvText(makeChain({ seed: 15, expiries: 2, strikesPerExpiry: 5 })).split(
      '\n',
    );
    const cells = lines[6]!.split(',');
    cells[lines[3]!.split(',').indexOf('Gamma')] = '"0,0012"';
    lines[6] = cells.join(',');
    const name = 'decimal-comma-with-a-long-name.csv';
    const file = join(desk.fixtures, name);
    writeFileSync(file, lines.join('\n'));
    await submit(file);
    await desk.te.engine.drain();
    await showTab('failed');
    const message = row(name).locator('.error-message');
    await poll(() => message.textContent()).toBe('is not a number ("0,0012")');
    expect(await row(name).locator('.error-where').textContent()).toBe(
      'line 7 · field Calls Gamma',
    );
    // Whole at 1440; at 1024 the place gives way first, and what was wrong stays in view.
    expect(await cutOff(page, '.job-row .error-message')).toEqual([]);
    await page.setViewportSize(SMALL);
    const shown = () =>
      page.evaluate(`(() => {
        const m = document.querySelector('.job-row .error-message');
        const w = document.querySelector('.job-row .error-where');
        const probe = document.createElement('span');
        probe.textContent = 'is not a number…';
        m.parentElement.appendChild(probe);
        const needed = probe.getBoundingClientRect().width;
        probe.remove();
        return { message: m.clientWidth >= needed, where: w.clientWidth < w.scrollWidth };
      })()`);
    await poll(shown).toEqual({ message: true, where: true });
    await page.setViewportSize(WIDE);
    await shot(page, 'queue-rows-failed');
    // The drawer keeps the whole message.
    await row(name).click();
    await poll(() => page.getByTestId('job-drawer').textContent()).toContain(
      `${name}, line 7, field "Calls Gamma" ("0,0012") is not a number`,
    );
    await expectNoSerious(page, 'queue: a failed row');
    await page.getByTestId('job-drawer').getByRole('button', { name: 'Close' }).click();
  });

  it('lists one command’s files in the Completed tab as `jobs` does, not as their captures ended', async () => {
    // Submitted together with one arrival (as `ingest a b c d` does): the large first file
    // is captured, and stored, after the three small ones.
    const arrived_at = new Date(Date.now() + 1).toISOString();
    const names = ['cmd-0-large.csv', 'cmd-1.csv', 'cmd-2.csv', 'cmd-3.csv'];
    const acks = await Promise.all(
      names.map((name, i) =>
        desk.te.engine.handlers['ingest:submit']({
          file: chainFile(desk.fixtures, name, 700 + i, {
            expiries: i === 0 ? 200 : 1,
            strikesPerExpiry: 100,
          }),
          source: 'e2e',
          arrived_at,
        }),
      ),
    );
    expect(acks.every((a) => a.ok)).toBe(true);
    await desk.te.engine.drain();
    await showTab('completed');
    await search().fill('cmd-');
    const shown = () => page.locator('[data-testid=job-row] .c-file').allTextContents();
    await poll(async () => (await shown()).length).toBe(4);
    // Newest first: the last submitted on top, the first (stored last) at the bottom.
    expect((await shown()).map((t) => t.trim())).toEqual([...names].reverse());
    const listed = await desk.te.engine.handlers['jobs:list']({ limit: 4 });
    if (!listed.ok) throw new Error(listed.error.message);
    expect(listed.value.map((j) => j.file.split('/').at(-1))).toEqual([...names].reverse());
    await search().fill('');
  });

  it('says in the drawer when the file is no longer where the job names it', async () => {
    const name = 'moved-after.csv';
    const file = chainFile(desk.fixtures, name, 77, { expiries: 1, strikesPerExpiry: 6 });
    const id = await queueFile(desk, file);
    await desk.te.engine.drain();
    await showTab('all');
    const drawer = page.getByTestId('job-drawer');
    const open = async () => {
      await row(name).click();
      await poll(() => drawer.getByTestId('drawer-file').textContent()).toContain(name);
    };
    await open();
    const here = await desk.te.engine.handlers['jobs:get']({ id });
    expect(here.ok && here.value.file_here).toBe(true);
    expect(await drawer.getByTestId('drawer-file-gone').count()).toBe(0);
    await drawer.getByRole('button', { name: 'Close' }).click();
    // The analyst moves it away after it was ingested: the drawer no longer claims it lies there.
    renameSync(file, join(desk.fixtures, 'checked-moved-after.csv'));
    const gone = await desk.te.engine.handlers['jobs:get']({ id });
    expect(gone.ok && gone.value.file_here).toBe(false);
    await open();
    await poll(() => drawer.getByTestId('drawer-file-gone').textContent()).toContain(
      'not there now: moved, renamed or deleted since it was read',
    );
    await shot(page, 'queue-rows-drawer-file-gone', drawer);
    await expectNoSerious(page, 'the drawer of a job whose file was moved');
    await drawer.getByRole('button', { name: 'Close' }).click();
  });

  it('shows a file name’s direction and zero-width characters escaped, as the command line does', async () => {
    // U+202E reversed what followed it: the row read "spx_vsc.csv_70-10-4202".
    const name = 'spx_\u202e2024-01-07_vsc.csv';
    await queueFile(desk, chainFile(desk.fixtures, name, 78, { expiries: 1, strikesPerExpiry: 6 }));
    await desk.te.engine.drain();
    await showTab('all');
    const shown = 'spx_\\u202e2024-01-07_vsc.csv';
    const cell = page.locator('[data-testid=job-row] .c-file', { hasText: shown });
    await poll(() => cell.count()).toBe(1);
    expect(await cell.textContent()).toBe(shown);
    await cell.click();
    const drawer = page.getByTestId('job-drawer');
    await poll(() => drawer.locator('#drawer-title').textContent()).toBe(shown);
    expect(await drawer.getByTestId('drawer-file').textContent()).toContain(shown);
    expect(await drawer.textContent()).not.toContain('\u202e');
    await drawer.getByRole('button', { name: 'Close' }).click();
  });

  it('keeps every status bar item whole at 1024×700: the throughput and the transport too', async () => {
    // A full bar: paused, jobs waiting, one cancelled, hundreds done, one failed, a throughput.
    await showTab('active');
    await pauseQueue(page);
    for (const [i, name] of ['bar-a.csv', 'bar-b.csv', 'bar-c.csv'].entries())
      await submit(chainFile(desk.fixtures, name, 600 + i, { expiries: 1, strikesPerExpiry: 4 }));
    await poll(() => page.locator('[data-testid=job-row][data-status=queued]').count()).toBe(3);
    await row('bar-a.csv').getByRole('button', { name: 'Cancel bar-a.csv' }).click();
    await poll(() => row('bar-a.csv').count()).toBe(0);
    await page.setViewportSize(SMALL);
    const items =
      '.statusbar > :not(.path):not(.sep):not(.spacer):not(.dot), .statusbar .status-link > :not(.path)';
    await poll(() => cutOff(page, items)).toEqual([]);
    const bar = page.getByTestId('statusbar');
    expect(await bar.getByText('browser host').isVisible()).toBe(true);
    expect(await bar.getByText(/jobs\/min$/).textContent()).toMatch(/^\d[\d,]*\.\d jobs\/min$/);
    await page.screenshot({
      path: join(SHOTS, 'queue-rows-statusbar@1024.png'),
      clip: { x: 0, y: 670, width: 1024, height: 30 },
    });
    // Nothing past the bar's right edge (its overflow is hidden).
    expect(
      await page.evaluate(
        `(() => { const b = document.querySelector('.statusbar'); return b.scrollWidth - b.clientWidth; })()`,
      ),
    ).toBe(0);
    await page.setViewportSize(WIDE);
    await resumeQueue(page);
    await desk.te.engine.drain();
  });

  it('keeps the Wait column at 1024×700: how long a queued job has waited stays in view', async () => {
    // At 1024 the Queue kept As of and an Outcome empty for queued jobs, and hid Wait (QA ib F3).
    await showTab('active');
    await pauseQueue(page);
    await submit(chainFile(desk.fixtures, 'narrow-wait.csv', 640, { expiries: 1 }));
    await poll(() => row('narrow-wait.csv').getAttribute('data-status')).toBe('queued');
    await page.setViewportSize(SMALL);
    const headers = () => page.getByRole('columnheader').allTextContents();
    // The as-of and the submission time give way to it (the drawer has them); the Outcome
    // keeps the room a failed row's message needs.
    await poll(async () => (await headers()).map((h) => h.trim())).toEqual([
      'Level',
      'Status',
      'File',
      'Underlying',
      'Wait',
      'Outcome',
      'Actions',
    ]);
    const wait = row('narrow-wait.csv').locator('.td-wait');
    await poll(() => wait.textContent()).toMatch(/\d/);
    expect(await cutOff(page, '.job-row .td-wait')).toEqual([]);
    await page.screenshot({ path: join(SHOTS, 'queue-rows-wait@1024.png') });
    await page.setViewportSize(WIDE);
    await resumeQueue(page);
    await desk.te.engine.drain();
  });
});

/** Where the focus is: its test id, whether in the jobs table, its row's index and file. */
function focused(): Promise<{
  testid: string | null;
  inTable: boolean;
  rowIndex: string | null;
  file: string | null;
}> {
  return page.evaluate(`(() => {
    const a = document.activeElement;
    const row = a?.closest('[data-testid=job-row]');
    return {
      testid: a?.getAttribute('data-testid') ?? (a === document.body ? 'body' : null),
      inTable: !!a?.closest('[data-testid=jobs-body]'),
      rowIndex: row?.getAttribute('data-row-index') ?? null,
      file: row?.querySelector('.c-file')?.textContent ?? null,
    };
  })()`);
}
