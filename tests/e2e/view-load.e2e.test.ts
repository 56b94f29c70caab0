// A lazily loaded view whose code cannot be fetched, in real Chromium through the
// browser host: a tab left on the Queue while `gex-desk serve` stops shows the "cannot
// be reached" banner; opening Rules then (its chunk was never loaded) used to unmount
// the whole UI to a blank page. The pane now says the view could not be loaded and
// offers to try again; the banner, the navigation and the last figures stay, and once
// the server answers again, trying again loads the view with its styles.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { serve, uploadFolderOf } from '../../electron/host/serve.ts';
import { expectNoSerious, goTo, haveChromium, openDesk, ROOT, shot, type Desk } from './harness.ts';

let desk: Desk;
let page: Page;

describe.skipIf(!haveChromium)('a view whose code cannot be fetched', () => {
  beforeAll(async () => {
    desk = await openDesk({ workers: 1 });
    page = desk.page;
  }, 180_000);
  afterAll(async () => {
    await desk?.close();
  });

  it('says so in its pane, keeps the banner and the navigation, and loads on trying again', async () => {
    await goTo(page, 'queue');
    const port = desk.host.port;
    const token = desk.host.token;
    await desk.host.close();
    const banner = page.getByTestId('engine-unreachable');
    await banner.waitFor({ timeout: 30_000 });

    await page.locator('[data-view=rules]').click();
    const failed = page.getByTestId('view-failed');
    await failed.waitFor();
    expect(await failed.getAttribute('role')).toBe('alert');
    expect(await failed.locator('h2').textContent()).toBe('The Rules view could not be loaded');
    expect(await banner.isVisible()).toBe(true);
    expect(await page.locator('nav[aria-label=Views] a').count()).toBe(5);
    expect(await page.getByTestId('engine-state').textContent()).toBe('engine unreachable');
    await shot(page, 'view-failed');
    await expectNoSerious(page, 'view could not be loaded');

    // The other views still show what they had.
    await goTo(page, 'queue');
    expect(await banner.isVisible()).toBe(true);

    // The server is back at this address: trying again loads the view and its stylesheet.
    desk.host = await serve(desk.te.engine, {
      rendererDir: join(ROOT, 'out/renderer'),
      uploadDir: uploadFolderOf(desk.te.engine.config),
      port,
      token,
    });
    await banner.waitFor({ state: 'detached', timeout: 30_000 });
    await page.locator('[data-view=rules]').click();
    await failed.waitFor();
    await failed.getByRole('button', { name: 'Try again' }).click();
    await page.getByTestId('rules-view').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('view-failed').count()).toBe(0);
    const styles = (await page.evaluate(
      `[...document.querySelectorAll('link[rel=stylesheet]')].map((l) => ({ href: l.href, loaded: l.sheet !== null }))`,
    )) as { href: string; loaded: boolean }[];
    expect(styles).not.toContainEqual(expect.objectContaining({ loaded: false }));
    expect(styles.map((s) => s.href).join(' ')).toMatch(/RulesView/);
  });
});
