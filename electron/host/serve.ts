// The browser host: the same UI and the same API as the desktop app, for machines
// without a display. It listens on loopback only (127.0.0.1 and ::1, the same port, so
// that no other local user can hold the address `localhost` may lead to: loopbacks.ts)
// and trusts nothing else: a random token per launch (in the printed URL, then kept by
// the page: a header on every API call, the first message of the event socket; never a
// cookie, which every port of 127.0.0.1 would share), the Host header must name this server, 127.0.0.1 or localhost
// on its port (against DNS rebinding), and API calls and the socket must come from this server's own Origin
// (against other pages in the same browser). The built UI itself is public and served
// without the token. Files enter only as uploads: over HTTP no call takes a path.
// Connections are bounded in number and time (http/connection-limits.ts), as any local
// user may open them without the token.
import { createReadStream } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { TOKEN_QUERY } from '../../shared/channels.ts';
import { ok } from '../../shared/result.ts';
import type { ProcessingJob } from '../../shared/domain.ts';
import { createDispatcher, type HostedEngine } from './handlers.ts';
import { ownFolder } from '../engine/own-folder.ts';
import { contentSecurityPolicy } from './http/csp.ts';
import { eventSocket } from './http/event-socket.ts';
import { apiRoutes, guarded } from './http/api-routes.ts';
import { refuse, refuseUnread, requestUrl, sendJson, statusOf } from './http/replies.ts';
import { staticFolder } from './http/static-files.ts';
import { DEFAULT_UPLOAD_LIMITS, UploadFolder, type UploadLimits } from './http/uploads.ts';
import {
  connectionLimits,
  limitConnections,
  serverOptions,
  type ConnectionLimits,
} from './http/connection-limits.ts';
import { IPV4_LOOPBACK, listenOnLoopbacks } from './http/loopbacks.ts';

export { TOKEN_HEADER } from '../../shared/channels.ts';

/**
 * The browser host's upload folder: in the data folder, beside the staging area (on the same
 * file system, an upload is staged by a clone or an in-kernel copy), never in the inbox, which may
 * be a read-only share; its database's own (own-folder.ts), as it is swept at start.
 */
export const uploadFolderOf = (config: { dataDir: string; dbPath: string }): string =>
  ownFolder(config.dataDir, config.dbPath, 'uploads');

export interface ServeOptions {
  /** 0 or absent: a free port. */
  port?: number;
  /** The built renderer (out/renderer). */
  rendererDir: string;
  /** Where uploads are kept until their jobs end (swept at start). */
  uploadDir: string;
  /**
   * Largest single upload (the engine's `maxUploadBytes`); never more than the engine's
   * `limits.maxFileBytes`, as a larger file would only be refused at its submission.
   */
  maxUploadBytes?: number;
  /** The upload folder's other limits. */
  uploadLimits?: Partial<UploadLimits>;
  /** Fixed token (tests); a random one per launch otherwise. */
  token?: string;
  /** Connection limits other than the defaults (tests; see connection-limits.ts). */
  connectionLimits?: Partial<ConnectionLimits>;
}

/**
 * The largest upload: `maxUploadBytes` (or the folder's own limit), and never more than
 * the largest file the engine reads: a file past that would be stored in full, counted
 * against the quota and a slot, then refused FILE_TOO_LARGE at its submission.
 */
export function uploadLimit(
  engine: Pick<HostedEngine, 'config'>,
  opts: Pick<ServeOptions, 'maxUploadBytes' | 'uploadLimits'>,
): Pick<UploadLimits, 'maxBytes' | 'maxBytesSetting'> {
  const asked =
    opts.maxUploadBytes ?? opts.uploadLimits?.maxBytes ?? DEFAULT_UPLOAD_LIMITS.maxBytes;
  const engineMax = engine.config.limits?.maxFileBytes;
  // The setting that binds is the one to name when an upload is refused for its size.
  return engineMax !== undefined && engineMax < asked
    ? { maxBytes: engineMax, maxBytesSetting: 'limits.maxFileBytes' }
    : { maxBytes: asked, maxBytesSetting: 'maxUploadBytes' };
}

/**
 * The page a browser gets when it opened this server by a name it does not answer to:
 * which address to open. It names only this server's own address (never the request's
 * Host, never the token).
 */
function wrongHostPage(res: ServerResponse, port: number): void {
  const at = `http://127.0.0.1:${port}/`;
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Open GEX Desk at ${at}</title></head><body style="font-family:sans-serif;max-width:40em;margin:3em auto;line-height:1.5"><main><h1>Open GEX Desk at ${at}</h1><p>This server answers only to <code>127.0.0.1:${port}</code> and <code>localhost:${port}</code> (other names are refused, against DNS rebinding). Open the address <code>gex-desk serve</code> printed, with its <code>?token=…</code>.</p><p>From another machine, forward the same port through SSH: <code>ssh -L ${port}:127.0.0.1:${port} HOST</code>, then open the printed address on this one.</p></main></body></html>`;
  res.writeHead(403, {
    'content-type': 'text/html; charset=utf-8',
    'content-length': Buffer.byteLength(html),
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    'content-security-policy':
      "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
    'x-frame-options': 'DENY',
    connection: 'close',
  });
  res.end(html);
}

export interface ServeHandle {
  url: string;
  origin: string;
  token: string;
  port: number;
  uploads: UploadFolder;
  close(): Promise<void>;
}

export async function serve(engine: HostedEngine, opts: ServeOptions): Promise<ServeHandle> {
  const token = opts.token ?? randomBytes(24).toString('base64url');
  const staticFile = staticFolder(resolve(opts.rendererDir));
  const largest = uploadLimit(engine, opts);
  const uploads = await UploadFolder.open(
    resolve(opts.uploadDir),
    { ...opts.uploadLimits, ...largest },
    engine.log,
  );
  const limits = connectionLimits(largest.maxBytes, opts.connectionLimits);
  const dispatch = createDispatcher(engine.handlers, { transport: 'http', uploads });
  const offJobs = engine.events.on('job:updated', (job: ProcessingJob) =>
    uploads.onJobUpdated(job),
  );

  let port = 0;
  let origin = '';
  // The names this server answers to: its address, and `localhost` (a tunnel's or a
  // port forward's usual name) on the same port. Any other name is DNS rebinding's.
  const names = () => [`127.0.0.1:${port}`, `localhost:${port}`];
  const hostOk = (req: IncomingMessage) => names().includes(req.headers.host?.toLowerCase() ?? '');
  const originOk = (req: IncomingMessage) =>
    names().some((n) => req.headers.origin === `http://${n}`);

  async function serveStatic(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    if (req.method !== 'GET' && req.method !== 'HEAD')
      return refuseUnread(res, 405, 'method not allowed');
    // A page of another site may embed our assets; only our own page may fetch them with an Origin.
    if (req.headers.origin !== undefined && !originOk(req))
      return refuseUnread(res, 403, 'foreign origin');
    const found = staticFile(url.pathname);
    if (!found.ok)
      return refuse(res, found.status, found.status === 400 ? 'bad path' : 'not found');
    const headers: Record<string, string> = {
      'content-type': found.contentType,
      'content-length': String(found.size),
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'cross-origin-opener-policy': 'same-origin',
      'cross-origin-resource-policy': 'same-origin',
      'cache-control': found.isPage ? 'no-store' : 'private, max-age=3600',
    };
    if (found.isPage) {
      headers['content-security-policy'] = contentSecurityPolicy({
        header: true,
        extra: {
          'connect-src': names()
            .map((n) => `ws://${n}`)
            .join(' '),
        },
      });
      headers['x-frame-options'] = 'DENY';
    }
    res.writeHead(200, headers);
    if (req.method === 'HEAD') return void res.end();
    await pipeline(createReadStream(found.path), res);
  }

  async function handleUpload(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const length = req.headers['content-length'];
    const declared = length !== undefined && /^\d+$/.test(length) ? Number(length) : undefined;
    const received = await uploads.receive(url.searchParams.get('name') ?? 'upload', declared, req);
    if (received.ok) return sendJson(res, 200, ok(received.value));
    // The body may be unread (refused before it started) or half read: close after answering.
    res.setHeader('connection', 'close');
    req.resume();
    sendJson(res, statusOf(received.error.code), received);
  }

  const api = apiRoutes({
    dispatch,
    token,
    trusted: originOk,
    unauthorized: `this address needs its token: open the address \`gex-desk serve\` printed (with ?${TOKEN_QUERY}=…)`,
    upload: handleUpload,
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!hostOk(req)) {
      // A person who opened the page by another name is told which address to open.
      if (
        req.headers['sec-fetch-mode'] === 'navigate' ||
        /text\/html/.test(req.headers.accept ?? '')
      )
        return wrongHostPage(res, port);
      return refuseUnread(res, 403, 'wrong Host header');
    }
    const url = requestUrl(req, origin);
    if (!url) return refuseUnread(res, 400, 'not a path');
    if (!url.pathname.startsWith('/api/')) return serveStatic(req, res, url);
    return api(req, res, url);
  }

  const sockets = eventSocket({
    token,
    events: engine.events,
    trusted: (req) => hostOk(req) && originOk(req),
  });
  // One server per loopback address, the same requests and the same checks on both.
  const listener = () => {
    const server = createServer(serverOptions(limits), guarded(handle, engine.log, 'serve'));
    limitConnections(server, limits);
    server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) =>
      sockets.upgrade(req, socket, head),
    );
    return server;
  };
  const servers = [listener(), listener()] as const;

  try {
    port = (await listenOnLoopbacks(servers[0], servers[1], opts.port ?? 0)).port;
  } catch (e) {
    offJobs(); // not serving: the caller may try another port
    sockets.close();
    uploads.close();
    throw e;
  }
  origin = `http://${IPV4_LOOPBACK}:${port}`;

  return {
    url: `${origin}/?${TOKEN_QUERY}=${encodeURIComponent(token)}`,
    origin,
    token,
    port,
    uploads,
    async close() {
      offJobs();
      sockets.close();
      uploads.close();
      await Promise.all(
        servers.map(
          (server) =>
            new Promise<void>((done) => {
              if (!server.listening) return done();
              server.close(() => done());
              server.closeAllConnections();
            }),
        ),
      );
    },
  };
}
