// The status bar when the engine's database fails (DuckDB invalidates it after a
// checkpoint that could not write: a full disk): the window says "database failed" at
// once — from the engine:failed event, not the next health poll — with why in its
// tooltip, and a banner above every view, rather than "engine ok" over an engine that can
// store nothing. A file dropped into the watched inbox meanwhile is held there, not failed,
// and the status bar and the inbox dialog say so.
// tests/system/disk-full.test.ts has the real full disk; here DuckDB's error is raised
// inside a real transaction of the real engine.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cboeCsvText, makeChain } from '../fixtures/option-chains.ts';
import { axe, haveChromium, openDesk, serious, shot, type Desk } from './harness.ts';

let desk: Desk;
beforeAll(async () => {
  if (haveChromium) desk = await openDesk({ workers: 1, watchInbox: true });
}, 120_000);
afterAll(() => desk?.close());

describe.skipIf(!haveChromium)('a failed database, on screen', () => {
  it('says so in the status bar at once, with why, and the view stays accessible', async () => {
    const { page, te } = desk;
    const fatal =
      'FATAL Error: Failed to create checkpoint because of error: Could not write file "gex.duckdb": No space left on device';
    const failedAt = Date.now();
    await te.engine.store
      .transaction(async () => {
        throw new Error(fatal);
      })
      .catch(() => undefined);
    const state = page.getByTestId('engine-state');
    await state.getByText('database failed', { exact: true }).waitFor({ timeout: 4_000 });
    // The health poll runs every 5 s: within 4 s, it was the event that told the window.
    expect(Date.now() - failedAt).toBeLessThan(4_000);
    expect(await state.getAttribute('title')).toMatch(
      /can no longer be written: the disk holding it is full\. Free some space, then open it again/,
    );
    // Above every view, so that nobody drops files into an engine that cannot store them.
    const banner = page.getByTestId('engine-problem');
    expect(await banner.innerText()).toMatch(
      /^Nothing can be stored now\.\s+The database .* can no longer be written: the disk holding it is full/,
    );
    expect(await banner.innerText()).not.toContain('DuckDB');
    await shot(page, 'database-failed');
    expect(serious(await axe(page, 'database failed'))).toEqual([]);
    expect(desk.problems).toEqual([]);
  });

  it('holds a file dropped into the inbox meanwhile, and says so', async () => {
    const { page, te } = desk;
    const inbox = te.engine.config.inbox;
    writeFileSync(
      join(inbox, 'spx.csv'),
      cboeCsvText(makeChain({ seed: 7, expiries: 2, strikesPerExpiry: 10 })),
    );
    const held = page.getByTestId('status-inbox-held');
    await held.waitFor({ timeout: 15_000 });
    expect(await held.innerText()).toBe('1');
    expect(await held.getAttribute('title')).toMatch(
      /^1 file held in the inbox, not failed: The database .* can no longer be written: the disk holding it is full\. Free some space, then open it again \(the app, gex-desk serve or gex-desk queue --drain\): what was queued is kept and runs then\. Tried again from \d\d:\d\d:\d\d\.$/,
    );
    expect(await page.getByTestId('status-inbox-failed').innerText()).toBe('0');
    // Counted as held, not twice as waiting too.
    expect(await page.getByTestId('status-inbox-waiting').count()).toBe(0);
    await page.getByTestId('status-inbox').click();
    const note = page.getByTestId('inbox-held');
    expect(await note.innerText()).toMatch(/^1 file held in the inbox, not failed: The database/);
    await shot(page, 'inbox-held');
    expect(serious(await axe(page, 'inbox held'))).toEqual([]);
    expect(desk.problems).toEqual([]);
  });
});
