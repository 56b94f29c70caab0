// Hardening of the desktop shell, applied to every web contents the app creates:
// no navigation away from the app, no new windows, no <webview>, no permissions
// (camera, notifications, …), and the Content-Security-Policy as a response header
// on top of index.html's meta tag. The renderer is served from app://gex, a
// privileged custom scheme, rather than file://, so that 'self' means only the app.
import { realpathSync } from 'node:fs';
import { resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { app, net, protocol, session } from 'electron';
import { contentSecurityPolicy } from '../host/http/csp.ts';
import { contentType } from '../host/http/mime.ts';

export const APP_SCHEME = 'app';
export const APP_ORIGIN = `${APP_SCHEME}://gex`;

/** Must run before the app is ready. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true } },
  ]);
}

/** Serves the built renderer folder on app://gex/ (files inside it only). */
export function serveRenderer(rendererDir: string): void {
  const root = realpathSync(rendererDir);
  const csp = contentSecurityPolicy({ header: true });
  protocol.handle(APP_SCHEME, async (request) => {
    const url = new URL(request.url);
    if (url.host !== 'gex') return new Response('not found', { status: 404 });
    let rel = decodeURIComponent(url.pathname);
    if (rel === '/' || rel === '') rel = '/index.html';
    const file = resolve(root, '.' + rel);
    if (!file.startsWith(root + sep)) return new Response('not found', { status: 404 });
    const res = await net.fetch(pathToFileURL(file).toString()).catch(() => null);
    if (!res || !res.ok) return new Response('not found', { status: 404 });
    const headers: Record<string, string> = { 'content-type': contentType(file), 'x-content-type-options': 'nosniff' };
    if (file.endsWith('.html')) headers['content-security-policy'] = csp;
    return new Response(res.body, { status: 200, headers });
  });
}

export function hardenSessions(devServerOrigin: string | null): void {
  const csp = devServerOrigin
    ? contentSecurityPolicy({ header: true, extra: { 'script-src': "'unsafe-inline'", 'connect-src': 'ws://localhost:*' } })
    : contentSecurityPolicy({ header: true });
  const ses = session.defaultSession;
  ses.webRequest.onHeadersReceived((details, callback) => {
    const headers = { ...details.responseHeaders };
    if (details.resourceType === 'mainFrame' || details.resourceType === 'subFrame') headers['Content-Security-Policy'] = [csp];
    callback({ responseHeaders: headers });
  });
  ses.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);

  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-navigate', (event) => event.preventDefault());
    contents.on('will-redirect', (event) => event.preventDefault());
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  });
}
