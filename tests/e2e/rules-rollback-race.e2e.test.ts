// QA's repro: the Roll back dialog open on an older version while `gex-desk rules activate
// bob.json` lands, the window not having heard of it yet (its events slowed), and the
// analyst confirms at once. The rollback once went through and silently undid bob's version;
// it now carries the version its diff was against and the engine refuses it, the dialog
// showing why. A rollback that goes through is never called "activated meanwhile,
// elsewhere" by its own dialog while the window loads the new state.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page, WebSocketRoute } from 'playwright-core';
import { goTo, haveChromium, openDesk, poll, until, type Desk } from './harness.ts';
import { openRollback } from './rule-editor.ts';

let desk: Desk;
let page: Page;
/** Events held back from the window (its socket slowed), and whether to hold them. */
const held: (string | Buffer)[] = [];
let hold = false;
let toPage: WebSocketRoute | null = null;

const handlers = () => desk.te.engine.handlers;
async function activeVersion(): Promise<number | null> {
  const a = await handlers()['rules:active']({});
  if (!a.ok) throw new Error(a.error.message);
  return a.value.version;
}

describe.skipIf(!haveChromium)('a rollback racing another activation', () => {
  beforeAll(async () => {
    desk = await openDesk({ workers: 1 });
    page = desk.page;
    await page.routeWebSocket(/\/api\/events/, (ws) => {
      const server = ws.connectToServer();
      toPage = ws;
      server.onMessage((m) => (hold ? held.push(m) : ws.send(m)));
      ws.onMessage((m) => server.send(m));
    });
    await page.reload();
    await goTo(page, 'rules');
    await page.locator('.monaco-editor').waitFor();
    const text = await handlers()['rules:active']({});
    if (!text.ok) throw new Error(text.error.message);
    const v2 = await handlers()['rules:activate']({
      text: text.value.text.replace('"age_s": { "<": 5 }', '"age_s": { "<": 7 }'),
      author: 'ana',
      comment: 'real-time is 7 s',
    });
    expect(v2).toMatchObject({ ok: true, value: { version: 2 } });
    await until(
      () => page.getByTestId('rules-title').textContent(),
      (t) => /^Version 2active/.test(t ?? ''),
      'the window to show version 2',
    );
  }, 180_000);

  afterAll(async () => {
    await desk?.close();
  });

  const openRollbackToV1 = async () => {
    await page.getByRole('tab', { name: /^History/ }).click();
    const dialog = await openRollback(page, 1, 'viewing');
    // It opens on the first field to fill: the name while none is known, else the why.
    const named = (await dialog.getByLabel('Your name').inputValue()) !== '';
    await poll(() => page.evaluate('document.activeElement?.id')).toBe(
      named ? 'change-comment' : 'change-author',
    );
    await dialog.getByLabel('Your name').fill('alice');
    await dialog.getByLabel('Why').fill('back to the guidelines');
    return dialog;
  };

  it('refuses the rollback, shows why, and keeps bob’s version', async () => {
    const dialog = await openRollbackToV1();
    hold = true;
    const now = await handlers()['rules:active']({});
    if (!now.ok) throw new Error(now.error.message);
    const bob = await handlers()['rules:activate']({
      text: now.value.text.replace('"age_s": { "<": 300 }', '"age_s": { "<": 240 }'),
      author: 'bob',
      comment: 'bob important',
    });
    expect(bob).toMatchObject({ ok: true, value: { version: 3 } });
    // The window has not heard of version 3: its dialog still offers the rollback.
    expect(await dialog.getByTestId('stale-base').count()).toBe(0);
    await dialog.getByTestId('confirm-change-button').click();
    await poll(() => dialog.textContent()).toContain(
      'Version 3 (by bob: "bob important") has been activated since version 2',
    );
    expect(await activeVersion()).toBe(3);
    const history = await handlers()['rules:history']({});
    expect(history.ok && history.value.map((v) => v.version)).toEqual([3, 2, 1]);
    // The event arrives: now the dialog says version 3 was activated elsewhere.
    hold = false;
    for (const m of held.splice(0)) toPage!.send(m);
    await until(
      () => dialog.getByTestId('stale-base').textContent(),
      (t) => /Version 3 was activated meanwhile, elsewhere/.test(t ?? ''),
      'the dialog to hear of version 3',
    );
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached' });
  });

  it('never calls the version it made "activated meanwhile, elsewhere"', async () => {
    const dialog = await openRollbackToV1();
    // The new state loads slowly: the dialog stays open after the engine made version 4.
    let release: () => void = () => {};
    const released = new Promise<void>((r) => (release = r));
    await page.route('**/api/call/rules:history', async (route) => {
      await released;
      await route.continue();
    });
    const loaded = page.waitForResponse((r) => r.url().includes('/api/call/rules:active'));
    await dialog.getByTestId('confirm-change-button').click();
    await loaded;
    // Version 4 is the window's active version now (rendered), its history still loading.
    await page.evaluate(
      'new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))',
    );
    expect(await activeVersion()).toBe(4);
    expect(await dialog.isVisible()).toBe(true);
    expect(await dialog.getByTestId('stale-base').count()).toBe(0);
    release();
    await dialog.waitFor({ state: 'detached' });
    await page.unroute('**/api/call/rules:history');
    expect(await activeVersion()).toBe(4);
  });

  it('does not offer a rollback to a version today’s check refuses, and says why', async () => {
    // A version activated under an older, more lenient check (written as that code did),
    // then replaced: its duplicate freshness row is UNREACHABLE_ROW today.
    const now = await handlers()['rules:active']({});
    if (!now.ok) throw new Error(now.error.message);
    const lenient = now.value.text.replace(
      '{ "when": { "age_s": { "<": 5 } }, "value": "real-time" },',
      '{ "when": { "age_s": { "<": 5 } }, "value": "real-time" },\n        { "when": { "age_s": { "<": 3 } }, "value": "fresh" },',
    );
    expect(lenient).not.toBe(now.value.text);
    await desk.te.engine.store.run(
      `INSERT INTO rule_sets (version, text, author, comment, created_at, active)
       VALUES (5, $1, 'carol', 'written by an older check', now(), false)`,
      [lenient],
    );
    const v6 = await handlers()['rules:activate']({
      text: now.value.text.replace('"age_s": { "<": 300 }', '"age_s": { "<": 200 }'),
      author: 'dan',
      comment: 'fresh is 200 s',
    });
    expect(v6).toMatchObject({ ok: true, value: { version: 6 } });
    await until(
      () => page.getByTestId('rules-title').textContent(),
      (t) => /^Version 6active/.test(t ?? ''),
      'the window to show version 6',
    );
    await page.getByRole('tab', { name: /^History/ }).click();
    const dialog = await openRollback(page, 5, 'viewing');
    await dialog.getByLabel('Your name').fill('alice');
    await dialog.getByLabel('Why').fill('back to carol’s rules');
    await poll(() => dialog.getByTestId('change-refusals').textContent()).toMatch(
      /line 28, column 9: UNREACHABLE_ROW: derived\.freshness row 2: this row is never reached/,
    );
    expect(await dialog.getByTestId('confirm-change-button').isDisabled()).toBe(true);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached' });
    expect(await activeVersion()).toBe(6);
  });
});
