// The desktop shell's own logic with the Electron runtime replaced: the remembered
// window state, the hardening of every web contents, and the app:// protocol that
// serves only the built renderer.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';

const dir = mkdtempSync(join(tmpdir(), 'gex-shell-'));
const protocolHandlers = new Map<string, (req: Request) => Promise<Response>>();
const appEvents = new Map<string, (...args: unknown[]) => void>();
const sessionHooks: Record<string, unknown> = {};
/** The connected displays, the primary first (a laptop's 1920×1080 with a 40 px taskbar). */
const LAPTOP = { id: 1, workArea: { x: 0, y: 0, width: 1920, height: 1040 } };
let displays: { id: number; workArea: { x: number; y: number; width: number; height: number } }[] =
  [LAPTOP];

let packaged = false;

vi.mock('electron', async () => ({
  app: {
    get isPackaged() {
      return packaged;
    },
    getPath: () => dir,
    on: (event: string, fn: (...args: unknown[]) => void) => appEvents.set(event, fn),
  },
  screen: { getAllDisplays: () => displays, getPrimaryDisplay: () => displays[0] },
  protocol: {
    registerSchemesAsPrivileged: (schemes: unknown) => (sessionHooks.schemes = schemes),
    handle: (scheme: string, fn: (req: Request) => Promise<Response>) =>
      protocolHandlers.set(scheme, fn),
  },
  net: { fetch: (await import('./electron-net.ts')).fileFetch },
  session: {
    defaultSession: {
      webRequest: { onHeadersReceived: (fn: unknown) => (sessionHooks.headers = fn) },
      setPermissionRequestHandler: (fn: unknown) => (sessionHooks.permissionRequest = fn),
      setPermissionCheckHandler: (fn: unknown) => (sessionHooks.permissionCheck = fn),
    },
  },
}));

const { loadWindowState, trackWindowState } = await import('../../electron/main/window-state.ts');
const { devServerUrl, hardenSessions, serveRenderer, registerAppScheme, APP_ORIGIN } =
  await import('../../electron/main/security.ts');

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('window state', () => {
  const file = join(dir, 'window-state.json');
  beforeEach(() => rmSync(file, { force: true }));

  it('starts with a default size when nothing was saved or the file is unreadable', () => {
    expect(loadWindowState()).toMatchObject({ width: 1440, height: 900, maximized: false });
    writeFileSync(file, '{not json');
    expect(loadWindowState()).toMatchObject({ width: 1440, height: 900 });
    writeFileSync(file, JSON.stringify({ width: 'wide' }));
    expect(loadWindowState()).toMatchObject({ width: 1440, height: 900 });
  });

  const saved = (bounds: object) => writeFileSync(file, JSON.stringify(bounds));

  it('restores a window that is on a display as it was', () => {
    saved({ x: 100, y: 80, width: 1200, height: 800, maximized: true });
    expect(loadWindowState()).toEqual({ x: 100, y: 80, width: 1200, height: 800, maximized: true });
    // On a second display still connected (to the right); and across the two, title bar
    // and most of it on the second.
    const right = { id: 2, workArea: { x: 1920, y: 0, width: 2560, height: 1400 } };
    displays = [LAPTOP, right];
    try {
      saved({ x: 2200, y: 100, width: 1200, height: 800 });
      expect(loadWindowState()).toMatchObject({ x: 2200, y: 100, width: 1200, height: 800 });
      saved({ x: 1500, y: 100, width: 1200, height: 800 });
      expect(loadWindowState()).toMatchObject({ x: 1500, y: 100, width: 1200, height: 800 });
    } finally {
      displays = [LAPTOP];
    }
  });

  it('moves a window whose title bar is above every screen down onto it, shrunk to fit', () => {
    // Saved on a monitor above the laptop, now gone: only its bottom 100 px were on the laptop.
    saved({ x: 200, y: -1000, width: 1440, height: 1100 });
    expect(loadWindowState()).toEqual({
      x: 200,
      y: 0,
      width: 1440,
      height: 1040,
      maximized: false,
    });
    // Mostly on the screen, but the title bar 20 px above it.
    saved({ x: 100, y: -20, width: 1200, height: 800 });
    expect(loadWindowState()).toMatchObject({ x: 100, y: 0, width: 1200, height: 800 });
  });

  it('moves a window that is mostly off the side of the screen back onto it', () => {
    saved({ x: 1800, y: 100, width: 1440, height: 900 });
    expect(loadWindowState()).toMatchObject({ x: 480, y: 100, width: 1440, height: 900 });
    saved({ x: -1300, y: 100, width: 1440, height: 900 });
    expect(loadWindowState()).toMatchObject({ x: 0, y: 100, width: 1440, height: 900 });
  });

  it('shrinks a window saved on a bigger monitor to the screen it comes back on, title bar and close button in reach', () => {
    // Saved on a 2560×1440 monitor; after undocking only the laptop's screen is left.
    saved({ x: 30, y: 20, width: 2500, height: 1380, maximized: false });
    expect(loadWindowState()).toEqual({ x: 0, y: 0, width: 1920, height: 1040, maximized: false });
    // Mostly on the screen, but its right end (the close button on Windows) off it.
    saved({ x: 1000, y: 100, width: 1440, height: 900 });
    expect(loadWindowState()).toMatchObject({ x: 480, y: 100, width: 1440, height: 900 });
  });

  it('centres a window whose display is gone on the primary display', () => {
    saved({ x: 2200, y: 100, width: 1200, height: 800 });
    expect(loadWindowState()).toMatchObject({ x: 360, y: 120, width: 1200, height: 800 });
    saved({ x: 5000, y: 80, width: 2400, height: 1300 });
    expect(loadWindowState()).toMatchObject({ x: 0, y: 0, width: 1920, height: 1040 });
  });

  it('saves the bounds when the window closes', () => {
    const listeners = new Map<string, () => void>();
    const win = {
      isDestroyed: () => false,
      getNormalBounds: () => ({ x: 10, y: 20, width: 1000, height: 700 }),
      isMaximized: () => false,
      on: (event: string, fn: () => void) => listeners.set(event, fn),
    };
    trackWindowState(win as never);
    listeners.get('close')!();
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({
      x: 10,
      y: 20,
      width: 1000,
      height: 700,
      maximized: false,
    });
  });
});

describe('hardening', () => {
  it("denies navigation away from the app's page, redirects, webviews, new windows and permissions", () => {
    hardenSessions(null);
    const handlers = new Map<string, (e: { preventDefault(): void }, url?: string) => void>();
    let openHandler: (() => { action: string }) | null = null;
    const contents = {
      on: (event: string, fn: (e: { preventDefault(): void }, url?: string) => void) =>
        handlers.set(event, fn),
      setWindowOpenHandler: (fn: () => { action: string }) => (openHandler = fn),
    };
    appEvents.get('web-contents-created')!({}, contents);
    for (const event of ['will-navigate', 'will-redirect', 'will-attach-webview']) {
      const e = {
        prevented: false,
        preventDefault() {
          this.prevented = true;
        },
      };
      handlers.get(event)!(e);
      expect(e.prevented, event).toBe(true);
    }
    // The app's own page may load again (a reload); nothing else, in a built app or in dev.
    const navigate = (url: string) => {
      let prevented = false;
      handlers.get('will-navigate')!({ preventDefault: () => (prevented = true) }, url);
      return prevented ? 'prevented' : 'allowed';
    };
    expect(navigate(`${APP_ORIGIN}/index.html#/jobs`)).toBe('allowed');
    expect(navigate(`${APP_ORIGIN}/index.html`)).toBe('allowed');
    for (const url of [
      'https://example.com/',
      'app://other/index.html',
      'file:///etc/passwd',
      'http://localhost:5173/',
      'not a url',
    ])
      expect(navigate(url), url).toBe('prevented');
    hardenSessions('http://localhost:5173');
    appEvents.get('web-contents-created')!({}, contents);
    expect(navigate('http://localhost:5173/')).toBe('allowed');
    expect(navigate('http://localhost:5174/')).toBe('prevented');
    expect(navigate(`${APP_ORIGIN}/index.html`)).toBe('prevented');
    expect(openHandler!()).toEqual({ action: 'deny' });
    let granted: boolean | null = null;
    (sessionHooks.permissionRequest as (wc: unknown, p: string, cb: (ok: boolean) => void) => void)(
      {},
      'media',
      (ok) => (granted = ok),
    );
    expect(granted).toBe(false);
    expect((sessionHooks.permissionCheck as () => boolean)()).toBe(false);
  });

  it('adds the Content-Security-Policy to every page response', () => {
    let out: { responseHeaders: Record<string, string[]> } | null = null;
    (sessionHooks.headers as (d: unknown, cb: (r: typeof out) => void) => void)(
      { resourceType: 'mainFrame', responseHeaders: { 'content-type': ['text/html'] } },
      (r) => (out = r),
    );
    expect(out!.responseHeaders['Content-Security-Policy']![0]).toContain("default-src 'none'");
    expect(out!.responseHeaders['Content-Security-Policy']![0]).toContain("script-src 'self'");
    expect(out!.responseHeaders['Content-Security-Policy']![0]).not.toContain('unsafe-eval');
    // Monaco's workers are same-origin module workers: nothing needs blob: URLs.
    expect(out!.responseHeaders['Content-Security-Policy']![0]).not.toContain('blob:');
  });
});

describe('the app:// protocol', () => {
  it('is what a built app loads, whatever ELECTRON_RENDERER_URL says; the dev server only in development', () => {
    const env = { ELECTRON_RENDERER_URL: 'http://localhost:5173' };
    try {
      packaged = true;
      expect(devServerUrl(env)).toBeNull();
      packaged = false;
      expect(devServerUrl(env)).toBe('http://localhost:5173');
      expect(devServerUrl({})).toBeNull();
    } finally {
      packaged = false;
    }
  });

  it('is registered as a secure standard scheme', () => {
    registerAppScheme();
    expect(sessionHooks.schemes).toEqual([
      expect.objectContaining({
        scheme: 'app',
        privileges: expect.objectContaining({ standard: true, secure: true }),
      }),
    ]);
  });

  it('serves files of the renderer folder only, pages with the CSP', async () => {
    const root = join(dir, 'renderer');
    mkdirSync(join(root, 'assets'), { recursive: true });
    writeFileSync(join(root, 'index.html'), '<title>GEX Desk</title>');
    writeFileSync(join(root, 'assets', 'a.js'), 'export {}');
    writeFileSync(join(dir, 'secret.txt'), 'secret');
    serveRenderer(root);
    const handle = protocolHandlers.get('app')!;
    const page = await handle(new Request(`${APP_ORIGIN}/index.html`));
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('GEX Desk');
    expect(page.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    const js = await handle(new Request(`${APP_ORIGIN}/assets/a.js`));
    expect(js.headers.get('content-type')).toContain('javascript');
    expect((await handle(new Request(`${APP_ORIGIN}/%2e%2e/secret.txt`))).status).toBe(404);
    expect((await handle(new Request(`${APP_ORIGIN}/%E0%A4%A`))).status).toBe(400);
    expect((await handle(new Request(`${APP_ORIGIN}/nope.js`))).status).toBe(404);
    expect((await handle(new Request('app://other/index.html'))).status).toBe(404);
  });

  it('says in the window that its files are missing, in a broken install', async () => {
    serveRenderer(join(dir, 'no-renderer'));
    const res = await protocolHandlers.get('app')!(new Request(`${APP_ORIGIN}/index.html`));
    expect(res.status).toBe(500);
    expect(await res.text()).toContain('window files are missing');
  });
});
