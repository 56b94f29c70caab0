// The browser host against the real engine: it listens on loopback only, serves the
// public UI without the token and never sets a cookie, refuses API calls without the
// launch token (UNAUTHORIZED), from another Origin or for another Host, never echoes a
// request body, and its event socket hears nothing until the page's first message
// carries the token.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { calls } from '../../shared/api.ts';
import { SOCKET_UNAUTHORIZED } from '../../shared/channels.ts';
import { serve, TOKEN_HEADER, type ServeHandle } from '../../electron/host/serve.ts';
import { startTestEngine, type TestEngine } from './engine.ts';
import {
  authenticate,
  json,
  openSocket,
  rawRequest,
  resetAfter,
  send as sendTo,
  type Reply,
} from './http.ts';

let te: TestEngine;
let host: ServeHandle;

const send = (
  method: string,
  path: string,
  headers: Record<string, string> = {},
  body?: Buffer | string,
  hostname?: string,
): Promise<Reply> => sendTo(host.port, method, path, headers, body, hostname);
const api = (name: string, payload: unknown, headers: Record<string, string> = {}) =>
  send(
    'POST',
    `/api/call/${name}`,
    { 'content-type': 'application/json', ...headers },
    JSON.stringify(payload),
  );
const good = () => ({ [TOKEN_HEADER]: host.token, origin: host.origin });

beforeAll(async () => {
  te = await startTestEngine({ runJobs: false });
  const rendererDir = join(te.dir, 'renderer');
  mkdirSync(join(rendererDir, 'assets'), { recursive: true });
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>GEX Desk</title>');
  writeFileSync(join(rendererDir, 'assets', 'app.js'), 'console.log(1)');
  host = await serve(te.engine, {
    rendererDir,
    uploadDir: join(te.dir, 'uploads'),
    maxUploadBytes: 1024,
  });
});
afterAll(async () => {
  await host?.close();
  await te?.stop();
});

describe('where it listens', () => {
  it('prints a loopback address with its token', () => {
    expect(host.url).toBe(`http://127.0.0.1:${host.port}/?token=${encodeURIComponent(host.token)}`);
    expect(host.token.length).toBeGreaterThanOrEqual(32);
  });

  it('cannot be reached on any other address', async () => {
    const external = Object.values(networkInterfaces())
      .flat()
      .find((i) => i && i.family === 'IPv4' && !i.internal)?.address;
    const other = external ?? (process.platform === 'linux' ? '127.0.0.2' : null);
    if (!other) return;
    await expect(send('GET', '/', {}, undefined, other)).rejects.toMatchObject({
      code: 'ECONNREFUSED',
    });
  });
});

describe('the page', () => {
  it('is public: the page and its assets are served without the token', async () => {
    const page = await send('GET', '/');
    expect(page.status).toBe(200);
    expect(page.body).toContain('GEX Desk');
    const asset = await send('GET', '/assets/app.js');
    expect(asset.status).toBe(200);
    expect(asset.headers['content-type']).toContain('javascript');
    expect((await send('GET', `/?token=${host.token}`)).status).toBe(200);
  });

  it('carries the CSP (no blob:, the socket named), no framing, no referrer', async () => {
    const page = await send('GET', '/');
    const csp = String(page.headers['content-security-policy']);
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain(`connect-src 'self' ws://127.0.0.1:${host.port}`);
    expect(csp).not.toContain('blob:');
    expect(page.headers['x-frame-options']).toBe('DENY');
    expect(page.headers['referrer-policy']).toBe('no-referrer');
  });

  it('refuses a foreign Origin, another Host name (DNS rebinding) and writes', async () => {
    expect((await send('GET', '/assets/app.js', { origin: 'http://evil.example' })).status).toBe(
      403,
    );
    expect((await send('GET', '/', { host: `evil.example:${host.port}` })).status).toBe(403);
    expect((await send('POST', '/index.html', {}, 'x')).status).toBe(405);
  });

  it('answers to localhost on its own port too (a tunnel, a port forward), and tells a browser that used another name where to go', async () => {
    const local = `localhost:${host.port}`;
    expect((await send('GET', `/?token=${host.token}`, { host: local })).status).toBe(200);
    const page = await send('GET', '/', { host: local });
    expect(page.headers['content-security-policy']).toContain(`ws://${local}`);
    const call = await api(
      'engine:health',
      {},
      { host: local, origin: `http://${local}`, [TOKEN_HEADER]: host.token },
    );
    expect(call.status).toBe(200);
    expect(json(call).ok).toBe(true);
    // localhost on another port, or another name: refused, a browser's page navigation with a page.
    for (const name of [`localhost:${host.port + 1}`, `evil.example:${host.port}`]) {
      const bare = await send('GET', '/', { host: name });
      expect(bare.status).toBe(403);
      expect(json(bare).error!.code).toBe('INVALID_REQUEST');
      const nav = await send('GET', `/?token=${host.token}`, {
        host: name,
        accept: 'text/html,application/xhtml+xml',
        'sec-fetch-mode': 'navigate',
      });
      expect(nav.status).toBe(403);
      expect(nav.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(nav.body).toContain(`Open GEX Desk at http://127.0.0.1:${host.port}/`);
      expect(nav.body).toContain(`ssh -L ${host.port}:127.0.0.1:${host.port}`);
      expect(nav.body).not.toContain(host.token);
      expect(nav.body).not.toContain('evil');
    }
    // Another page's Origin on localhost is still foreign.
    expect(
      (
        await api(
          'engine:health',
          {},
          { host: local, origin: `http://localhost:${host.port + 1}`, [TOKEN_HEADER]: host.token },
        )
      ).status,
    ).toBe(403);
  });

  it('serves nothing outside the renderer folder', async () => {
    for (const path of [
      '/%2e%2e/%2e%2e/etc/passwd',
      '/..%2f..%2fetc%2fpasswd',
      '/assets%2fapp.js',
      '/%00',
      '/assets/%E0%A4%A',
    ]) {
      const res = await send('GET', path);
      expect([400, 404], path).toContain(res.status);
      expect(res.body).not.toContain('root:');
    }
  });
});

describe('the API', () => {
  it('answers its own page', async () => {
    const res = await api('engine:health', {}, good());
    expect(res.status).toBe(200);
    expect(json(res)).toMatchObject({ ok: true, value: { ok: true, transport: 'http' } });
  });

  // The route's pattern once refused a call whose name had a hyphen ('no such endpoint'):
  // every call shared/api.ts declares is reached (an empty request: an answer, never a 404).
  it('routes every declared call to the engine', async () => {
    const missed: string[] = [];
    for (const name of Object.keys(calls)) {
      const res = await api(name, {}, good());
      if (res.status !== 200) missed.push(`${name}: ${res.status}`);
    }
    expect(missed).toEqual([]);
  });

  it('refuses a request without the token or with a wrong one as UNAUTHORIZED (401)', async () => {
    for (const headers of [
      { origin: host.origin } as Record<string, string>,
      { origin: host.origin, [TOKEN_HEADER]: 'x'.repeat(host.token.length) },
      { origin: host.origin, [TOKEN_HEADER]: '' },
    ]) {
      const res = await api('engine:health', {}, headers);
      expect(res.status).toBe(401);
      expect(json(res).error).toMatchObject({ code: 'UNAUTHORIZED' });
      expect(json(res).error!.message).toContain('token');
    }
    // The token is never taken from the query string or a cookie.
    expect(
      (
        await send(
          'POST',
          `/api/call/engine:health?token=${host.token}`,
          { origin: host.origin },
          '{}',
        )
      ).status,
    ).toBe(401);
    expect(
      (
        await send(
          'POST',
          '/api/call/engine:health',
          { origin: host.origin, cookie: `gex_token_${host.port}=${host.token}` },
          '{}',
        )
      ).status,
    ).toBe(401);
  });

  it('refuses another Origin or a missing one, and GET', async () => {
    expect((await api('engine:health', {}, { [TOKEN_HEADER]: host.token })).status).toBe(403);
    expect(
      (
        await api(
          'engine:health',
          {},
          { [TOKEN_HEADER]: host.token, origin: 'http://evil.example' },
        )
      ).status,
    ).toBe(403);
    expect(
      (await api('engine:health', {}, { [TOKEN_HEADER]: host.token, origin: 'http://localhost:1' }))
        .status,
    ).toBe(403);
    expect((await send('GET', '/api/call/engine:health', good())).status).toBe(405);
  });

  it('validates like the desktop transport', async () => {
    expect(json(await api('fs:read', {}, good()))).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
    expect(json(await api('jobs:cancel', { id: 3 }, good()))).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', field: 'id' },
    });
  });

  it('never echoes the request body in an error', async () => {
    const secret = 'SECRET-CONTENT-'.repeat(10);
    const notJson = await send(
      'POST',
      '/api/call/engine:health',
      { ...good(), 'content-type': 'application/json' },
      `{${secret}`,
    );
    expect(notJson.status).toBe(400);
    expect(json(notJson).error!.code).toBe('VALIDATION');
    expect(notJson.body).not.toContain('SECRET');
    const extraKey = await api('engine:health', { [secret]: 1 }, good());
    expect(json(extraKey).error!.code).toBe('VALIDATION');
    expect(extraKey.body).not.toContain(secret.slice(0, 41));
    const longName = await send('POST', `/api/call/x:${'A'.repeat(100)}`, good(), '{}');
    expect(longName.status).toBe(404);
    expect(longName.body).not.toContain('A'.repeat(41));
  });

  it('answers a call body past the limit 413 FILE_TOO_LARGE naming the call: by its length before reading it, or once read', async () => {
    const headers =
      `POST /api/call/jobs:list HTTP/1.1\r\nHost: 127.0.0.1:${host.port}\r\nOrigin: ${host.origin}\r\n` +
      `${TOKEN_HEADER}: ${host.token}\r\ncontent-type: application/json\r\n`;
    // Only the headers: answered without waiting for 40 MiB that never come.
    const early = await rawRequest(
      host.port,
      `${headers}Content-Length: ${40 * 1024 * 1024}\r\n\r\n`,
    );
    expect(early).toMatch(/^HTTP\/1\.1 413 /);
    expect(early.toLowerCase()).toContain('connection: close');
    expect(JSON.parse(early.slice(early.indexOf('\r\n\r\n') + 4))).toEqual({
      ok: false,
      error: {
        code: 'FILE_TOO_LARGE',
        message: 'jobs:list: the request body is 40.0 MiB, more than the 32.0 MiB a call may send.',
      },
    });
    // Sent without a length (chunked): read up to the limit, then the same code and call.
    const chunked = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = httpRequest(
        {
          host: '127.0.0.1',
          port: host.port,
          method: 'POST',
          path: '/api/call/jobs:list',
          headers: { ...good(), 'content-type': 'application/json' },
        },
        (res) => {
          let body = '';
          res.on('data', (c: Buffer) => (body += c.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        },
      );
      req.on('error', reject);
      const chunk = Buffer.alloc(1024 * 1024, 32);
      for (let i = 0; i < 33; i++) req.write(chunk);
      req.end();
    });
    expect(chunked.status).toBe(413);
    expect(JSON.parse(chunked.body)).toEqual({
      ok: false,
      error: {
        code: 'FILE_TOO_LARGE',
        message: 'jobs:list: the request body is more than the 32.0 MiB a call may send.',
      },
    });
  });
});

describe('the event socket', () => {
  it('refuses another Origin or path before opening', async () => {
    await expect(openSocket(host.port, 'http://evil.example')).rejects.toThrow('403');
    await expect(openSocket(host.port, host.origin, '/api/other')).rejects.toThrow('404');
  });

  it('closes with 4401 on a wrong token, a malformed first message, or the token in the URL', async () => {
    expect(
      await authenticate(await openSocket(host.port, host.origin), 'x'.repeat(host.token.length)),
    ).toBe(SOCKET_UNAUTHORIZED);
    expect(await authenticate(await openSocket(host.port, host.origin), null, 'not json')).toBe(
      SOCKET_UNAUTHORIZED,
    );
    const viaQuery = await openSocket(
      host.port,
      host.origin,
      `/api/events?token=${encodeURIComponent(host.token)}`,
    );
    expect(await authenticate(viaQuery, null, '{}')).toBe(SOCKET_UNAUTHORIZED);
  });

  it('sends nothing before the token, then delivers engine events', async () => {
    const early = await openSocket(host.port, host.origin);
    const heardEarly: string[] = [];
    early.on('message', (m) => heardEarly.push(String(m)));
    const ws = await openSocket(host.port, host.origin);
    expect(await authenticate(ws, host.token)).toBe('ready');
    const got = new Promise<{ event: string; payload: unknown }>((resolve) =>
      ws.on('message', (m) => {
        const msg = JSON.parse(String(m)) as { event: string; payload: unknown };
        if (msg.event === 'rules:activated') resolve(msg);
      }),
    );
    const active = json<{ text: string }>(await api('rules:active', {}, good())).value!.text;
    expect(
      json(
        await api('rules:activate', { text: active, author: 'tester', comment: 'again' }, good()),
      ).ok,
    ).toBe(true);
    expect((await got).payload).toMatchObject({ author: 'tester' });
    expect(heardEarly).toEqual([]);
    ws.close();
    early.close();
  });
});

describe('hostile clients', () => {
  const upgrade = (path: string, hostHeader: string, origin?: string) =>
    `GET ${path} HTTP/1.1\r\nHost: ${hostHeader}\r\n${origin ? `Origin: ${origin}\r\n` : ''}` +
    'Connection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\n' +
    'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n';
  const alive = async () => expect((await api('engine:health', {}, good())).status).toBe(200);

  it('answers a path that is no path (`//`), socket or not, and stays up', async () => {
    const hostHeader = `127.0.0.1:${host.port}`;
    // Any web page can open `ws://127.0.0.1:PORT//`: refused before its path is read.
    expect(await rawRequest(host.port, upgrade('//', 'x'))).toMatch(/^HTTP\/1\.1 403/);
    expect(await rawRequest(host.port, upgrade('//', hostHeader, host.origin))).toMatch(
      /^HTTP\/1\.1 404/,
    );
    expect(
      await rawRequest(host.port, upgrade('http://x/api/events', hostHeader, host.origin)),
    ).toMatch(/^HTTP\/1\.1 400/);
    expect((await send('GET', '//')).status).toBe(404);
    expect((await send('POST', '//api/call/engine:health', good(), '{}')).status).toBe(405);
    await alive();
  });

  it('stays up when clients reset their connections as they are refused', async () => {
    const hostHeader = `127.0.0.1:${host.port}`;
    await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        resetAfter(
          host.port,
          i % 2
            ? upgrade('/wrong', hostHeader, host.origin)
            : upgrade('/api/events', hostHeader, 'http://evil.example'),
        ),
      ),
    );
    await new Promise((r) => setTimeout(r, 200));
    await alive();
  });

  it('keeps room for a page with the token while others hold sockets without it', async () => {
    const idle = await Promise.all(
      Array.from({ length: 80 }, () => openSocket(host.port, host.origin).catch(() => null)),
    );
    const page = await openSocket(host.port, host.origin);
    expect(await authenticate(page, host.token)).toBe('ready');
    page.close();
    for (const ws of idle) ws?.close();
  });

  it('never writes the token, or a client that went away, to the log', async () => {
    const logFile = join(te.dir, 'data', 'logs', 'gex-desk.log');
    await Promise.all(
      Array.from({ length: 10 }, () =>
        resetAfter(
          host.port,
          `GET /?token=${host.token} HTTP/1.1\r\nHost: 127.0.0.1:${host.port}\r\n\r\n`,
        ),
      ),
    );
    await send('GET', `//?token=${host.token}`);
    await new Promise((r) => setTimeout(r, 200));
    let log = '';
    try {
      log = readFileSync(logFile, 'utf8');
    } catch {
      // nothing logged at all
    }
    expect(log).not.toContain(host.token);
    expect(log).not.toContain('PREMATURE_CLOSE');
    await alive();
  });
});

describe('cookies', () => {
  it('are never set: not with the page, its assets, an API answer, an upload or a refusal', async () => {
    const replies = [
      await send('GET', `/?token=${host.token}`),
      await send('GET', '/'),
      await send('HEAD', '/index.html'),
      await send('GET', '/assets/app.js'),
      await send('GET', '/nope.js'),
      await send('GET', '/%E0%A4%A'),
      await send('GET', '/', { origin: 'http://evil.example' }),
      await api('engine:health', {}, good()),
      await api('engine:health', {}, { origin: host.origin }),
      await api('ingest:submit', { file: '/etc/passwd' }, good()),
      await send('POST', '/api/upload?name=a.csv', good(), 'a,b\n1,2\n'),
      await send('POST', '/api/upload?name=big.csv', good(), Buffer.alloc(4096, 65)),
      await send('POST', '/api/upload?name=a.csv', { origin: host.origin }, 'x'),
    ];
    expect(replies.map((r) => r.status)).toEqual([
      200, 200, 200, 200, 404, 400, 403, 200, 401, 200, 200, 413, 401,
    ]);
    for (const reply of replies) expect(reply.headers['set-cookie']).toBeUndefined();
  });
});
