// The browser transport of the API: calls are `POST /api/call/:name` with the
// per-launch token in a header, events arrive over one WebSocket (the token is its
// first message) that reconnects by itself, files are uploaded with progress (XHR,
// since fetch cannot report upload progress). The token comes from the first URL
// (`?token=`), is kept in sessionStorage so that a reload works, and is removed from
// the address bar; it is never a cookie. Without it, or with a stale one (the host was
// restarted), every call answers UNAUTHORIZED, which the UI turns into "this address
// needs its token", for a token the server never accepted "the address's token is wrong
// or cut short", or, for a token the tab had in use, "its token changed".
import { createListeners, readSocketMessage } from '../../../shared/listeners.ts';
import {
  CALL_PATH,
  EVENTS_PATH,
  SOCKET_AUTH,
  SOCKET_UNAUTHORIZED,
  TOKEN_HEADER,
  TOKEN_QUERY,
  UPLOAD_PATH,
} from '../../../shared/channels.ts';
import type {
  CallName,
  CallRequest,
  CallResponse,
  EventName,
  EventPayload,
  UploadReceipt,
} from '../../../shared/api.ts';
import type { Result } from '../../../shared/result.ts';
import type { GexClient, StagedFile, Unauthorized } from './client.ts';

export const TOKEN_KEY = 'gex-desk-token';
/** Set once the server has accepted the tab's token (a call answered, the socket ready). */
export const TOKEN_ACCEPTED_KEY = 'gex-desk-token-accepted';

/** The code every call answers with while the page has no valid token. */
export const UNAUTHORIZED = 'UNAUTHORIZED' as const;
const unauthorized = (): Result<never> => ({
  ok: false,
  error: {
    code: UNAUTHORIZED,
    message:
      'This address needs its token: open the address that `gex-desk serve` printed (it ends in ?token=…).',
  },
});

function takeToken(location: Location): string {
  const url = new URL(location.href);
  const fromUrl = url.searchParams.get(TOKEN_QUERY);
  if (fromUrl) {
    if (sessionStorage.getItem(TOKEN_KEY) !== fromUrl)
      sessionStorage.removeItem(TOKEN_ACCEPTED_KEY);
    sessionStorage.setItem(TOKEN_KEY, fromUrl);
    url.searchParams.delete(TOKEN_QUERY);
    history.replaceState(null, '', url.pathname + url.search + url.hash);
    return fromUrl;
  }
  return sessionStorage.getItem(TOKEN_KEY) ?? '';
}

const transportError = (message: string): Result<never> => ({
  ok: false,
  error: { code: 'IO', message },
});

export function createHttpClient(location: Location): GexClient {
  let token = takeToken(location);
  // One listener that throws is logged; the others still get the event (as in the preload).
  const listeners = createListeners((event, e) =>
    console.error(`gex: a listener of ${event} threw`, e),
  );
  const connectionListeners = new Set<(connected: boolean) => void>();
  /** Files this page uploaded, by the stored path the host reported, to their upload ids. */
  const uploaded = new Map<string, string>();
  const unauthorizedListeners = new Set<(why: Unauthorized) => void>();
  let connected = false;
  let retry = 0;

  const setConnected = (value: boolean) => {
    if (value === connected) return;
    connected = value;
    for (const l of connectionListeners) l(value);
  };

  /** The server answered this token: a later refusal means it restarted with another. */
  const tokenAccepted = () => {
    if (token) sessionStorage.setItem(TOKEN_ACCEPTED_KEY, '1');
  };

  /**
   * A refused token stays refused: forget it, so a reload asks for the address again.
   * One the server had accepted means it restarted with a new one; one it never accepted
   * was wrong from the start (a mistyped or truncated address).
   */
  const tokenRefused = () => {
    // Several requests in flight with the token are refused: the first one tells.
    if (!token) return;
    const had = sessionStorage.getItem(TOKEN_ACCEPTED_KEY) === '1';
    token = '';
    sessionStorage.removeItem(TOKEN_KEY);
    sessionStorage.removeItem(TOKEN_ACCEPTED_KEY);
    setConnected(false);
    for (const l of unauthorizedListeners) l(had ? 'refused' : 'wrong');
  };

  function connect(): void {
    if (!token) return;
    const socket = new WebSocket(
      `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}${EVENTS_PATH}`,
    );
    socket.onopen = () => socket.send(JSON.stringify({ type: SOCKET_AUTH, token }));
    socket.onmessage = (msg) => {
      const m = readSocketMessage(String(msg.data));
      if (m?.kind === 'ready') {
        tokenAccepted();
        retry = 0;
        setConnected(true);
      } else if (m?.kind === 'event') listeners.emit(m.event, m.payload);
    };
    socket.onclose = (e) => {
      if (e.code === SOCKET_UNAUTHORIZED) return tokenRefused();
      setConnected(false);
      retry = Math.min(retry + 1, 6);
      setTimeout(connect, 250 * 2 ** retry);
    };
  }
  connect();

  /** Over HTTP a file is named by the id of its upload, never by a path. */
  function asUpload<K extends CallName>(name: K, req: CallRequest<K>): CallRequest<K> {
    if (name !== 'ingest:submit') return req;
    const { file, ...rest } = req as CallRequest<'ingest:submit'>;
    const upload = file === undefined ? undefined : uploaded.get(file);
    if (upload === undefined) return req;
    uploaded.delete(file!);
    return { ...rest, upload } as CallRequest<K>;
  }

  async function call<K extends CallName>(
    name: K,
    req: CallRequest<K>,
  ): Promise<Result<CallResponse<K>>> {
    if (!token) return unauthorized();
    let res: Response;
    try {
      res = await fetch(`${CALL_PATH}${name}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', [TOKEN_HEADER]: token },
        body: JSON.stringify(asUpload(name, req) ?? {}),
      });
    } catch (e) {
      return transportError(
        `${name}: the GEX Desk server cannot be reached (${(e as Error).message})`,
      );
    }
    if (res.status === 401) {
      tokenRefused();
      return unauthorized();
    }
    tokenAccepted();
    try {
      return (await res.json()) as Result<CallResponse<K>>;
    } catch {
      return transportError(`${name}: HTTP ${res.status} ${res.statusText}`);
    }
  }

  function stage(file: File, onProgress?: (fraction: number) => void): Promise<Result<StagedFile>> {
    if (!token) return Promise.resolve(unauthorized());
    return new Promise((done) => {
      const xhr = new XMLHttpRequest();
      xhr.open('POST', `${UPLOAD_PATH}?name=${encodeURIComponent(file.name)}`);
      xhr.setRequestHeader(TOKEN_HEADER, token);
      xhr.setRequestHeader('content-type', 'application/octet-stream');
      xhr.upload.onprogress = (e) => {
        if (e.lengthComputable && onProgress) onProgress(e.loaded / e.total);
      };
      xhr.onerror = () => done(transportError(`${file.name}: upload failed (connection lost)`));
      xhr.onload = () => {
        if (xhr.status === 401) {
          tokenRefused();
          return done(unauthorized());
        }
        let receipt: Result<UploadReceipt>;
        try {
          receipt = JSON.parse(xhr.responseText) as Result<UploadReceipt>;
        } catch {
          return done(transportError(`${file.name}: upload failed: HTTP ${xhr.status}`));
        }
        if (!receipt.ok) return done(receipt);
        uploaded.set(receipt.value.path, receipt.value.upload);
        done({
          ok: true,
          value: { path: receipt.value.path, name: receipt.value.name, bytes: receipt.value.bytes },
        });
      };
      xhr.send(file);
    });
  }

  return {
    transport: 'http',
    call,
    on<K extends EventName>(event: K, listener: (payload: EventPayload<K>) => void) {
      return listeners.on(event, listener as (p: unknown) => void);
    },
    stage,
    onConnection(listener) {
      connectionListeners.add(listener);
      listener(connected);
      return () => connectionListeners.delete(listener);
    },
    /** The page has no valid token (none in its address, or the host restarted): the UI explains. */
    onUnauthorized(listener) {
      unauthorizedListeners.add(listener);
      if (!token) listener('none');
      return () => unauthorizedListeners.delete(listener);
    },
  };
}
