// The API over HTTP, one implementation for both hosts that speak it: the browser host
// (`gex-desk serve`, on 127.0.0.1) and the command line's local endpoint beside a running
// engine (a Unix socket or named pipe, electron/host/local/endpoint.ts). Every request
// must carry the per-launch token; `trusted` adds a host's own checks (the browser
// host's Origin); `POST /api/call/:name` goes through the validating dispatcher, whose
// transport policy says what a call may take; uploads are the browser host's alone.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { CALL_PATH, TOKEN_HEADER, UPLOAD_PATH } from '../../../shared/channels.ts';
import { byteSize } from '../../../shared/bytes.ts';
import { err } from '../../../shared/result.ts';
import type { Dispatch, HostedEngine } from '../handlers.ts';
import { readBody, refuse, refuseUnread, sendJson, tokenMatches } from './replies.ts';

export interface ApiRoutesOptions {
  dispatch: Dispatch;
  token: string;
  /** The host's own checks after the token (false: 403), e.g. the browser host's Origin. */
  trusted(req: IncomingMessage): boolean;
  /** What a request without the token is told (how to get it). */
  unauthorized: string;
  /** `POST /api/upload` (the browser host); absent: no uploads. */
  upload?(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void>;
}

export const MAX_CALL_BYTES = 32 * 1024 * 1024;
const CALL_NAME = new RegExp(`^${CALL_PATH}([a-z]{1,40}:[A-Za-z]{1,40})$`);

/**
 * A call whose body is past MAX_CALL_BYTES: 413 FILE_TOO_LARGE naming the call, as an
 * upload past its limit is answered; the connection closes after the answer, so that the
 * rest of the body is not read.
 */
function callTooLarge(
  req: IncomingMessage,
  res: ServerResponse,
  name: string,
  declared?: number,
): void {
  const size = declared === undefined ? 'more than' : `${byteSize(declared)}, more than`;
  res.setHeader('connection', 'close');
  sendJson(
    res,
    413,
    err(
      'FILE_TOO_LARGE',
      `${name}: the request body is ${size} the ${byteSize(MAX_CALL_BYTES)} a call may send.`,
    ),
  );
  req.resume();
}

/** Answers a request under /api/ (the caller routes the rest). */
export function apiRoutes(opts: ApiRoutesOptions) {
  async function handleCall(
    req: IncomingMessage,
    res: ServerResponse,
    name: string,
  ): Promise<void> {
    // Too large by its declared length: answered before reading a byte of it.
    const length = req.headers['content-length'];
    if (length !== undefined && /^\d+$/.test(length) && Number(length) > MAX_CALL_BYTES)
      return callTooLarge(req, res, name, Number(length));
    const body = await readBody(req, MAX_CALL_BYTES);
    if (!body.ok) return callTooLarge(req, res, name);
    let payload: unknown = {};
    if (body.value.length > 0) {
      try {
        payload = JSON.parse(body.value.toString('utf8'));
      } catch {
        // Not the parser's message: it quotes the body.
        return sendJson(res, 400, err('VALIDATION', `${name}: the request body is not JSON`));
      }
    }
    sendJson(res, 200, await opts.dispatch(name, payload));
  }

  return async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> => {
    if (!tokenMatches(req.headers[TOKEN_HEADER], opts.token))
      return refuseUnread(res, 401, opts.unauthorized);
    if (!opts.trusted(req)) return refuseUnread(res, 403, 'foreign or missing Origin');
    if (req.method !== 'POST') return refuseUnread(res, 405, 'POST only');
    if (url.pathname === UPLOAD_PATH && opts.upload) return opts.upload(req, res, url);
    const m = CALL_NAME.exec(url.pathname);
    if (m) return handleCall(req, res, m[1]!);
    return refuseUnread(res, 404, 'no such endpoint');
  };
}

/** A request handler that logs a failure and answers 500 instead of leaving the request hanging. */
export function guarded(
  handle: (req: IncomingMessage, res: ServerResponse) => Promise<void>,
  log: HostedEngine['log'],
  what: string,
) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    handle(req, res).catch((e: unknown) => {
      // A client that went away mid-answer is no failure of ours.
      if ((e as { code?: unknown }).code === 'ERR_STREAM_PREMATURE_CLOSE') return;
      log?.error(`${what}.failed`, {
        // Never the query: the page's address carries its token there.
        path: req.url?.split('?')[0]!.slice(0, 200),
        error: e instanceof Error ? e.stack : String(e),
      });
      if (!res.headersSent) refuse(res, 500, 'the request failed; the host log has the details');
      else res.destroy();
    });
  };
}
