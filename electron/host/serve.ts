// The browser host: the same UI and the same API as the desktop app, for machines
// without a display. It listens on 127.0.0.1 only and trusts nothing else: a random
// token per launch (in the first URL, then a same-site cookie for the page's assets,
// a header for API calls, a query parameter for the event socket), the Host header
// must name this server (against DNS rebinding), and API calls and the socket must
// come from this server's own Origin (against other pages in the same browser).
// Browsers have no file paths, so files are uploaded first, streamed to disk, and
// then submitted with their stored path like any other file.
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rm, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { basename, extname, join, resolve, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { WebSocketServer, type WebSocket } from 'ws';
import { events as eventMap, type EventName } from '../../shared/api.ts';
import { err, ok, type Result } from '../../shared/result.ts';
import { createDispatcher, type HostedEngine } from './handlers.ts';
import { contentSecurityPolicy } from './http/csp.ts';
import { contentType } from './http/mime.ts';

export interface ServeOptions {
  /** 0 or absent: a free port. */
  port?: number;
  /** The built renderer (out/renderer). */
  rendererDir: string;
  /** Where uploads are stored before they are submitted. */
  uploadDir: string;
  maxUploadBytes?: number;
  /** Fixed token (tests); a random one per launch otherwise. */
  token?: string;
}

export interface ServeHandle {
  url: string;
  origin: string;
  token: string;
  port: number;
  close(): Promise<void>;
}

export const TOKEN_HEADER = 'x-gex-token';
const MAX_CALL_BYTES = 32 * 1024 * 1024;
const DEFAULT_MAX_UPLOAD = 1024 * 1024 * 1024;


/** Same length and same bytes, in constant time. */
function tokenMatches(given: string | undefined | null, token: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

function cookieValue(req: IncomingMessage, name: string): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const i = part.indexOf('=');
    if (i > 0 && part.slice(0, i).trim() === name) {
      try {
        return decodeURIComponent(part.slice(i + 1).trim());
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

/** A file name safe to keep on disk: its last component, no control or path characters. */
export function safeFileName(name: string): string {
  const base = basename(name.replaceAll('\\', '/')).replace(/[^\w.\- ()[\]+@]/g, '_').replace(/^\.+/, '_');
  return (base || 'upload').slice(0, 120);
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
  });
  res.end(text);
}

function refuse(res: ServerResponse, status: 401 | 403 | 404 | 405 | 413 | 400, message: string): void {
  const code = status === 404 ? 'NOT_FOUND' : status === 413 ? 'VALIDATION' : status === 400 ? 'VALIDATION' : 'INVALID_REQUEST';
  sendJson(res, status, err(code, message));
}

/** The page a browser shows for an address without its token: what happened and what to do. */
const NEEDS_TOKEN_PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>GEX Desk: this address needs its token</title>
<style>body{font:15px/1.5 system-ui,sans-serif;background:#0b0e12;color:#d7dde5;max-width:560px;margin:12vh auto;padding:0 20px}code{color:#fff}</style></head>
<body><h1>This address needs its token</h1><p>GEX Desk answered <b>401 Unauthorized</b>: the address was opened without the token that
<code>gex-desk serve</code> printed when it started. Open the address exactly as it was printed, with its <code>?token=…</code> part.</p></body></html>`;

function refusePage(res: ServerResponse): void {
  res.writeHead(401, {
    'content-type': 'text/html; charset=utf-8',
    'content-length': Buffer.byteLength(NEEDS_TOKEN_PAGE),
    'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
  });
  res.end(NEEDS_TOKEN_PAGE);
}

async function readBody(req: IncomingMessage, limit: number): Promise<Result<Buffer>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) return err('VALIDATION', `request body larger than ${limit} bytes`);
    chunks.push(chunk);
  }
  return ok(Buffer.concat(chunks));
}

export async function serve(engine: HostedEngine, opts: ServeOptions): Promise<ServeHandle> {
  const token = opts.token ?? randomBytes(24).toString('base64url');
  const rendererDir = resolve(opts.rendererDir);
  const uploadDir = resolve(opts.uploadDir);
  const maxUpload = opts.maxUploadBytes ?? DEFAULT_MAX_UPLOAD;
  const dispatch = createDispatcher(engine.handlers, { transport: 'http' });
  await mkdir(uploadDir, { recursive: true });

  let port = 0;
  let origin = '';
  let cookieName = 'gex_token';
  const hostOk = (req: IncomingMessage) => req.headers.host === `127.0.0.1:${port}`;
  const originOk = (req: IncomingMessage) => req.headers.origin === origin;

  async function serveStatic(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    if (req.method !== 'GET' && req.method !== 'HEAD') return refuse(res, 405, 'method not allowed');
    const queryToken = url.searchParams.get('token');
    const viaQuery = tokenMatches(queryToken, token);
    if (!viaQuery && !tokenMatches(cookieValue(req, cookieName), token)) {
      const wantsPage = (url.pathname === '/' || url.pathname.endsWith('.html')) && /text\/html/.test(req.headers.accept ?? '');
      if (wantsPage) return refusePage(res);
      return refuse(res, 401, 'open the address with its ?token= that `gex-desk serve` printed');
    }
    // A cross-site subresource request may carry our cookie; only same-origin fetches pass.
    if (req.headers.origin !== undefined && !originOk(req)) return refuse(res, 403, 'foreign origin');
    let rel: string;
    try {
      rel = decodeURIComponent(url.pathname);
    } catch {
      return refuse(res, 400, 'bad path');
    }
    if (rel === '/' || rel === '') rel = '/index.html';
    const file = resolve(rendererDir, '.' + rel);
    if (!file.startsWith(rendererDir + sep)) return refuse(res, 404, 'not found');
    const info = await stat(file).catch(() => null);
    if (!info?.isFile()) return refuse(res, 404, `not found: ${rel}`);
    const isPage = extname(file) === '.html';
    const headers: Record<string, string | string[]> = {
      'content-type': contentType(file),
      'content-length': String(info.size),
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'cross-origin-opener-policy': 'same-origin',
      'cache-control': isPage ? 'no-store' : 'private, max-age=3600',
    };
    if (isPage) {
      headers['content-security-policy'] = contentSecurityPolicy({ header: true, extra: { 'connect-src': `ws://127.0.0.1:${port}` } });
      headers['x-frame-options'] = 'DENY';
    }
    if (viaQuery) headers['set-cookie'] = `${cookieName}=${encodeURIComponent(token)}; Path=/; HttpOnly; SameSite=Strict`;
    res.writeHead(200, headers);
    if (req.method === 'HEAD') return void res.end();
    await pipeline(createReadStream(file), res);
  }

  async function handleCall(req: IncomingMessage, res: ServerResponse, name: string): Promise<void> {
    const body = await readBody(req, MAX_CALL_BYTES);
    if (!body.ok) return sendJson(res, 413, body);
    let payload: unknown = {};
    if (body.value.length > 0) {
      try {
        payload = JSON.parse(body.value.toString('utf8'));
      } catch (e) {
        return sendJson(res, 400, err('VALIDATION', `${name}: the request body is not JSON (${(e as Error).message})`));
      }
    }
    const result = await dispatch(name, payload);
    sendJson(res, 200, result);
  }

  async function handleUpload(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const name = safeFileName(url.searchParams.get('name') ?? 'upload');
    const declared = Number(req.headers['content-length'] ?? NaN);
    if (Number.isFinite(declared) && declared > maxUpload) {
      req.resume();
      return sendJson(res, 413, err('VALIDATION', `${name}: ${declared} bytes is more than the ${maxUpload}-byte upload limit`, { file: name }));
    }
    const dir = join(uploadDir, randomUUID());
    await mkdir(dir, { recursive: true });
    const path = join(dir, name);
    let bytes = 0;
    let tooLarge = false;
    const out = createWriteStream(path, { flags: 'wx' });
    try {
      await pipeline(
        req,
        async function* (source: AsyncIterable<Buffer>) {
          for await (const chunk of source) {
            bytes += chunk.length;
            if (bytes > maxUpload) {
              tooLarge = true;
              throw new Error('too large');
            }
            yield chunk;
          }
        },
        out,
      );
    } catch (e) {
      await rm(dir, { recursive: true, force: true });
      if (tooLarge) {
        res.setHeader('connection', 'close');
        return sendJson(res, 413, err('VALIDATION', `${name}: more than the ${maxUpload}-byte upload limit`, { file: name }));
      }
      return sendJson(res, 500, err('IO', `${name}: upload failed: ${(e as Error).message}`, { file: name }));
    }
    sendJson(res, 200, ok({ path, name, bytes }));
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!hostOk(req)) return refuse(res, 403, 'wrong Host header');
    const url = new URL(req.url ?? '/', origin);
    if (!url.pathname.startsWith('/api/')) return serveStatic(req, res, url);

    if (!tokenMatches(req.headers[TOKEN_HEADER] as string | undefined, token)) return refuse(res, 401, 'missing or wrong token');
    if (!originOk(req)) return refuse(res, 403, 'foreign or missing Origin');
    if (req.method !== 'POST') return refuse(res, 405, 'POST only');
    if (url.pathname === '/api/upload') return handleUpload(req, res, url);
    const m = /^\/api\/call\/([a-z]+:[A-Za-z]+)$/.exec(url.pathname);
    if (m) return handleCall(req, res, m[1]!);
    return refuse(res, 404, `no such endpoint ${url.pathname}`);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      if (!res.headersSent) sendJson(res, 500, err('INTERNAL', (e as Error).message ?? String(e)));
      else res.destroy();
    });
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
  server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
    const url = new URL(req.url ?? '/', origin);
    const status =
      !hostOk(req) || !originOk(req) ? 403 : url.pathname !== '/api/events' ? 404 : !tokenMatches(url.searchParams.get('token'), token) ? 401 : 0;
    if (status) {
      socket.end(`HTTP/1.1 ${status} ${status === 401 ? 'Unauthorized' : status === 403 ? 'Forbidden' : 'Not Found'}\r\nconnection: close\r\ncontent-length: 0\r\n\r\n`);
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  });
  wss.on('connection', (ws: WebSocket) => {
    ws.on('message', () => {}); // the socket is for events; calls go over HTTP
    ws.on('error', () => ws.terminate());
  });

  const unsubscribe = (Object.keys(eventMap) as EventName[]).map((event) =>
    engine.events.on(event, (payload) => {
      if (wss.clients.size === 0) return;
      const message = JSON.stringify({ event, payload });
      for (const client of wss.clients) if (client.readyState === client.OPEN) client.send(message);
    }),
  );

  await new Promise<void>((ok_, fail) => {
    server.once('error', fail);
    server.listen(opts.port ?? 0, '127.0.0.1', () => {
      server.off('error', fail);
      ok_();
    });
  });
  const address = server.address();
  port = typeof address === 'object' && address ? address.port : 0;
  origin = `http://127.0.0.1:${port}`;
  cookieName = `gex_token_${port}`;

  return {
    url: `${origin}/?token=${encodeURIComponent(token)}`,
    origin,
    token,
    port,
    async close() {
      for (const off of unsubscribe) off();
      for (const client of wss.clients) client.terminate();
      wss.close();
      await new Promise<void>((done) => {
        server.close(() => done());
        server.closeAllConnections();
      });
    },
  };
}
