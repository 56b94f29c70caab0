// The browser host's token in real Chromium, against `serve` and the real engine: the
// page takes the token from the printed address, drops it from the address bar, keeps
// it for a reload in sessionStorage, sends it as a header and as the event socket's
// first message (never in the socket's URL), and the browser holds no cookie of ours.
// Opened without its token, the page gets UNAUTHORIZED answers and says it cannot
// reach the engine.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type BrowserContext } from 'playwright-core';
import { serve, type ServeHandle } from '../../electron/host/serve.ts';
import { buildRenderer } from '../../electron/host/renderer-build.ts';
import { startTestEngine, type TestEngine } from '../desktop/engine.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const haveChromium = existsSync(CHROMIUM);
if (!haveChromium && process.env.CI) throw new Error(`Chromium is missing at ${CHROMIUM}`);

let te: TestEngine;
let host: ServeHandle;
let browser: Browser;
const contexts: BrowserContext[] = [];
const poll = <T>(fn: () => T | Promise<T>) => expect.poll(fn, { timeout: 20_000, interval: 100 });

async function newPage() {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  contexts.push(context);
  const page = await context.newPage();
  const sockets: { url: string; sent: string[] }[] = [];
  page.on('websocket', (ws) => {
    const entry = { url: ws.url(), sent: [] as string[] };
    sockets.push(entry);
    ws.on('framesent', ({ payload }) => entry.sent.push(String(payload)));
  });
  const calls: { status: number; token: string | undefined }[] = [];
  page.on('response', (res) => {
    if (res.url().includes('/api/call/'))
      calls.push({ status: res.status(), token: res.request().headers()['x-gex-token'] });
  });
  return { context, page, sockets, calls };
}

describe.skipIf(!haveChromium)('the token in a browser', () => {
  beforeAll(async () => {
    await buildRenderer();
    te = await startTestEngine({ runJobs: false });
    host = await serve(te.engine, {
      rendererDir: join(ROOT, 'out/renderer'),
      uploadDir: join(te.dir, 'uploads'),
    });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--no-first-run',
      ],
    });
  }, 180_000);
  afterAll(async () => {
    for (const c of contexts) await c.close();
    await browser?.close();
    await host?.close();
    await te?.stop();
  });

  it('travels as a header and the socket’s first message, survives a reload, and is never a cookie', async () => {
    const { context, page, sockets, calls } = await newPage();
    await page.goto(host.url);
    const state = page.getByTestId('engine-state');
    await poll(() => state.textContent()).toBe('engine ok');
    expect(page.url()).not.toContain('token');
    expect(await page.evaluate('Object.keys(sessionStorage).sort()')).toEqual([
      'gex-desk-token',
      'gex-desk-token-accepted',
    ]);
    expect(calls.length).toBeGreaterThan(0);
    for (const c of calls) expect(c).toEqual({ status: 200, token: host.token });
    expect(sockets.length).toBeGreaterThan(0);
    for (const s of sockets) expect(s.url).toBe(`ws://127.0.0.1:${host.port}/api/events`);
    expect(JSON.parse(sockets[0]!.sent[0]!)).toEqual({ type: 'auth', token: host.token });

    await page.reload();
    await poll(() => state.textContent()).toBe('engine ok');
    expect(calls.at(-1)).toEqual({ status: 200, token: host.token });
    expect(await context.cookies()).toEqual([]);
  });

  it('without its token, the page is served but every call is UNAUTHORIZED', async () => {
    const { context, page, calls, sockets } = await newPage();
    await page.goto(host.origin);
    // The page explains itself instead of looking like an empty app.
    await page.locator('h1', { hasText: 'This address needs its token' }).waitFor();
    // It does not even ask: it knows it has no token.
    expect(calls).toEqual([]);
    expect(sockets).toEqual([]);
    const answer = await page.evaluate(
      `fetch('/api/call/engine:health', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }).then(async (r) => ({ status: r.status, body: await r.json() }))`,
    );
    expect(answer).toMatchObject({
      status: 401,
      body: { ok: false, error: { code: 'UNAUTHORIZED' } },
    });
    expect(await context.cookies()).toEqual([]);
  });

  it.each([
    ['a wrong token', () => `${host.origin}/?token=abc`],
    ['the printed address cut short', () => host.url.slice(0, -6)],
  ])(
    'opened with %s, says the address’s token is wrong or cut short, not that the server restarted',
    async (_what, address) => {
      const { page, calls } = await newPage();
      await page.goto(address());
      const screen = page.getByTestId('token-screen');
      await screen.waitFor();
      expect(await screen.getAttribute('data-why')).toBe('wrong');
      expect(await screen.locator('h1').textContent()).toBe(
        'This address’s token is wrong or cut short',
      );
      expect(await screen.textContent()).toMatch(/Copy the whole address it printed/);
      expect(await screen.textContent()).not.toMatch(/restarted/);
      expect(calls.some((c) => c.status === 401)).toBe(true);
      // Nothing of the refused token is kept for a reload.
      expect(await page.evaluate('sessionStorage.length')).toBe(0);
    },
  );
});
