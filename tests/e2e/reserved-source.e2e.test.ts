// The submit dialog's Source field and the inbox's sources (README, G4). The dialog took
// `inbox`, `INBOX` or `Inbox/acme`: the browser's files counted in the watched inbox's own
// record, or made a source reading as the inbox's. It now refuses them at the field, says
// which names are reserved and what to use, and submits nothing until the name is another.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  chainFile,
  dropFile,
  expectNoSerious,
  haveChromium,
  openDesk,
  poll,
  shot,
  submission,
  type Desk,
} from './harness.ts';

let desk: Desk;
beforeAll(async () => {
  if (haveChromium) desk = await openDesk({ workers: 1 });
}, 120_000);
afterAll(() => desk?.close());

describe.skipIf(!haveChromium)('the submit dialog’s source', () => {
  it('refuses the inbox’s sources in any letter case and submits nothing until another is named', async () => {
    const { page, te } = desk;
    const file = chainFile(desk.fixtures, 'reserved.csv', 41);
    await dropFile(page, file, 'reserved.csv');
    const dialog = page.getByTestId('submit-dialog');
    await dialog.waitFor();
    const source = dialog.getByLabel('Source', { exact: true });
    for (const name of ['inbox', ' INBOX ', 'Inbox/acme']) {
      await source.fill(name);
      await page.getByTestId('submit-files').click();
      const said = dialog.getByTestId('source-reserved');
      await poll(() => said.textContent()).toContain(`“${name.trim()}” is the watched inbox’s`);
      expect(await said.textContent()).toMatch(
        /the sources inbox and inbox\/…, in any letter case, are reserved .*Name the source otherwise \(acme, not inbox\/acme\)/,
      );
      expect(await dialog.isVisible()).toBe(true);
    }
    await shot(page, 'submit-dialog-reserved-source');
    await expectNoSerious(page, 'submit dialog, reserved source');
    // Nothing went to the engine: no submission row, no request, no source.
    expect(await submission(page, 'reserved.csv').count()).toBe(0);
    const before = await te.engine.handlers['sources:list']({});
    expect(before.ok && before.value).toEqual([]);

    await source.fill('acme');
    await page.getByTestId('submit-files').click();
    await dialog.waitFor({ state: 'detached' });
    await expect
      .poll(() => submission(page, 'reserved.csv').getAttribute('data-status'), {
        timeout: 60_000,
      })
      .toBe('completed');
    const after = await te.engine.handlers['sources:list']({});
    expect(after.ok && after.value.map((s) => s.id)).toEqual(['acme']);
    expect(desk.problems).toEqual([]);
  });
});
