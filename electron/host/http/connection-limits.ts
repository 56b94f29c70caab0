// How long and how many connections the browser host keeps open. Any local user can open
// connections to its port without the token (the token is read only once a request's
// headers have come), and each holds a file descriptor of the engine's own process, which
// its staging, DuckDB, inbox and workers share: without limits, idle or half-sent
// requests by the thousand freeze the engine (QA sec F7). So: a ceiling on open
// connections, headers within seconds, a whole request within the time the largest upload
// takes on a slow link, and idle keep-alive connections closed soon. At the ceiling, a
// new connection closes the oldest one that has not sent its request's headers yet, not
// itself: with a plain ceiling, 256 idle connections of another account, reopened as they
// were closed, kept the analyst's browser out for as long as they liked (QA sec2 N1); now
// they must be opened faster than the analyst's request is sent, without end.
import type { Server } from 'node:http';
import type { Socket } from 'node:net';

export interface ConnectionLimits {
  /**
   * Open connections per listening address. One more closes the oldest that has not sent
   * its request's headers yet; when every one has, the newcomer is closed at once.
   */
  maxConnections: number;
  /** A request's headers must have come within this many milliseconds of its start. */
  headersTimeoutMs: number;
  /** A whole request, body included, within this many milliseconds (see requestTimeoutFor). */
  requestTimeoutMs: number;
  /** An idle keep-alive connection is closed after this many milliseconds. */
  keepAliveTimeoutMs: number;
  /** How often the two timeouts above are checked (Node's default is 30 s). */
  checkEveryMs: number;
}

/** The slowest link an upload of the largest size is allowed for: 128 KiB/s (about 1 Mbit/s). */
export const SLOWEST_UPLOAD_BYTES_PER_SECOND = 128 * 1024;
/** A request is never given less than this, whatever the upload limit. */
const MIN_REQUEST_TIMEOUT_MS = 5 * 60_000;

/**
 * The time a whole request may take: the largest upload at SLOWEST_UPLOAD_BYTES_PER_SECOND
 * (512 MiB: about 68 minutes), and never less than 5 minutes. A request is refused before
 * its body when it has no token (the connection then closes), so only a holder of the
 * token can keep one this long.
 */
export const requestTimeoutFor = (maxUploadBytes: number): number =>
  Math.max(
    MIN_REQUEST_TIMEOUT_MS,
    Math.ceil((maxUploadBytes / SLOWEST_UPLOAD_BYTES_PER_SECOND) * 1000),
  );

export const connectionLimits = (
  maxUploadBytes: number,
  given: Partial<ConnectionLimits> = {},
): ConnectionLimits => ({
  maxConnections: 256,
  headersTimeoutMs: 10_000,
  requestTimeoutMs: requestTimeoutFor(maxUploadBytes),
  keepAliveTimeoutMs: 5_000,
  checkEveryMs: 2_000,
  ...given,
});

/** The options of `createServer` that carry `limits` (Node checks the timeouts only there). */
export const serverOptions = (limits: ConnectionLimits) => ({
  headersTimeout: limits.headersTimeoutMs,
  // Node refuses a request timeout below the headers'.
  requestTimeout: Math.max(limits.requestTimeoutMs, limits.headersTimeoutMs),
  keepAliveTimeout: limits.keepAliveTimeoutMs,
  connectionsCheckingInterval: limits.checkEveryMs,
});

/** The ceiling on connections, kept by the server's own events (see ConnectionLimits.maxConnections). */
export function limitConnections(server: Server, limits: ConnectionLimits): void {
  const open = new Set<Socket>();
  /** Connections whose first request's headers have not come, oldest first. */
  const waiting = new Set<Socket>();
  const drop = (socket: Socket) => {
    open.delete(socket);
    waiting.delete(socket);
  };
  server.on('connection', (socket: Socket) => {
    if (open.size >= limits.maxConnections) {
      const oldest = waiting.values().next().value;
      if (!oldest) return void socket.destroy();
      drop(oldest);
      oldest.destroy();
    }
    open.add(socket);
    waiting.add(socket);
    socket.once('close', () => drop(socket));
  });
  const asked = (req: { socket: Socket }) => void waiting.delete(req.socket);
  server.on('request', asked);
  server.on('upgrade', asked);
}
