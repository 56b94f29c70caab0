// How the browser host answers: JSON Results with no-store, refusals whose code a
// program can act on (UNAUTHORIZED for the token, so that the page can ask for it), and
// request bodies read with a size limit. Nothing here echoes what the request sent.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { timingSafeEqual } from 'node:crypto';
import { err, ok, type ErrorCode, type Result } from '../../../shared/result.ts';

export type RefusalStatus = 400 | 401 | 403 | 404 | 405 | 413 | 429 | 500 | 503;

const CODE_OF: Record<RefusalStatus, ErrorCode> = {
  400: 'VALIDATION',
  401: 'UNAUTHORIZED',
  403: 'INVALID_REQUEST',
  404: 'NOT_FOUND',
  405: 'INVALID_REQUEST',
  413: 'FILE_TOO_LARGE',
  429: 'QUOTA_EXCEEDED',
  500: 'INTERNAL',
  503: 'SHUTTING_DOWN',
};

/** The HTTP status of a refused upload or call, by its code. */
export function statusOf(code: ErrorCode): RefusalStatus | 200 {
  switch (code) {
    case 'FILE_TOO_LARGE':
      return 413;
    case 'QUOTA_EXCEEDED':
      return 429;
    case 'SHUTTING_DOWN':
      return 503;
    case 'IO':
    case 'INTERNAL':
      return 500;
    default:
      return 400;
  }
}

/**
 * The request's target as a URL on `origin`, or undefined when it is no path: `new URL`
 * reads `//x` as another host (and throws on `//`), and a proxy's absolute form names
 * another server; neither is anything this host serves.
 */
export function requestUrl(req: IncomingMessage, origin: string): URL | undefined {
  const target = req.url ?? '/';
  if (!target.startsWith('/')) return undefined;
  try {
    return new URL(origin + target);
  } catch {
    return undefined;
  }
}

/** Same length and same bytes, in constant time. */
export function tokenMatches(given: unknown, token: string): boolean {
  if (typeof given !== 'string' || given.length === 0) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
  });
  res.end(text);
}

export function refuse(res: ServerResponse, status: RefusalStatus, message: string): void {
  sendJson(res, status, err(CODE_OF[status], message));
}

/**
 * A refusal before the request's body is read: the connection closes after it. Node would
 * otherwise read and drop the rest of the body, for as long as a request may take (long
 * enough for the largest upload): a client without the token could hold the connection.
 */
export function refuseUnread(res: ServerResponse, status: RefusalStatus, message: string): void {
  res.setHeader('connection', 'close');
  refuse(res, status, message);
}

/**
 * The whole body, or VALIDATION when it is larger than `limit` bytes: the rest is read
 * and dropped (stopping would reset the connection before the answer is sent).
 */
export async function readBody(req: IncomingMessage, limit: number): Promise<Result<Buffer>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size <= limit) chunks.push(chunk);
    else chunks.length = 0;
  }
  if (size > limit) return err('VALIDATION', `the request body is larger than ${limit} bytes`);
  return ok(Buffer.concat(chunks));
}
