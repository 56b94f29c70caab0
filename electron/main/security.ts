// Hardening of the desktop shell, applied to every web contents the app creates:
// no navigation away from the app (its own page may load again), no new windows, no <webview>, no permissions
// (camera, notifications, …), and the Content-Security-Policy as a response header
// on top of index.html's meta tag. The renderer is served from app://gex, a
// privileged custom scheme, rather than file://, so that 'self' means only the app;
// URL paths become files through the same module as the browser host's.
import { pathToFileURL } from 'node:url';
import { app, net, protocol, session } from 'electron';
import { APP_HOST, APP_SCHEME } from '../../shared/channels.ts';
import { contentSecurityPolicy } from '../host/http/csp.ts';
import { staticFolder } from '../host/http/static-files.ts';

export { APP_SCHEME } from '../../shared/channels.ts';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;

/**
 * electron-vite's dev server (ELECTRON_RENDERER_URL), in development only: a built app
 * loads its own files whatever its environment says, so that a variable set on an
 * analyst's machine cannot point its window, and the rights its pages have, elsewhere.
 */
export function devServerUrl(env: NodeJS.ProcessEnv = process.env): string | null {
  return app.isPackaged ? null : (env.ELECTRON_RENDERER_URL ?? null);
}

/** Must run before the app is ready. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    {
      scheme: APP_SCHEME,
      privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true },
    },
  ]);
}

/** Serves the built renderer folder on app://gex/ (files inside it only). */
export function serveRenderer(rendererDir: string): void {
  // The folder is found at the first request, so that a broken install says so in the window.
  let staticFile: ReturnType<typeof staticFolder> | null = null;
  const csp = contentSecurityPolicy({ header: true });
  protocol.handle(APP_SCHEME, async (request) => {
    try {
      staticFile ??= staticFolder(rendererDir);
    } catch {
      return new Response(
        `GEX Desk's window files are missing (${rendererDir}): install the app again.`,
        { status: 500, headers: { 'content-type': 'text/plain; charset=utf-8' } },
      );
    }
    let url: URL;
    try {
      url = new URL(request.url);
    } catch {
      return new Response('bad request', { status: 400 });
    }
    if (url.host !== APP_HOST) return new Response('not found', { status: 404 });
    const found = staticFile(url.pathname);
    if (!found.ok)
      return new Response(found.status === 400 ? 'bad path' : 'not found', {
        status: found.status,
      });
    // net.fetch reads inside the asar archive, where the packaged renderer lives.
    const res = await net.fetch(pathToFileURL(found.path).toString()).catch(() => null);
    if (!res || !res.ok) return new Response('not found', { status: 404 });
    const headers: Record<string, string> = {
      'content-type': found.contentType,
      'x-content-type-options': 'nosniff',
    };
    if (found.isPage) headers['content-security-policy'] = csp;
    return new Response(res.body, { status: 200, headers });
  });
}

/** Whether `url` is on `origin` (scheme://host[:port]); app:// URLs have no URL.origin. */
export function isOrigin(url: string, origin: string): boolean {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}` === origin;
  } catch {
    return false;
  }
}

export function hardenSessions(devServerOrigin: string | null): void {
  const csp = devServerOrigin
    ? contentSecurityPolicy({
        header: true,
        extra: { 'script-src': "'unsafe-inline'", 'connect-src': 'ws://localhost:*' },
      })
    : contentSecurityPolicy({ header: true });
  const ses = session.defaultSession;
  ses.webRequest.onHeadersReceived((details, callback) => {
    const headers = { ...details.responseHeaders };
    if (details.resourceType === 'mainFrame' || details.resourceType === 'subFrame')
      headers['Content-Security-Policy'] = [csp];
    callback({ responseHeaders: headers });
  });
  ses.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);

  // The app's own page may load again (location.reload(), the error boundary's "Reload the
  // page", a reload after a crash): Electron asks will-navigate for that too.
  const own = devServerOrigin ?? APP_ORIGIN;
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-navigate', (event, url) => {
      if (!isOrigin(url, own)) event.preventDefault();
    });
    contents.on('will-redirect', (event) => event.preventDefault());
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  });
}
