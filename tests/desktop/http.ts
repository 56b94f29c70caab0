// A plain HTTP and WebSocket client for the browser host's tests: it sends exactly the
// headers it is given (no cookie jar, no automatic Origin), as a hostile local client would.
import { request } from 'node:http';
import { connect } from 'node:net';
import WebSocket from 'ws';
import { SOCKET_AUTH } from '../../shared/channels.ts';

export interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export function send(
  port: number,
  method: string,
  path: string,
  headers: Record<string, string> = {},
  body?: Buffer | string,
  hostname = '127.0.0.1',
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: hostname, port, method, path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: Buffer.concat(chunks).toString(),
        }),
      );
    });
    req.on('error', reject);
    req.end(body);
  });
}

export interface Answer<V> {
  ok: boolean;
  value?: V;
  error?: { code: string; message: string; field?: string; file?: string };
}
export const json = <V = unknown>(reply: Reply) => JSON.parse(reply.body) as Answer<V>;

/** Opens the event socket; resolves when open (before any token is sent). */
export function openSocket(port: number, origin: string, path = '/api/events'): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}${path}`, { origin });
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => reject(new Error(String(res.statusCode))));
    ws.once('error', reject);
  });
}

/** Sends the first message and resolves with what the host answered: `ready`, or the close code. */
export function authenticate(
  ws: WebSocket,
  token: unknown,
  raw?: string,
): Promise<'ready' | number> {
  return new Promise((resolve) => {
    ws.once('message', (m) =>
      resolve((JSON.parse(String(m)) as { type: string }).type === 'ready' ? 'ready' : -1),
    );
    ws.once('close', (code) => resolve(code));
    ws.send(raw ?? JSON.stringify({ type: SOCKET_AUTH, token }));
  });
}

/**
 * Writes `text` as it is on a new connection (a port on 127.0.0.1, or a socket's path) and
 * resolves with all the host answered.
 */
export function rawRequest(to: number | string, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const at = typeof to === 'number' ? { port: to, host: '127.0.0.1' } : { path: to };
    const socket = connect(at, () => socket.write(text));
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('end', () => resolve(Buffer.concat(chunks).toString()));
    socket.on('error', reject);
  });
}

/** Sends `text` and resets the connection at once, without reading the answer. */
export function resetAfter(port: number, text: string): Promise<void> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1', () => {
      socket.write(text);
      setTimeout(() => {
        socket.resetAndDestroy();
        resolve();
      }, 1);
    });
    socket.on('error', () => resolve());
  });
}
