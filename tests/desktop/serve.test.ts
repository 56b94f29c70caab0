// The browser host against the real engine: it listens on loopback only, refuses
// requests without the launch token, from another Origin or for another Host, serves
// the API and the event socket to its own page, and stores uploads safely.
import { mkdirSync, readdirSync, writeFileSync, existsSync, readFileSync } from 'node:fs';
import { request } from 'node:http';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { serve, TOKEN_HEADER, type ServeHandle } from '../../electron/host/serve.ts';
import { startTestEngine, type TestEngine } from './engine.ts';

let te: TestEngine;
let host: ServeHandle;
let uploadDir: string;

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function send(method: string, path: string, headers: Record<string, string> = {}, body?: Buffer | string, hostname = '127.0.0.1'): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: hostname, port: host.port, method, path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString() }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const api = (name: string, payload: unknown, headers: Record<string, string> = {}) =>
  send('POST', `/api/call/${name}`, { 'content-type': 'application/json', ...headers }, JSON.stringify(payload));
const good = () => ({ [TOKEN_HEADER]: host.token, origin: host.origin });

beforeAll(async () => {
  te = await startTestEngine({ runJobs: false });
  const rendererDir = join(te.dir, 'renderer');
  mkdirSync(join(rendererDir, 'assets'), { recursive: true });
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>GEX Desk</title>');
  writeFileSync(join(rendererDir, 'assets', 'app.js'), 'console.log(1)');
  uploadDir = join(te.dir, 'uploads');
  host = await serve(te.engine, { rendererDir, uploadDir, maxUploadBytes: 1024 });
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
    await expect(send('GET', '/', {}, undefined, other)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });
});

describe('the page', () => {
  it('is refused without the token or with a wrong one', async () => {
    expect((await send('GET', '/')).status).toBe(401);
    expect((await send('GET', '/?token=wrong')).status).toBe(401);
    expect((await send('GET', '/assets/app.js')).status).toBe(401);
    expect((await send('GET', '/assets/app.js', { cookie: `gex_token_${host.port}=%E0%A4%A` })).status).toBe(401);
  });

  it('is served with the token, with a CSP, and its assets then with the cookie', async () => {
    const page = await send('GET', `/?token=${host.token}`);
    expect(page.status).toBe(200);
    expect(page.body).toContain('GEX Desk');
    expect(String(page.headers['content-security-policy'])).toContain("default-src 'none'");
    expect(String(page.headers['content-security-policy'])).toContain("frame-ancestors 'none'");
    const cookie = String(page.headers['set-cookie']).split(';')[0]!;
    expect(String(page.headers['set-cookie'])).toMatch(/HttpOnly; SameSite=Strict/);
    const asset = await send('GET', '/assets/app.js', { cookie });
    expect(asset.status).toBe(200);
    expect(asset.headers['content-type']).toContain('javascript');
    expect((await send('GET', '/%2e%2e/%2e%2e/etc/passwd', { cookie })).status).toBe(404);
    expect((await send('GET', '/assets/app.js', { cookie, origin: 'http://evil.example' })).status).toBe(403);
  });

  it('is refused for another Host name (DNS rebinding)', async () => {
    const res = await send('GET', `/?token=${host.token}`, { host: `evil.example:${host.port}` });
    expect(res.status).toBe(403);
  });
});

describe('the API', () => {
  it('answers its own page', async () => {
    const res = await api('engine:health', {}, good());
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toMatchObject({ ok: true, value: { ok: true, transport: 'http' } });
  });

  it('refuses a request without the token, with a wrong one, or from another Origin', async () => {
    expect((await api('engine:health', {}, { origin: host.origin })).status).toBe(401);
    expect((await api('engine:health', {}, { origin: host.origin, [TOKEN_HEADER]: 'x'.repeat(host.token.length) })).status).toBe(401);
    expect((await api('engine:health', {}, { [TOKEN_HEADER]: host.token })).status).toBe(403);
    expect((await api('engine:health', {}, { [TOKEN_HEADER]: host.token, origin: 'http://evil.example' })).status).toBe(403);
    expect((await api('engine:health', {}, { [TOKEN_HEADER]: host.token, origin: 'http://localhost:1' })).status).toBe(403);
    expect((await send('GET', '/api/call/engine:health', good())).status).toBe(405);
  });

  it('validates like the desktop transport', async () => {
    const unknown = JSON.parse((await api('fs:read', {}, good())).body);
    expect(unknown).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    const bad = JSON.parse((await api('jobs:cancel', { id: 3 }, good())).body);
    expect(bad).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'id' } });
    const notJson = await send('POST', '/api/call/engine:health', { ...good(), 'content-type': 'application/json' }, '{nope');
    expect(notJson.status).toBe(400);
    expect(JSON.parse(notJson.body).error.code).toBe('VALIDATION');
  });
});

describe('uploads', () => {
  it('stores each upload under its own folder, with a safe name', async () => {
    const a = JSON.parse((await send('POST', '/api/upload?name=../../spx.csv', good(), 'a,b\n1,2\n')).body);
    const b = JSON.parse((await send('POST', '/api/upload?name=spx.csv', good(), 'c,d\n3,4\n')).body);
    expect(a.ok && b.ok).toBe(true);
    expect(a.value.path).not.toBe(b.value.path);
    for (const v of [a.value, b.value]) {
      expect(v.path.startsWith(uploadDir)).toBe(true);
      expect(v.name).toBe('spx.csv');
    }
    expect(readFileSync(a.value.path, 'utf8')).toBe('a,b\n1,2\n');
    expect(a.value.bytes).toBe(8);
  });

  it('refuses an upload above the limit and keeps nothing of it', async () => {
    const before = existsSync(uploadDir) ? readdirSync(uploadDir).length : 0;
    const res = await send('POST', '/api/upload?name=big.csv', good(), Buffer.alloc(4096, 65));
    expect(res.status).toBe(413);
    expect(JSON.parse(res.body).error.code).toBe('VALIDATION');
    expect(readdirSync(uploadDir).length).toBe(before);
  });

  it('refuses uploads without the token or from another Origin', async () => {
    expect((await send('POST', '/api/upload?name=x.csv', { origin: host.origin }, 'x')).status).toBe(401);
    expect((await send('POST', '/api/upload?name=x.csv', { [TOKEN_HEADER]: host.token, origin: 'http://evil.example' }, 'x')).status).toBe(403);
  });
});

describe('the event socket', () => {
  const connect = (query: string, origin: string) =>
    new Promise<WebSocket>((resolve, reject) => {
      const ws = new WebSocket(`ws://127.0.0.1:${host.port}/api/events${query}`, { origin });
      ws.once('open', () => resolve(ws));
      ws.once('unexpected-response', (_req, res) => reject(new Error(String(res.statusCode))));
      ws.once('error', reject);
    });

  it('refuses a socket without the token or from another Origin', async () => {
    await expect(connect('', host.origin)).rejects.toThrow('401');
    await expect(connect(`?token=${host.token}`, 'http://evil.example')).rejects.toThrow('403');
  });

  it('delivers engine events to its own page', async () => {
    const ws = await connect(`?token=${encodeURIComponent(host.token)}`, host.origin);
    const got = new Promise<{ event: string; payload: unknown }>((resolve) =>
      ws.on('message', (m) => {
        const msg = JSON.parse(String(m)) as { event: string; payload: unknown };
        if (msg.event === 'rules:activated') resolve(msg);
      }),
    );
    const active = JSON.parse((await api('rules:active', {}, good())).body).value.text as string;
    const activated = JSON.parse((await api('rules:activate', { text: active, author: 'tester', comment: 'again' }, good())).body);
    expect(activated.ok).toBe(true);
    expect((await got).payload).toMatchObject({ author: 'tester' });
    ws.close();
  });
});
