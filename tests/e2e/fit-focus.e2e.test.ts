// The submit dialog holds and returns the keyboard's focus like every other dialog, and
// what must be read stays whole: an escalated late job's level in the Queue, the jobs'
// actions in a 1024×700 window with the submissions panel open, and there too the
// inbox's counts in the status bar while the queue is paused. A button that opens another
// view lands the focus on that view's heading (a workbench's Close gives it back to the
// row it was opened from), and a polite live region says each submission's outcome.
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { serve, uploadFolderOf } from '../../electron/host/serve.ts';
import {
  axe,
  chainFile,
  cutOff,
  dropFile,
  goTo,
  haveChromium,
  openDesk,
  pauseQueue,
  poll,
  resumeQueue,
  ROOT,
  serious,
  shot,
  SHOTS,
  SMALL,
  until,
  WIDE,
  type Desk,
} from './harness.ts';

let desk: Desk;
let home = '';
let page: Page;

/** What has the focus: its data-testid, else its tag. */
const focused = () =>
  page.evaluate(
    `(() => { const a = document.activeElement; return a ? (a.dataset.testid || a.tagName.toLowerCase()) : null; })()`,
  ) as Promise<string | null>;
const inDialog = () =>
  page.evaluate(
    `!!document.activeElement?.closest('[data-testid=submit-dialog]')`,
  ) as Promise<boolean>;

/** Chooses a file with "Open files…", as an analyst does. */
async function chooseFile(path: string): Promise<void> {
  const [chooser] = await Promise.all([
    page.waitForEvent('filechooser'),
    page.getByTestId('open-files').click(),
  ]);
  await chooser.setFiles(path);
  await page.getByTestId('submit-dialog').waitFor();
}

const cut = (sel: string) => cutOff(page, sel);

/** What has the focus: its id, data-testid, tag and text. */
const landed = () =>
  page.evaluate(
    `(() => { const a = document.activeElement; return a ? { id: a.id, testid: a.dataset.testid ?? '', tag: a.tagName.toLowerCase(), text: (a.textContent ?? '').trim().slice(0, 60) } : null; })()`,
  ) as Promise<{ id: string; testid: string; tag: string; text: string } | null>;

/** Focuses `el` and presses Enter on it, as a keyboard user opens it. */
async function enterOn(el: ReturnType<Page['locator']>): Promise<void> {
  await el.focus();
  await page.keyboard.press('Enter');
}

/** The live region's lines. */
const announced = () => page.getByTestId('announcer').innerText();

/** Opens the submissions panel when it is collapsed. */
async function openPanel(): Promise<void> {
  if (await page.locator('.side-panel.collapsed').count())
    await page.locator('.panel-toggle').click();
  await page.locator('.side-panel:not(.collapsed)').waitFor();
}

describe.skipIf(!haveChromium)('fit and focus', () => {
  beforeAll(async () => {
    // A database path as long as an analyst's home folder gives (the status bar shows it).
    const tmp = process.env.TMPDIR;
    home = mkdtempSync(join(tmpdir(), 'gex-desk-analyst-home-'));
    process.env.TMPDIR = join(home, 'workstation');
    mkdirSync(process.env.TMPDIR);
    try {
      desk = await openDesk({ workers: 1, watchInbox: true });
    } finally {
      if (tmp === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = tmp;
    }
    page = desk.page;
    // A file dropped in the inbox that ends in failed/ (before the queue is paused).
    const junk = join(desk.fixtures, 'inbox-junk.csv');
    writeFileSync(junk, 'this is not,an option chain\nhello,world\n');
    copyFileSync(junk, join(desk.te.engine.config.inbox, 'inbox-junk.csv'));
    await until(
      () => page.getByTestId('status-inbox-failed').textContent(),
      (t) => t === '1',
      'the inbox file to end in failed/',
    );
  }, 180_000);

  afterAll(async () => {
    await desk?.close();
    if (home) rmSync(home, { recursive: true, force: true });
  });

  it('keeps Tab inside the submit dialog and gives the focus back to "Open files…"', async () => {
    const file = chainFile(desk.fixtures, 'focus-a.csv', 501, { expiries: 2, strikesPerExpiry: 8 });
    await pauseQueue(page);
    for (const close of ['Escape', 'Cancel', 'Submit'] as const) {
      await chooseFile(file);
      const dialog = page.getByTestId('submit-dialog');
      expect(await focused()).toBe('submit-files');
      // Forwards and backwards past both ends, the focus never leaves the dialog.
      for (let i = 0; i < 14; i++) {
        await page.keyboard.press('Tab');
        expect(await inDialog(), `Tab ${i + 1}`).toBe(true);
      }
      for (let i = 0; i < 14; i++) {
        await page.keyboard.press('Shift+Tab');
        expect(await inDialog(), `Shift+Tab ${i + 1}`).toBe(true);
      }
      if (close === 'Escape') await page.keyboard.press('Escape');
      else await dialog.getByRole('button', { name: close, exact: true }).click();
      await dialog.waitFor({ state: 'detached' });
      expect(await focused(), `after ${close}`).toBe('open-files');
    }
    // Dropped files have no opener: the focus goes to "Open files…", not the page's body.
    await dropFile(page, file, 'focus-b.csv');
    await page.getByTestId('submit-dialog').waitFor();
    await page.keyboard.press('Escape');
    await page.getByTestId('submit-dialog').waitFor({ state: 'detached' });
    expect(await focused()).toBe('open-files');

    await chooseFile(file);
    expect(serious(await axe(page, 'submit dialog'))).toEqual([]);
    await shot(page, 'submit-dialog-modal');
    await page.keyboard.press('Escape');
  });

  it('shows an escalated late job’s level whole at both sizes', async () => {
    const active = await desk.te.engine.handlers['rules:active']({});
    if (!active.ok) throw new Error(active.error.message);
    const edited = JSON.parse(active.value.text) as {
      levels: Record<string, { target: string; on_late: string }>;
    };
    edited.levels.HIGH = { target: '2 s', on_late: 'escalate' };
    edited.levels.MEDIUM = { target: '2 s', on_late: 'escalate' };
    edited.levels.LOW = { target: '2 s', on_late: 'escalate' };
    const res = await desk.te.engine.handlers['rules:activate']({
      text: JSON.stringify(edited, null, 2),
      author: 'e2e',
      comment: 'short targets',
    });
    if (!res.ok) throw new Error(res.error.message);
    await goTo(page, 'queue');
    await poll(() => page.getByTestId('target-LOW').textContent()).toBe(
      'target 2 s, then escalate',
    );
    for (const [i, priority] of (['LOW', 'MEDIUM', 'HIGH'] as const).entries()) {
      const name = `late-${priority.toLowerCase()}.csv`;
      const path = chainFile(desk.fixtures, name, 510 + i, { expiries: 2, strikesPerExpiry: 8 });
      await dropFile(page, path, name);
      await page.getByLabel('Priority').selectOption(priority);
      await page.getByLabel('Justification').fill('late test');
      await page.getByTestId('submit-files').click();
      await page.getByTestId('submit-dialog').waitFor({ state: 'detached' });
    }
    // LOW escalates to CRITICAL past three targets; every one of them is then late.
    await until(
      () => page.locator('.job-row[data-level=CRITICAL].is-late .flag.esc').count(),
      (n) => n >= 3,
      'the three jobs to be escalated to CRITICAL and late',
      60_000,
    );
    for (const size of [WIDE, SMALL]) {
      await page.setViewportSize(size);
      await page.waitForTimeout(250);
      await openPanel();
      expect(await cut('.job-row .c-level'), `level cells at ${size.width}`).toEqual([]);
      expect(await page.locator('.job-row .c-level').first().textContent()).toMatch(
        /CRITICAL.*↑.*LATE/,
      );
    }
    await page.setViewportSize(WIDE);
    await shot(page, 'queue-late-escalated');
    expect(serious(await axe(page, 'queue: late escalated'))).toEqual([]);
  });

  it('keeps every job’s actions in view at 1024×700 with the submissions panel open', async () => {
    await page.setViewportSize(SMALL);
    await page.waitForTimeout(250);
    // A narrow window collapses it: the analyst opens it.
    await openPanel();
    expect(await page.getByTestId('job-row').count()).toBeGreaterThanOrEqual(4);
    expect(await page.locator('.job-row .c-act button').count()).toBeGreaterThanOrEqual(4);
    expect(await cut('.job-row .c-act button')).toEqual([]);
    // Nor behind the table's edge (a sideways scroll): within the table's visible box.
    const hidden = await page.evaluate(`(() => {
      const box = document.querySelector('.queue-view .tscroll').getBoundingClientRect();
      return [...document.querySelectorAll('.job-row .c-act button')].filter((b) => b.getBoundingClientRect().right > box.right + 0.5).length;
    })()`);
    expect(hidden).toBe(0);
    expect(await cut('.job-row .c-outcome')).toEqual([]);
    const sideways = await page.evaluate(
      `(() => { const s = document.querySelector('.queue-view .tscroll'); return s ? s.scrollWidth - s.clientWidth : -1; })()`,
    );
    expect(sideways).toBe(0);
    await page.screenshot({ path: join(SHOTS, 'queue-panel-open@1024.png') });
    await page.setViewportSize(WIDE);
  });

  it('keeps the inbox counts whole in the status bar at 1024×700 while paused', async () => {
    // A cancelled job too: the bar then names the cancelled ones, even at 1024 px.
    await page.getByTestId('job-row').first().getByTestId('cancel-job').click();
    await page.getByTestId('status-paused').waitFor();
    await page.setViewportSize(SMALL);
    await page.waitForTimeout(200);
    const counts =
      '[data-testid=status-inbox], [data-testid=status-inbox-done], [data-testid=status-inbox-failed], [data-testid=status-paused], [data-testid=total-queued], [data-testid=total-failed]';
    expect(await cut(counts)).toEqual([]);
    for (const id of ['status-inbox-done', 'status-inbox-failed']) {
      expect(await page.getByTestId(id).isVisible(), id).toBe(true);
    }
    expect(await page.getByTestId('status-inbox-done').textContent()).toBe('0');
    expect(await page.getByTestId('status-inbox-failed').textContent()).toBe('1');
    await page.setViewportSize(WIDE);
    await shot(page, 'statusbar-inbox-paused');
  });

  it('shortens the database path, never the status bar’s short items, from 1200 px up', async () => {
    // The path shown from 1200 px up; the queue still paused, a job cancelled: a full bar.
    const items =
      '.statusbar > :not(.path):not(.sep):not(.spacer):not(.dot), .statusbar .status-link > :not(.path)';
    for (const width of [1280, 1440]) {
      await page.setViewportSize({ width, height: 900 });
      await page.waitForTimeout(200);
      expect(await page.locator('.statusbar > .path').isVisible()).toBe(true);
      expect(await cut(items), `status bar items cut at ${width}`).toEqual([]);
      // The transport, last, is there whole.
      expect(await page.getByTestId('statusbar').getByText('browser host').isVisible()).toBe(true);
      // The path gives what room there is, its file's name kept: what was cut is in the middle.
      const path = desk.te.engine.config.dbPath;
      expect(await page.locator('.statusbar > .path').getAttribute('title')).toBe(path);
      const tail = page.locator('.statusbar > .path .mid-tail');
      expect(await tail.textContent()).toBe(path.slice(path.lastIndexOf('/') + 1));
      expect(await cut('.statusbar > .path .mid-tail')).toEqual([]);
      await page.screenshot({
        path: join(SHOTS, `statusbar-full-${width}.png`),
        clip: { x: 0, y: 870, width, height: 30 },
      });
    }
    await page.setViewportSize(WIDE);
  });
  it('says each submission’s outcome and a job cancelled from its row in a polite live region', async () => {
    const region = page.getByTestId('announcer');
    expect(await region.getAttribute('role')).toBe('status');
    expect(await region.getAttribute('aria-live')).toBe('polite');
    await goTo(page, 'queue');
    // Delete on a waiting job's row (the queue is still paused): said, and the focus shows.
    await page.locator('[data-filter=active]').click();
    const waiting = page.locator('[data-testid=job-row][data-status=queued]').first();
    const name = (await waiting.locator('.c-file').innerText()).trim();
    expect(await waiting.getAttribute('aria-keyshortcuts')).toBe('Enter Delete');
    await waiting.focus();
    expect(await page.getByTestId('keys-hint').first().isVisible()).toBe(true);
    await page.keyboard.press('Delete');
    await poll(announced).toContain(`Cancelled ${name}.`);
    const ring = await page.evaluate(
      `(() => { const a = document.activeElement; return a && a !== document.body ? getComputedStyle(a).outlineStyle : 'none'; })()`,
    );
    expect(ring).not.toBe('none');
    await shot(page, 'queue-cancelled-from-row');
    await resumeQueue(page);
    // A chain that completes and a file that is no chain: each outcome said as it ends.
    const good = chainFile(desk.fixtures, 'said-good.csv', 601, {
      expiries: 2,
      strikesPerExpiry: 8,
    });
    await chooseFile(good);
    await page.getByTestId('submit-files').click();
    await poll(announced).toMatch(
      /said-good\.csv: completed, level [A-Z]+, \w+ total GEX -?[\d.,]+ (M|Bn)\./,
    );
    const junk = join(desk.fixtures, 'said-junk.csv');
    writeFileSync(junk, 'not,a chain\n1,2\n');
    await chooseFile(junk);
    await page.getByTestId('submit-files').click();
    await poll(announced).toMatch(/said-junk\.csv: failed(, level [A-Z]+)?\. UNKNOWN_FORMAT: /);
    expect(await focused()).toBe('open-files');
    await openPanel();
    expect(serious(await axe(page, 'submission outcomes said'))).toEqual([]);
    await shot(page, 'submission-outcome-said');
  });

  it('lands the focus on the view a button opens, and gives it back after the workbench’s Close', async () => {
    await goTo(page, 'queue');
    await page.locator('[data-filter=all]').click();
    const done = page.locator('[data-testid=job-row]', {
      has: page.locator('.c-file', { hasText: 'said-good.csv' }),
    });
    // The drawer's "Open the snapshot ›": the snapshot's heading, read out.
    await done.click();
    await enterOn(page.getByTestId('drawer-snapshot'));
    await poll(async () => (await landed())?.id).toBe('snapshot-title');
    // Its next Tab is in the workbench, not 26 stops away.
    await page.keyboard.press('Tab');
    expect(
      await page.evaluate(`!!document.activeElement?.closest('[data-testid=snapshot-detail]')`),
    ).toBe(true);
    expect(serious(await axe(page, 'focus landed on the snapshot'))).toEqual([]);
    await shot(page, 'focus-landed-snapshot');
    // "History of …": the History pane; "Open this snapshot": the snapshot again.
    await enterOn(page.getByTestId('open-history'));
    await poll(async () => (await landed())?.testid).toBe('history-view');
    await enterOn(page.getByRole('button', { name: 'Open this snapshot' }));
    await poll(async () => (await landed())?.id).toBe('snapshot-title');
    // "Compare": the comparison.
    await enterOn(page.getByTestId('open-compare'));
    await poll(async () => (await landed())?.testid).toBe('compare-view');
    expect(serious(await axe(page, 'focus landed on compare'))).toEqual([]);
    await shot(page, 'focus-landed-compare');
    // Back and Forward (Alt+← / Alt+→) are the analyst's moves too: the focus lands on
    // the view they return to, not on the page's body.
    await page.goBack();
    await poll(async () => (await landed())?.id).toBe('snapshot-title');
    await page.goForward();
    await poll(async () => (await landed())?.testid).toBe('compare-view');
    // Opened from the levels board's row: Close gives the focus back to that row.
    await page.locator('[data-pane=levels]').click();
    const row = page.getByTestId('levels-row').first();
    await enterOn(row);
    await page.getByTestId('snapshot-detail').waitFor();
    await enterOn(page.getByTestId('snapshot-detail').getByRole('button', { name: 'Close' }));
    await page.getByTestId('snapshot-detail').waitFor({ state: 'detached' });
    await poll(async () => (await landed())?.testid).toBe('levels-row');
    // Not the status bar: the stop before the row is the board's own (its columns, Export).
    await page.keyboard.press('Shift+Tab');
    expect(
      await page.evaluate(`!!document.activeElement?.closest('[data-testid=levels-board]')`),
    ).toBe(true);

    // The drawer's "open in Audit ›": the request's timeline.
    await goTo(page, 'queue');
    await page.locator('[data-filter=all]').click();
    await done.click();
    await enterOn(page.getByRole('button', { name: 'open in Audit ›' }));
    await poll(async () => (await landed())?.id).toBe('trail-title');
    // Audit's rows are one Tab stop; T opens a row's timeline.
    await page.getByRole('button', { name: '‹ All entries' }).click();
    await page.locator('.audit-row').first().waitFor();
    expect(await page.locator('[data-testid=open-timeline][tabindex="-1"]').count()).toBe(
      await page.getByTestId('open-timeline').count(),
    );
    const auditRow = page.locator('.audit-row[aria-keyshortcuts="Enter T"]').first();
    await auditRow.focus();
    await page.keyboard.press('t');
    await poll(async () => (await landed())?.id).toBe('trail-title');
    expect(serious(await axe(page, 'focus landed on the timeline'))).toEqual([]);
    await shot(page, 'focus-landed-timeline');
    // Audit's "timeline ›" with the mouse's keyboard equivalent (the button itself).
    await page.getByRole('button', { name: '‹ All entries' }).click();
    await enterOn(page.getByTestId('open-timeline').first());
    await poll(async () => (await landed())?.id).toBe('trail-title');

    // Sources: the source changes (Audit's heading) and a source's failed jobs (the Queue's).
    await goTo(page, 'sources');
    await enterOn(page.getByRole('button', { name: 'Source changes in the audit trail ›' }));
    await poll(async () => (await landed())?.text).toBe('Audit trail');
    await goTo(page, 'sources');
    await enterOn(page.locator('.failed-jobs').first());
    await poll(async () => (await landed())?.text).toBe('Queue');
    expect((await landed())?.tag).toBe('h1');
  });
  it('says an upload the host refused for its size', async () => {
    // The host again at this address with this tab's token, taking uploads up to 1 KiB.
    await desk.host.close();
    await page.getByTestId('engine-unreachable').waitFor({ timeout: 30_000 });
    desk.host = await serve(desk.te.engine, {
      rendererDir: join(ROOT, 'out/renderer'),
      uploadDir: uploadFolderOf(desk.te.engine.config),
      port: desk.host.port,
      token: desk.host.token,
      maxUploadBytes: 1024,
    });
    await page.getByTestId('engine-unreachable').waitFor({ state: 'detached', timeout: 60_000 });
    await poll(() => page.getByTestId('open-files').isEnabled()).toBe(true);
    const big = chainFile(desk.fixtures, 'said-big.csv', 602, { expiries: 2, strikesPerExpiry: 8 });
    await chooseFile(big);
    await page.getByTestId('submit-files').click();
    await poll(announced).toMatch(/said-big\.csv: not submitted\. [A-Z_]+: /);
    expect(serious(await axe(page, 'upload refused said'))).toEqual([]);
  });
});
