// One static-file server for both hosts: the desktop app's app:// protocol (Electron
// replaced) and the browser host (a real HTTP server on the real engine) give the same
// answer to the same path — the renderer's files, and nothing for traversal, bad
// %-escapes, encoded slashes or backslashes, NUL, empty segments, drive letters, a
// directory, or a link that leads out of the folder.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

const handlers = new Map<string, (req: Request) => Promise<Response>>();
vi.mock('electron', async () => ({
  app: { on: () => undefined },
  protocol: {
    registerSchemesAsPrivileged: () => undefined,
    handle: (scheme: string, fn: (req: Request) => Promise<Response>) => handlers.set(scheme, fn),
  },
  net: { fetch: (await import('./electron-net.ts')).fileFetch },
  session: {},
}));

const { serveRenderer, APP_ORIGIN } = await import('../../electron/main/security.ts');
const { pathSegments, staticFolder } = await import('../../electron/host/http/static-files.ts');
const { serve } = await import('../../electron/host/serve.ts');
const { startTestEngine } = await import('./engine.ts');
const { send } = await import('./http.ts');

const dir = mkdtempSync(join(tmpdir(), 'gex-static-'));
const root = join(dir, 'renderer');
let te: Awaited<ReturnType<typeof startTestEngine>>;
let host: Awaited<ReturnType<typeof serve>>;

/** Path → the status both hosts must give. */
const CASES: [string, number][] = [
  ['/', 200],
  ['/index.html', 200],
  ['/assets/a.js', 200],
  ['/assets/with%20space.js', 200],
  ['/nope.js', 404],
  ['/assets', 404],
  ['/../secret.txt', 404],
  ['/%2e%2e/secret.txt', 404],
  ['/assets/%2e%2e/%2e%2e/secret.txt', 404],
  ['/assets/..%2f..%2fsecret.txt', 404],
  ['/assets%2fa.js', 404],
  ['/assets%2Fa.js', 404],
  ['/assets%5ca.js', 404],
  ['/..%5csecret.txt', 404],
  ['/%00', 404],
  ['/index.html%00.js', 404],
  ['/assets//a.js', 404],
  ['/C:%5csecret.txt', 404],
  ['/index.html::$DATA', 404],
  ['/link-out.txt', 404],
  ['/%E0%A4%A', 400],
  ['/assets/%', 400],
  ['/%zz', 400],
];

beforeAll(async () => {
  mkdirSync(join(root, 'assets'), { recursive: true });
  writeFileSync(join(root, 'index.html'), '<title>GEX Desk</title>');
  writeFileSync(join(root, 'assets', 'a.js'), 'export {}');
  writeFileSync(join(root, 'assets', 'with space.js'), 'export {}');
  writeFileSync(join(dir, 'secret.txt'), 'secret');
  symlinkSync(join(dir, 'secret.txt'), join(root, 'link-out.txt'));
  serveRenderer(root);
  te = await startTestEngine({ runJobs: false });
  host = await serve(te.engine, { rendererDir: root, uploadDir: join(dir, 'uploads') });
});
afterAll(async () => {
  await host?.close();
  await te?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('the path check', () => {
  it('decodes each segment once and refuses what could leave the folder', () => {
    expect(pathSegments('/')).toEqual({ ok: true, segments: ['index.html'] });
    expect(pathSegments('/assets/with%20space.js')).toEqual({
      ok: true,
      segments: ['assets', 'with space.js'],
    });
    expect(pathSegments('/%2e%2e/x')).toMatchObject({ ok: false, status: 404 });
    expect(pathSegments('/a%2fb')).toMatchObject({ ok: false, status: 404 });
    expect(pathSegments('/a%00')).toMatchObject({ ok: false, status: 404 });
    expect(pathSegments('/%E0%A4%A')).toMatchObject({ ok: false, status: 400 });
    expect(pathSegments('relative')).toMatchObject({ ok: false, status: 404 });
  });

  it('gives files their type, and pages their flag', () => {
    const lookup = staticFolder(root);
    expect(lookup('/')).toMatchObject({
      ok: true,
      isPage: true,
      contentType: 'text/html; charset=utf-8',
    });
    expect(lookup('/assets/a.js')).toMatchObject({ ok: true, isPage: false, size: 9 });
  });
});

describe.each([
  [
    'app:// (desktop)',
    async (path: string) => {
      const res = await handlers.get('app')!(new Request(`${APP_ORIGIN}${path}`));
      return { status: res.status, body: await res.text() };
    },
  ],
  [
    'serve (browser)',
    async (path: string) => {
      const res = await send(host.port, 'GET', path);
      return { status: res.status, body: res.body };
    },
  ],
])('%s', (_name, get) => {
  it.each(CASES)('%s → %i', async (path, status) => {
    const res = await get(path);
    expect(res.status).toBe(status);
    expect(res.body).not.toContain('secret');
  });
});
