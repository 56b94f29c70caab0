// The command line's way into a running engine: the desktop app and `gex-desk serve`
// listen on a local endpoint (a Unix socket in a 0700 folder, chmod 0600, or a Windows
// named pipe) that speaks exactly the browser host's protocol — `POST /api/call/:name`
// with the token header, the event WebSocket at /api/events with the token as its first
// message — through the same routes and the same validating dispatcher, under the
// `local` transport policy: the caller is the same user on the same machine, so calls
// take file paths (as the desktop app's do), and no upload. A discovery file tells
// commands where it is (discovery.ts), and a mark beside the database tells commands of
// another user folder where that file is (db-mark.ts); both are written once the endpoint
// listens and removed, with the socket, when the endpoint closes.
import { randomBytes } from 'node:crypto';
import { chmodSync } from 'node:fs';
import { createServer, type IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import { dirname } from 'node:path';
import { LOCAL_PROTOCOL, TOKEN_HEADER } from '../../../shared/channels.ts';
import { createDispatcher, type HostedEngine } from '../handlers.ts';
import { apiRoutes, guarded } from '../http/api-routes.ts';
import { eventSocket } from '../http/event-socket.ts';
import { refuse, requestUrl } from '../http/replies.ts';
import {
  canonicalDb,
  discoveryFile,
  endpointFor,
  privateFolder,
  removeDiscovery,
  removeSocket,
  writeDiscovery,
  type Discovery,
} from './discovery.ts';
import { removeMark, writeMark } from './db-mark.ts';

export interface LocalEndpointOptions {
  /** The per-user folder (the discovery file goes to its `engines/`). */
  home: string;
  /** Which program serves: `desktop` or `serve` (written into the discovery file). */
  host: string;
  /** Fixed token (tests); random per launch otherwise. */
  token?: string;
}

export interface LocalEndpoint {
  endpoint: string;
  token: string;
  discoveryFile: string;
  close(): Promise<void>;
}

export async function serveLocal(
  engine: HostedEngine,
  opts: LocalEndpointOptions,
): Promise<LocalEndpoint> {
  const db = canonicalDb(engine.config.dbPath);
  const token = opts.token ?? randomBytes(24).toString('base64url');
  const endpoint = endpointFor(opts.home, db);
  const file = discoveryFile(opts.home, db);
  const dispatch = createDispatcher(engine.handlers, { transport: 'local' });
  const api = apiRoutes({
    dispatch,
    token,
    // No browser can open a Unix socket or a named pipe; the token is the check.
    trusted: () => true,
    unauthorized: `a call needs the token of the discovery file (${TOKEN_HEADER})`,
  });
  const server = createServer(
    guarded(
      async (req, res) => {
        const url = requestUrl(req, 'http://localhost');
        if (!url) return refuse(res, 400, 'not a path');
        if (!url.pathname.startsWith('/api/')) return refuse(res, 404, 'no such endpoint');
        return api(req, res, url);
      },
      engine.log,
      'local',
    ),
  );
  // One socket per waiting command (each `ingest` of a script holds one): room for many.
  const sockets = eventSocket({
    token,
    events: engine.events,
    trusted: () => true,
    maxSockets: 1024,
    // Only this user can reach it, and a script may start many commands at once.
    maxPending: 1024,
  });
  server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) =>
    sockets.upgrade(req, socket, head),
  );

  if (process.platform !== 'win32') {
    privateFolder(dirname(endpoint));
    // This engine holds the database, so a socket at its path is a crashed engine's.
    removeSocket(endpoint);
  }
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(endpoint, () => {
      server.off('error', reject);
      resolve();
    });
  });
  if (process.platform !== 'win32') chmodSync(endpoint, 0o600);

  const discovery: Discovery = {
    protocol: LOCAL_PROTOCOL,
    pid: process.pid,
    db,
    endpoint,
    token,
    started_at: new Date().toISOString(),
    host: opts.host,
  };
  writeDiscovery(file, discovery);
  writeMark(engine.config.dbPath, opts.home);
  // Also on an exit that skips close() (an uncaught error): the file must not outlive us.
  const onExit = () => {
    removeMark(engine.config.dbPath, process.pid);
    removeDiscovery(file, discovery);
    removeSocket(endpoint);
  };
  process.once('exit', onExit);
  engine.log?.info('local.listening', { endpoint, discovery: file });

  let closing: Promise<void> | null = null;
  return {
    endpoint,
    token,
    discoveryFile: file,
    close: () =>
      (closing ??= (async () => {
        // Commands stop finding this engine first, then its connections end.
        removeMark(engine.config.dbPath, process.pid);
        removeDiscovery(file, discovery);
        sockets.close();
        await new Promise<void>((done) => {
          server.close(() => done());
          server.closeAllConnections();
        });
        removeSocket(endpoint);
        process.off('exit', onExit);
      })()),
  };
}
