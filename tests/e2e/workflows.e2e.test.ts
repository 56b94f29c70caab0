// The workflows of issue 11 in real Chromium against the real engine (browser host):
// "What would change" replays the stored requests under an edit that sends stale data
// to MEDIUM instead of LOW and lists exactly the stale past requests, LOW → MEDIUM, each
// one click from its audit trail; after the edit is activated the Queue shows the new
// rules' targets; a source's reliability override is set and cleared from the Sources
// view and both changes are in the audit trail; the inbox shows in the status bar and
// follows a change of folder and the files that end in it; a job whose run is over while
// its result waits in the store's lane shows as storing, not running, and its Ran time
// ends with its run. Screenshots at both sizes, axe-core on each new view.
import { copyFileSync, existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { exportFilesOf } from '../../electron/engine/export-layout.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { setEditorText, staleTo } from './rule-editor.ts';
import { writeBadFiles } from '../fixtures/option-chains.ts';
import { elapsed } from '../../shared/elapsed.ts';
import {
  chainFile,
  goTo,
  haveChromium,
  openDesk,
  poll,
  shot,
  SMALL,
  until,
  WIDE,
  type Desk,
  expectNoSerious,
} from './harness.ts';

let desk: Desk;
let page: Page;
/** Request ids of the stale requests (decided LOW by G2) and of the rest. */
const stale: string[] = [];
const others: string[] = [];

/** Stale data to MEDIUM instead of LOW (G2), and CRITICAL's target 45 s, then escalate. */
function edited(text: string): string {
  const critical = '"CRITICAL": { "target": "30 s", "on_late": "flag" }';
  if (!text.includes(critical))
    throw new Error('the default rules no longer have the CRITICAL target this test edits');
  return staleTo(text, 'MEDIUM').replace(
    critical,
    '"CRITICAL": { "target": "45 s", "on_late": "escalate" }',
  );
}

async function submit(file: string, extra: Record<string, string> = {}): Promise<string> {
  const r = await desk.te.engine.handlers['ingest:submit']({ file, source: 'desk', ...extra });
  if (!r.ok) throw new Error(r.error.message);
  return r.value.request_id;
}

describe.skipIf(!haveChromium)('workflows: what-if, sources, targets, inbox', () => {
  beforeAll(async () => {
    desk = await openDesk({ workers: 1, watchInbox: true });
    page = desk.page;
    // Past requests: stale chains (as_of in 2024) from two sources, one file with a bad
    // value, and a stale chain with a manual CRITICAL (G1 decides it, whatever the rules).
    for (let i = 0; i < 3; i++)
      stale.push(
        await submit(
          chainFile(desk.fixtures, `stale-${i}.csv`, 300 + i, { expiries: 2, strikesPerExpiry: 8 }),
        ),
      );
    stale.push(
      await submit(
        chainFile(desk.fixtures, 'vendor.csv', 310, {
          underlying: 'NDX',
          expiries: 2,
          strikesPerExpiry: 8,
        }),
        {
          source: 'vendor-x',
        },
      ),
    );
    const bad = writeBadFiles(join(desk.fixtures, 'bad'));
    stale.push(await submit(bad.badValue!.path, { source: 'vendor-x' }));
    others.push(
      await submit(
        chainFile(desk.fixtures, 'fomc.csv', 320, { expiries: 2, strikesPerExpiry: 8 }),
        {
          requested_priority: 'CRITICAL',
          justification: 'FOMC',
          author: 'e2e',
        },
      ),
    );
    await desk.te.engine.drain();
  }, 180_000);

  afterAll(async () => {
    await desk?.close();
  });

  it('shows a LOW job whose run is over while the store’s LOW lane is busy as storing, not running; its Ran time ends with its run', async () => {
    await goTo(page, 'queue');
    // The store's LOW lane kept busy, as by a burst's LOW work: 30 works of 50 ms waiting.
    const low = desk.te.engine.store.at('LOW');
    let pending = 0;
    let busy = true;
    const topUp = () => {
      while (busy && pending < 30) {
        pending++;
        void low
          .transaction(() => new Promise((r) => setTimeout(r, 50)))
          .finally(() => {
            pending--;
            topUp();
          });
      }
    };
    topUp();
    const name = 'stored-late.csv';
    const requestId = await submit(
      chainFile(desk.fixtures, name, 330, { expiries: 2, strikesPerExpiry: 5 }),
      { source: 'low-burst' },
    );
    stale.push(requestId); // a past stale request for the tests that follow
    try {
      // Its run is over in milliseconds; its `running` and `completed` rows wait in the lane
      // (the list shows it queued until they are written, as announced only once written).
      const card = async () =>
        `${await page.getByTestId('running-LOW').textContent()} running ${await page
          .getByTestId('storing-LOW')
          .textContent({ timeout: 100 })
          .catch(() => '')}`;
      await poll(card).toBe('0 running + 1 storing');
      // Its result is stored whatever is asked: no Cancel (nor Delete) is offered on its row.
      const row = page.locator('[data-testid=job-row]', { hasText: name });
      await poll(() => row.textContent()).toContain('storing the result');
      expect(await row.getByTestId('cancel-job').count()).toBe(0);
      expect(await row.getAttribute('aria-keyshortcuts')).toBe('Enter');
    } finally {
      busy = false;
      await until(
        () => pending,
        (n) => n === 0,
        'the LOW lane to empty',
      );
    }
    await desk.te.engine.drain();
    const id = await jobOf(requestId);
    const got = await desk.te.engine.handlers['jobs:get']({ id });
    if (!got.ok) throw new Error(got.error.message);
    const job = got.value.job;
    const at = (iso: string | null) => Date.parse(iso ?? '');
    await page.evaluate(`location.hash = '#/queue/job/${id}'`);
    await poll(() => page.getByTestId('drawer-ran').textContent()).toMatch(
      new RegExp(`^${elapsed(at(job.run_ended_at) - at(job.started_at))}\\b`),
    );
    // Its `completed` event may reach the page after its run's end did (the drain answers
    // when the engine stored it): the drawer says "waiting for the store" until then.
    await poll(() => page.getByTestId('drawer-stored').textContent()).toBe(
      `${elapsed(at(job.finished_at) - at(job.run_ended_at))} after its run`,
    );
    await page.keyboard.press('Escape');
  });

  it('what would change: exactly the stale past requests, LOW → MEDIUM, each one click from its trail', async () => {
    await goTo(page, 'rules');
    await page.locator('.monaco-editor').waitFor();
    await poll(() => page.getByTestId('rules-check').textContent()).toMatch(/^valid/);
    const active = await desk.te.engine.handlers['rules:active']({});
    if (!active.ok) throw new Error(active.error.message);
    await setEditorText(page, edited(active.value.text));
    await poll(() => page.getByTestId('rules-check').textContent()).toMatch(/^valid/);
    await page.getByRole('tab', { name: 'What would change' }).click();
    await poll(() => page.getByTestId('whatif-state').textContent()).toBe(
      `Your draft decides ${stale.length} of ${stale.length + others.length} past requests otherwise.`,
    );
    const groups = page.getByTestId('whatif-group');
    expect(await groups.count()).toBe(1);
    expect(await groups.first().getAttribute('data-from')).toBe('LOW');
    expect(await groups.first().getAttribute('data-to')).toBe('MEDIUM');
    expect(await groups.first().getByTestId('whatif-count').textContent()).toBe(
      `${stale.length} requests`,
    );
    await groups.first().getByRole('button', { expanded: false }).click();
    const rows = page.getByTestId('whatif-request');
    await poll(() => rows.count()).toBe(stale.length);
    const listed = await Promise.all((await rows.all()).map((r) => r.getAttribute('data-request')));
    expect([...listed].sort()).toEqual([...stale].sort());
    // Arrival times come in for every request.
    await poll(() => rows.locator('td:nth-child(2)').allTextContents()).toEqual(
      stale.map(() => expect.stringMatching(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d /)),
    );
    expect(await rows.first().locator('.rule-cell').textContent()).toBe('G2 → G2');
    // At the narrow window's width every row's Trail button is in the panel, not scrolled out.
    await page.setViewportSize(SMALL);
    const panel = (await page.locator('.whatif-scroll').first().boundingBox())!;
    for (const r of await rows.all()) {
      const trail = (await r.getByRole('button', { name: /^Audit trail of/ }).boundingBox())!;
      expect(trail.x + trail.width).toBeLessThanOrEqual(panel.x + panel.width);
    }
    await page.setViewportSize(WIDE);
    await shot(page, 'rules-whatif');
    await expectNoSerious(page, 'rules: what would change');

    // Fewer requests replayed: only the last two.
    await page.getByLabel('Replay the last').fill('2');
    await page.getByRole('button', { name: 'Replay', exact: true }).click();
    await poll(() => page.getByTestId('whatif-state').textContent()).toMatch(/ of 2 past requests/);
    await page.getByLabel('Replay the last').fill('1000');
    await page.getByRole('button', { name: 'Replay', exact: true }).click();
    await poll(() => page.getByTestId('whatif-state').textContent()).toMatch(
      new RegExp(` of ${stale.length + others.length} past requests`),
    );

    // The open group stays open across replays. One click to a request's audit trail,
    // and Back returns to the draft.
    await poll(() => rows.count()).toBe(stale.length);
    const first = rows.first();
    const id = await first.getAttribute('data-request');
    await first.getByRole('button', { name: /^Audit trail of / }).click();
    await page.getByTestId('request-trail').waitFor();
    expect(page.url()).toContain(`#/audit/${id}`);
    expect(await page.getByTestId('request-trail').textContent()).toContain(id);
    await page.goBack();
    await page.getByTestId('rules-view').waitFor();
    await poll(() => page.getByTestId('rules-title').textContent()).toMatch(/^Your draft/);
  });

  it('shows the targets of the rules just activated, in the Queue and a job’s drawer', async () => {
    await page.getByRole('button', { name: 'Activate…' }).click();
    const dialog = page.getByTestId('confirm-change');
    await dialog.waitFor();
    await dialog.getByLabel('Your name').fill('e2e analyst');
    await dialog.getByLabel('Why').fill('stale data to MEDIUM; CRITICAL 45 s then escalate');
    await dialog.getByTestId('confirm-change-button').click();
    await poll(() => page.getByTestId('activated-banner').textContent()).toBe(
      'Version 2 is now active.',
    );
    await goTo(page, 'queue');
    await poll(() => page.getByTestId('target-CRITICAL').textContent()).toBe(
      'target 45 s, then escalate',
    );
    expect(await page.getByTestId('target-LOW').textContent()).toBe('target 2 h, then escalate');
    // The CRITICAL job's drawer says the same.
    await page.evaluate(`location.hash = '#/queue/job/${await jobOf(others[0]!)}'`);
    await poll(() => page.getByTestId('drawer-target').textContent()).toMatch(
      /^target 45 s; a job waiting longer is flagged late and escalated one level/,
    );
    await page.keyboard.press('Escape');
  });

  it('sets a source’s reliability override with a justification, clears it, and both are audited', async () => {
    await goTo(page, 'sources');
    const vendor = page.locator('[data-testid=source-row][data-source=vendor-x]');
    await vendor.waitFor();
    expect(await vendor.getByTestId('completed').textContent()).toBe('1');
    expect(await vendor.getByTestId('failed').textContent()).toBe('1');
    expect(await vendor.getByTestId('reliability').textContent()).toBe('0.50');
    const desk_ = page.locator('[data-testid=source-row][data-source=desk]');
    expect(await desk_.getByTestId('completed').textContent()).toBe('4');
    await shot(page, 'sources');
    await expectNoSerious(page, 'sources: the list');

    await vendor.getByRole('button', { name: 'Override the reliability of vendor-x' }).click();
    const dialog = page.getByTestId('override-dialog');
    await dialog.waitFor();
    const confirm = dialog.getByTestId('override-confirm');
    await dialog.getByLabel('Reliability (0–1)').fill('0.2');
    await dialog.getByLabel('Your name').fill('e2e analyst');
    expect(await confirm.isDisabled()).toBe(true); // no justification yet
    await dialog.getByLabel('Justification').fill('feed outage all week');
    await shot(page, 'sources-override-dialog');
    await expectNoSerious(page, 'sources: override dialog');
    await confirm.click();
    await dialog.waitFor({ state: 'detached' });
    await poll(() => vendor.getByTestId('reliability').textContent()).toBe('0.20');
    expect(await vendor.getByTestId('override').textContent()).toContain('feed outage all week');
    await poll(() => page.getByTestId('source-recorded').textContent()).toMatch(
      /^Recorded in the audit trail: source vendor-x: reliability set to 0\.20 \(was computed 0\.50\): feed outage all week \(by e2e analyst\)\./,
    );
    expect(await vendor.getByTestId('source-audit').textContent()).toBe('1 change ›');
    await shot(page, 'sources-overridden');

    await vendor.getByRole('button', { name: 'Clear the override of vendor-x' }).click();
    await dialog.waitFor();
    await dialog.getByLabel('Why (optional)').fill('feed is back');
    await dialog.getByTestId('override-confirm').click();
    await dialog.waitFor({ state: 'detached' });
    await poll(() => vendor.getByTestId('reliability').textContent()).toBe('0.50');
    expect(await vendor.getByTestId('override').count()).toBe(0);
    await poll(() => vendor.getByTestId('source-audit').textContent()).toBe('2 changes ›');

    await page.getByRole('button', { name: 'See it in the audit trail ›' }).click();
    await page.getByTestId('audit-view').waitFor();
    expect(await page.locator('.chip[data-kind=source]').getAttribute('aria-pressed')).toBe('true');
    await poll(() => page.getByTestId('audit-count').textContent()).toBe('2 entries');
    const texts = await page.locator('.audit-row').allTextContents();
    expect(texts.join('\n')).toContain('reliability override 0.20 cleared');
    expect(texts.join('\n')).toContain('feed outage all week');
    await shot(page, 'audit-source-changes');
    await page.locator('.chip[data-kind=source]').click();
  });

  it('opens the Queue on a source’s failed jobs from its failed count', async () => {
    await goTo(page, 'sources');
    const vendor = page.locator('[data-testid=source-row][data-source=vendor-x]');
    await vendor
      .getByRole('button', {
        name: '1 failed on their content: show the failed jobs of vendor-x in the Queue, which also lists failures not counted here',
      })
      .click();
    await page.getByTestId('queue-view').waitFor();
    expect(await page.locator('[data-filter=failed]').getAttribute('aria-pressed')).toBe('true');
    const box = page.getByLabel('Filter jobs by file, underlying, source, rule or id');
    // The source itself, exactly, as a chip (the box stays the analyst's).
    expect(await box.inputValue()).toBe('');
    expect(await page.getByTestId('source-filter').textContent()).toMatch(/^Source: vendor-x/);
    await poll(() => page.getByTestId('row-count').textContent()).toBe('1 job');
    expect(await page.getByTestId('queue-view').textContent()).toContain('bad-value.csv');
    await shot(page, 'queue-source-failed');
    await expectNoSerious(page, 'queue: a source’s failed jobs');
    // The next visit opens as usual.
    await goTo(page, 'sources');
    await goTo(page, 'queue');
    expect(await page.locator('[data-filter=active]').getAttribute('aria-pressed')).toBe('true');
    expect(await page.getByTestId('source-filter').count()).toBe(0);
  });

  it('shows the inbox in the status bar and follows a change of folder and its files', async () => {
    const inbox = desk.te.engine.config.inbox;
    await poll(() => page.getByTestId('status-inbox-dir').textContent()).toBe(inbox);
    expect(await page.getByTestId('status-inbox-done').textContent()).toBe('0');
    // Another folder, chosen beside the app (as `gex-desk inbox set` does through the API),
    // a moment after a file was dropped into this one: too late for it to be taken.
    const next = join(desk.te.dir, 'inbox-2');
    writeFileSync(join(inbox, 'late.csv'), 'dropped a moment before the change\n');
    const set = await desk.te.engine.handlers['inbox:set']({ dir: next });
    if (!set.ok) throw new Error(set.error.message);
    await poll(() => page.getByTestId('status-inbox-dir').textContent()).toBe(next);
    mkdirSync(next, { recursive: true });
    copyFileSync(
      chainFile(desk.fixtures, 'inbox-chain.csv', 330, { expiries: 2, strikesPerExpiry: 8 }),
      join(next, 'inbox-chain.csv'),
    );
    const bad = writeBadFiles(join(desk.fixtures, 'bad-2'));
    copyFileSync(bad.badValue!.path, join(next, 'bad-value.csv'));
    await until(
      () => page.getByTestId('status-inbox-done').textContent(),
      (t) => t === '1',
      'the inbox file to end in done/',
    );
    await poll(() => page.getByTestId('status-inbox-failed').textContent()).toBe('1');
    await page.getByTestId('status-inbox').click();
    const dialog = page.getByTestId('inbox-dialog');
    await dialog.waitFor();
    expect(await dialog.getByTestId('inbox-count-done').textContent()).toBe('1');
    // The inbox's own row: files dropped in and not taken yet (none now).
    expect(await dialog.getByTestId('inbox-count-dir').textContent()).toBe('0');
    expect(await dialog.getByTestId('inbox-folder-done').textContent()).toContain(
      join(next, 'done'),
    );
    expect(await dialog.getByTestId('inbox-browser-note').textContent()).toContain(
      'gex-desk inbox set FOLDER',
    );
    expect(await dialog.getByTestId('inbox-left').textContent()).toBe(
      `1 file still in the previous inbox, ${inbox}: not taken before the change, and not taken now. Move it into this folder to ingest it.`,
    );
    await shot(page, 'inbox-dialog');
    await expectNoSerious(page, 'inbox dialog');
    // Moved somewhere else (not into the new inbox, whose events would say it): the note goes.
    renameSync(join(inbox, 'late.csv'), join(desk.fixtures, 'late-moved-away.csv'));
    await dialog.getByTestId('inbox-left').waitFor({ state: 'detached', timeout: 10_000 });
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    await shot(page, 'statusbar-inbox');

    // The folder goes away (a share disconnected): the status bar says so, and the dialog why.
    renameSync(next, `${next}-away`);
    await page.getByTestId('status-inbox-problem').waitFor({ timeout: 10_000 });
    expect(await page.getByTestId('status-inbox-problem').textContent()).toBe('needs attention');
    expect(await page.getByTestId('status-inbox').getAttribute('title')).toBe(
      `The inbox ${next} does not exist (a network share disconnected, or the folder moved or deleted); files dropped there are taken once it can be read again. Click to open the inbox.`,
    );
    await page.getByTestId('status-inbox').click();
    expect(await page.getByTestId('inbox-problem').textContent()).toBe(
      `The inbox ${next} does not exist (a network share disconnected, or the folder moved or deleted); files dropped there are taken once it can be read again.`,
    );
    await shot(page, 'inbox-unreachable');
    await expectNoSerious(page, 'inbox unreachable');
    await page.keyboard.press('Escape');
    renameSync(`${next}-away`, next);
    await page.getByTestId('status-inbox-problem').waitFor({ state: 'detached', timeout: 10_000 });
    expect(desk.problems).toEqual([]);
  });

  it('removes a snapshot ingested by mistake: justified, gone from the board, in its trail', async () => {
    const requestId = await submit(
      chainFile(desk.fixtures, 'mistake.csv', 330, {
        underlying: 'QQQ',
        spot: 430,
        expiries: 2,
        strikesPerExpiry: 8,
      }),
    );
    await desk.te.engine.drain();
    const levels = await desk.te.engine.handlers['snapshots:levels']({});
    if (!levels.ok) throw new Error(levels.error.message);
    const id = levels.value.rows.find((l) => l.underlying === 'QQQ')!.id;
    await page.evaluate(`location.hash = '#/snapshots/${id}'`);
    await page.getByTestId('snapshot-detail').waitFor();
    const row = page.locator('[data-testid=levels-row][data-underlying=QQQ]');
    await row.waitFor();

    await page.getByTestId('remove-snapshot').click();
    const dialog = page.getByTestId('remove-snapshot-dialog');
    await dialog.waitFor();
    // Without a justification, nothing can be removed and the dialog says why.
    expect(await dialog.getByTestId('remove-snapshot-confirm').isDisabled()).toBe(true);
    expect(await dialog.getByText('A justification is required.').count()).toBe(1);
    await dialog.getByLabel('Justification').fill('the wrong file: a test chain');
    await dialog.getByLabel('Your name').fill('e2e analyst');
    await shot(page, 'snapshot-remove-dialog');
    await expectNoSerious(page, 'snapshots: remove dialog');
    await dialog.getByTestId('remove-snapshot-confirm').click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByTestId('snapshot-detail').waitFor({ state: 'detached' });
    await row.waitFor({ state: 'detached' });
    expect(await page.locator('[data-testid=levels-row][data-underlying=SPX]').count()).toBe(1);
    await shot(page, 'snapshot-removed');
    const gone = await desk.te.engine.handlers['snapshots:get']({ id });
    expect(gone.ok ? null : gone.error.code).toBe('NOT_FOUND');

    // Its request's trail ends with the removal: who and why.
    await page.evaluate(`location.hash = '#/audit/${requestId}'`);
    await page.getByTestId('audit-view').waitFor();
    await poll(async () =>
      (await page.getByTestId('timeline-entry').allTextContents()).join('\n'),
    ).toMatch(/removed[\s\S]*the wrong file: a test chain/);
    expect(await page.getByTestId('trail-snapshot-removed').textContent()).toBe('snapshot removed');
    await shot(page, 'audit-snapshot-removed');
    await expectNoSerious(page, 'audit: a removal in its trail');
    // The job's drawer says so too, instead of a way to a snapshot that is gone.
    await page.evaluate(`location.hash = '#/queue/job/${await jobOf(requestId)}'`);
    await page.getByTestId('drawer-snapshot-removed').waitFor();
    expect(await page.getByTestId('drawer-snapshot').count()).toBe(0);
    await page.keyboard.press('Escape');
    expect(desk.problems).toEqual([]);
  });

  it('after a removal from the keyboard, the focus is on the pane it was open under and the status says what went', async () => {
    for (const [i, underlying] of ['IWM', 'DIA'].entries())
      await submit(
        chainFile(desk.fixtures, `${underlying.toLowerCase()}.csv`, 340 + i, {
          underlying,
          spot: 200 + 100 * i,
          expiries: 2,
          strikesPerExpiry: 8,
        }),
      );
    await desk.te.engine.drain();
    const levels = await desk.te.engine.handlers['snapshots:levels']({});
    if (!levels.ok) throw new Error(levels.error.message);
    const idOf = (u: string) => levels.value.rows.find((l) => l.underlying === u)!.id;
    const focused = `(() => {
      const el = document.activeElement;
      const view = document.querySelector('[data-testid=snapshots-view]');
      return el && el !== document.body && view && view.contains(el) ? el.textContent : null;
    })()`;
    // IWM under the levels board, DIA under the list of every snapshot.
    for (const [address, underlying, pane] of [
      ['#/snapshots/', 'IWM', 'Latest levels per underlying'],
      ['#/snapshots/list/', 'DIA', 'Every stored snapshot'],
    ] as const) {
      await page.evaluate(`location.hash = '${address}${idOf(underlying)}'`);
      await page.getByTestId('snapshot-detail').waitFor();
      const title = (await page.locator('#snapshot-title').textContent())!;
      expect(title).toMatch(new RegExp(`^${underlying} `));
      await page.getByTestId('remove-snapshot').focus();
      await page.keyboard.press('Enter');
      const dialog = page.getByTestId('remove-snapshot-dialog');
      await dialog.waitFor();
      await page.keyboard.type('the wrong file, removed from the keyboard');
      await dialog.getByTestId('remove-snapshot-confirm').focus();
      await page.keyboard.press('Enter');
      await dialog.waitFor({ state: 'detached' });
      await page.getByTestId('snapshot-detail').waitFor({ state: 'detached' });
      // The focus is in the view, on the pane's title, not dropped to the page's body …
      expect(await page.evaluate(focused)).toBe(pane);
      // … and a polite status says what was removed.
      const status = page.getByTestId('snapshot-removed-status');
      expect(await status.getAttribute('role')).toBe('status');
      expect(await status.textContent()).toBe(
        `Removed the ${underlying} snapshot of ${title.slice(underlying.length + 1)}.`,
      );
    }
    await shot(page, 'snapshot-removed-keyboard');
    await expectNoSerious(page, 'snapshots: removed from the keyboard');
    expect(desk.problems).toEqual([]);
  });

  it('names the export files a removal left in the folder they were exported to, another than the data folder in use', async () => {
    await submit(
      chainFile(desk.fixtures, 'xlk.csv', 350, {
        underlying: 'XLK',
        spot: 210,
        expiries: 2,
        strikesPerExpiry: 8,
      }),
    );
    await desk.te.engine.drain();
    const levels = await desk.te.engine.handlers['snapshots:levels']({});
    if (!levels.ok) throw new Error(levels.error.message);
    const id = levels.value.rows.find((l) => l.underlying === 'XLK')!.id;
    // As a database copied from another desk names it: its files there (copied), its row
    // naming them, and none in this data folder.
    const got = await desk.te.engine.handlers['snapshots:get']({ id });
    if (!got.ok) throw new Error(got.error.message);
    const dataDir = desk.te.engine.config.dataDir;
    const other = join(desk.te.dir, 'desk-b-data');
    const mine = Object.values(exportFilesOf(got.value.snapshot.parquet));
    const theirs = mine.map((f) => join(other, relative(dataDir, f)));
    mine.forEach((f, i) => {
      mkdirSync(dirname(theirs[i]!), { recursive: true });
      renameSync(f, theirs[i]!);
    });
    await desk.te.engine.store.run('UPDATE gex_snapshots SET parquet = $1 WHERE id = $2', [
      theirs[0]!,
      id,
    ]);

    await page.evaluate(`location.hash = '#/snapshots/${id}'`);
    await page.getByTestId('snapshot-detail').waitFor();
    await page.getByTestId('remove-snapshot').click();
    const dialog = page.getByTestId('remove-snapshot-dialog');
    await dialog.getByLabel('Justification').fill('copied by mistake');
    await dialog.getByTestId('remove-snapshot-confirm').click();
    await dialog.waitFor({ state: 'detached' });
    const status = page.getByTestId('snapshot-removed-status');
    await poll(() => status.textContent()).toContain(
      `3 export files left in ${other}, where the snapshot was exported (not the data folder in use, so not deleted): a desk attaching that folder still sees the snapshot`,
    );
    for (const f of theirs) expect(existsSync(f), f).toBe(true);
    for (const size of [WIDE, SMALL]) {
      await page.setViewportSize(size);
      await expectNoSerious(page, `snapshots: a removal that left files, at ${size.width}`);
    }
    await page.setViewportSize(WIDE);
    await shot(page, 'snapshot-removed-left-files');
  });
});

async function jobOf(requestId: string): Promise<string> {
  const jobs = await desk.te.engine.handlers['jobs:list']({ limit: 100 });
  if (!jobs.ok) throw new Error(jobs.error.message);
  const job = jobs.value.find((j) => j.request_id === requestId);
  if (!job) throw new Error(`no job for ${requestId}`);
  return job.id;
}
