// The inbox's failed files in the window. Files the inbox refused itself (a symbolic link,
// a folder whose name names no source) lay in failed/ with no job: the status bar and the
// dialog said "failed 3" while the Queue listed one failed job, and a browser tab offered
// only "Copy path" to learn why. The dialog now says which failed files have a job and
// which were refused, and lists the refusals, each with its reason. And two files of one
// name from two folders gave identical Queue rows and drawers: the row's tooltip now has
// the file's whole path, and the drawer where it lies now (relative to the inbox).
import { existsSync, mkdirSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  axe,
  chainFile,
  goTo,
  haveChromium,
  openDesk,
  poll,
  serious,
  shot,
  SMALL,
  until,
  WIDE,
  jobRow,
  type Desk,
} from './harness.ts';

let desk: Desk;
beforeAll(async () => {
  if (haveChromium) desk = await openDesk({ workers: 1, watchInbox: true });
}, 120_000);
afterAll(() => desk?.close());

describe.skipIf(!haveChromium)('the inbox’s failed files, in the window', () => {
  it('lists the files the inbox refused itself, with their reasons, apart from failed jobs', async () => {
    const { page, te } = desk;
    const inbox = te.engine.config.inbox;
    writeFileSync(join(inbox, 'empty.csv'), '');
    symlinkSync(chainFile(desk.fixtures, 'outside.csv', 3), join(inbox, 'link.csv'));
    mkdirSync(join(inbox, 'acme '));
    chainFile(join(inbox, 'acme '), 'a.csv', 4);
    await poll(() => page.getByTestId('status-inbox-failed').textContent()).toBe('3');
    expect(await page.getByTestId('status-inbox').getAttribute('title')).toContain(
      'failed 3: 1 job, 2 refused by the inbox',
    );
    await page.getByTestId('status-inbox').click();
    const dialog = page.getByTestId('inbox-dialog');
    await poll(() => dialog.getByTestId('inbox-failed-split').innerText()).toBe(
      '1 job, 2 refused by the inbox',
    );
    const refused = dialog.getByTestId('inbox-refused-file');
    expect(await refused.count()).toBe(2);
    expect(await refused.nth(0).innerText()).toMatch(
      /^failed\/acme \/a\.csv .*\nINVALID_REQUEST: the inbox folder "acme " cannot name a source/,
    );
    expect(await refused.nth(1).innerText()).toMatch(
      /^failed\/link\.csv .*\nNOT_A_FILE: link\.csv is a symbolic link/,
    );
    for (const [size, name] of [
      [WIDE, 'inbox-refused-1440'],
      [SMALL, 'inbox-refused-1024'],
    ] as const) {
      await page.setViewportSize(size);
      await shot(page, name);
      expect(serious(await axe(page, `inbox refused ${size.width}`))).toEqual([]);
    }
    await page.setViewportSize(WIDE);
    await dialog.getByRole('button', { name: 'Close', exact: true }).last().click();
    expect(desk.problems).toEqual([]);
  });

  it('tells two files of one name apart: the row’s tooltip and the drawer give their paths', async () => {
    const { page, te } = desk;
    const inbox = te.engine.config.inbox;
    mkdirSync(join(inbox, 'burst', 'x'), { recursive: true });
    mkdirSync(join(inbox, 'burst', 'y'), { recursive: true });
    chainFile(join(inbox, 'burst', 'x'), 'same-0.csv', 11, { underlying: 'XXX' });
    chainFile(join(inbox, 'burst', 'y'), 'same-0.csv', 12, { underlying: 'YYY' });
    await poll(() => page.getByTestId('status-inbox-done').textContent()).toBe('2');
    await goTo(page, 'queue');
    await page.locator('[data-filter=all]').click();
    const cells = page.locator('[data-testid=job-row] .c-file', { hasText: 'same-0.csv' });
    await poll(() => cells.count()).toBe(2);
    const titles = await Promise.all([0, 1].map((i) => cells.nth(i).getAttribute('title')));
    // Its whole path: where the job's row last named it (processing/ or done/).
    expect(titles.map((t) => t?.replace(/^.*\/(processing|done)\//, '')).sort()).toEqual([
      'burst/x/same-0.csv',
      'burst/y/same-0.csv',
    ]);
    expect(titles.every((t) => t?.startsWith(inbox + '/'))).toBe(true);
    const row = page.locator('[data-testid=job-row]', {
      has: page.locator('.c-file[title*="/burst/y/"]'),
    });
    await row.click();
    const file = page.getByTestId('drawer-file');
    // Where it lies now, relative to the inbox (the job's row was written before it moved).
    await poll(() => file.innerText()).toBe('done/burst/y/same-0.csv in the inbox');
    expect(await file.getAttribute('title')).toBe(join(inbox, 'done', 'burst', 'y', 'same-0.csv'));
    // " in the inbox" wraps between its words, not as the path does ("in t / he inbox": QA day2 D2).
    const wordBreak = (e: unknown) =>
      (
        globalThis as unknown as { getComputedStyle(e: unknown): { wordBreak: string } }
      ).getComputedStyle(e).wordBreak;
    expect(await file.locator('.muted').evaluate(wordBreak)).toBe('normal');
    await shot(page, 'drawer-inbox-path');
    expect(serious(await axe(page, 'drawer inbox path'))).toEqual([]);
    expect(desk.problems).toEqual([]);
  });

  it('keeps the failed files told apart in the status bar’s tooltip while the inbox has a problem', async () => {
    const { page, te } = desk;
    const inbox = te.engine.config.inbox;
    // A file too deep to take: the inbox "needs attention" (QA3 F3: the tooltip then said
    // only that, not why its failed count differs from the Queue's).
    const deep = join(inbox, 'd1', 'd2', 'd3', 'd4', 'd5', 'd6', 'd7', 'd8', 'd9');
    mkdirSync(deep, { recursive: true });
    chainFile(deep, 'deep.csv', 21);
    await page.getByTestId('status-inbox-problem').waitFor({ timeout: 30_000 });
    const title = await page.getByTestId('status-inbox').getAttribute('title');
    expect(title).toMatch(/folders deep in the inbox .* Move them up into a shallower folder\./);
    expect(title).toContain('Inbox failed 3: 1 job, 2 refused by the inbox.');
    expect(title).toMatch(/Click to open the inbox\.$/);
    rmSync(join(inbox, 'd1'), { recursive: true });
    expect(desk.problems).toEqual([]);
  });

  it('says why a completed job’s file lies in failed/: changed in processing/ after it was taken (QA day2 D1)', async () => {
    const { page, te } = desk;
    const inbox = te.engine.config.inbox;
    const e = te.engine;
    await e.handlers['queue:pause']({});
    chainFile(inbox, 'changed-1.csv', 31);
    const taken = join(inbox, 'processing', 'changed-1.csv');
    const queued = async () => {
      const r = await e.handlers['jobs:list']({ limit: 100 });
      return r.ok && r.value.some((j) => j.file === taken);
    };
    await until(queued, (v) => v, 'the file to be taken and queued', 30_000);
    truncateSync(taken, 0);
    await e.handlers['queue:resume']({});
    await until(
      () => existsSync(join(inbox, 'failed', 'changed-1.csv')),
      (v) => v,
      'the changed file in failed/',
      30_000,
    );
    await goTo(page, 'queue');
    await page.locator('[data-filter=all]').click();
    await jobRow(page, 'changed-1.csv').click();
    await poll(() => page.getByTestId('drawer-file-changed').innerText()).toMatch(
      /^ ?— changed in processing\/ after it was taken: moved to failed\/; this job ran on the bytes taken at \S/,
    );
    await shot(page, 'drawer-file-changed');
    expect(serious(await axe(page, 'drawer file changed'))).toEqual([]);
    await page.getByRole('button', { name: 'Close the job details' }).click();
    await page.getByTestId('status-inbox').click();
    const dialog = page.getByTestId('inbox-dialog');
    await poll(() => dialog.getByTestId('inbox-failed-split').innerText()).toContain(
      '1 changed after it was taken',
    );
    expect(await dialog.getByTestId('inbox-changed-file').innerText()).toMatch(
      /^failed\/changed-1\.csv .*\nFILE_CHANGED: changed-1\.csv changed in processing\/ after it was taken \(0 bytes now/,
    );
    expect(serious(await axe(page, 'inbox changed'))).toEqual([]);
    await dialog.getByRole('button', { name: 'Close', exact: true }).last().click();
    expect(desk.problems).toEqual([]);
  });
});
