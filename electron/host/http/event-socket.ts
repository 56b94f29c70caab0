// The browser host's event stream: one WebSocket per page, carrying every engine event
// as `{event, payload}`. A browser's WebSocket cannot send headers and a token in the
// URL ends up in logs, so the socket opens (Host and Origin checked) and the page's
// first message must carry the token; until then it hears nothing, and a wrong token,
// or none within a few seconds, closes it with SOCKET_UNAUTHORIZED.
import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { events as eventMap, type EventName } from '../../../shared/api.ts';
import {
  EVENTS_PATH,
  SOCKET_AUTH,
  SOCKET_READY,
  SOCKET_UNAUTHORIZED,
} from '../../../shared/channels.ts';
import type { HostedEngine } from '../handlers.ts';
import { requestUrl, tokenMatches } from './replies.ts';

export interface EventSocketOptions {
  token: string;
  events: HostedEngine['events'];
  /** The Host and Origin checks of the server (false: 403). */
  trusted(req: IncomingMessage): boolean;
  /** How long a socket may stay open without its token. */
  authTimeoutMs?: number;
  /** Sockets with the token at most (pages of this host; further ones get 503). */
  maxSockets?: number;
  /**
   * Sockets still without their token at most; a further one drops the oldest of them
   * (a page reconnects by itself), so that clients that never send a token cannot keep a
   * page out.
   */
  maxPending?: number;
}

export interface EventSocket {
  upgrade(req: IncomingMessage, socket: Socket, head: Buffer): void;
  close(): void;
}

const REASONS: Record<number, string> = {
  400: 'Bad Request',
  403: 'Forbidden',
  404: 'Not Found',
  503: 'Service Unavailable',
};

function parseHello(text: string): { type?: unknown; token?: unknown } | null {
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === 'object'
      ? (value as { type?: unknown; token?: unknown })
      : null;
  } catch {
    return null;
  }
}

export function eventSocket(opts: EventSocketOptions): EventSocket {
  const wss = new WebSocketServer({ noServer: true, maxPayload: 4 * 1024 });
  const authed = new Set<WebSocket>();
  // In the order they opened: the first is the one to go.
  const pending = new Set<WebSocket>();
  const maxSockets = opts.maxSockets ?? 64;
  const maxPending = opts.maxPending ?? 16;

  wss.on('connection', (ws: WebSocket) => {
    if (pending.size >= maxPending) {
      const oldest = pending.values().next().value!;
      pending.delete(oldest);
      oldest.terminate();
    }
    pending.add(ws);
    const timer = setTimeout(
      () => ws.close(SOCKET_UNAUTHORIZED, 'no token'),
      opts.authTimeoutMs ?? 5000,
    );
    ws.on('message', (data) => {
      if (authed.has(ws)) return; // the socket carries events only; calls go over HTTP
      clearTimeout(timer);
      pending.delete(ws);
      const hello = parseHello(String(data));
      if (hello?.type !== SOCKET_AUTH || !tokenMatches(hello.token, opts.token)) {
        ws.close(SOCKET_UNAUTHORIZED, 'missing or wrong token');
        return;
      }
      authed.add(ws);
      ws.send(JSON.stringify({ type: SOCKET_READY }));
    });
    ws.on('close', () => {
      clearTimeout(timer);
      pending.delete(ws);
      authed.delete(ws);
    });
    ws.on('error', () => ws.terminate());
  });

  const unsubscribe = (Object.keys(eventMap) as EventName[]).map((event) =>
    opts.events.on(event, (payload) => {
      if (authed.size === 0) return;
      const message = JSON.stringify({ event, payload });
      for (const client of authed) if (client.readyState === client.OPEN) client.send(message);
    }),
  );

  return {
    upgrade(req, socket, head) {
      // Node stops listening for the socket's errors once it hands it over here: a
      // client that resets as it is answered must not take the process down.
      socket.on('error', () => socket.destroy());
      const url = opts.trusted(req) ? requestUrl(req, 'http://host') : undefined;
      const status = !opts.trusted(req)
        ? 403
        : !url
          ? 400
          : url.pathname !== EVENTS_PATH
            ? 404
            : authed.size >= maxSockets
              ? 503
              : 0;
      if (status) {
        socket.end(
          `HTTP/1.1 ${status} ${REASONS[status]}\r\nconnection: close\r\ncontent-length: 0\r\n\r\n`,
        );
        return;
      }
      wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
    },
    close() {
      for (const off of unsubscribe) off();
      for (const client of wss.clients) client.terminate();
      wss.close();
    },
  };
}
