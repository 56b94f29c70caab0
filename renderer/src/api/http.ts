// The browser transport of the API: calls are `POST /api/call/:name` with the
// per-launch token in a header, events arrive over one WebSocket that reconnects
// by itself, files are uploaded with progress (XHR, since fetch cannot report
// upload progress). The token comes from the first URL and is then kept in
// sessionStorage and removed from the address bar. A 401 (a tab opened without the
// token) is reported once, and the event socket then stops knocking.
import type {
  CallName,
  CallRequest,
  CallResponse,
  EventName,
  EventPayload,
} from '../../../shared/api.ts';
import type { Result } from '../../../shared/result.ts';
import type { GexClient, StagedFile } from './client.ts';

export const TOKEN_KEY = 'gex-desk-token';
const TOKEN_HEADER = 'x-gex-token';

function takeToken(location: Location): string {
  const url = new URL(location.href);
  const fromUrl = url.searchParams.get('token');
  if (fromUrl) {
    sessionStorage.setItem(TOKEN_KEY, fromUrl);
    url.searchParams.delete('token');
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
  const token = takeToken(location);
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  const connectionListeners = new Set<(connected: boolean) => void>();
  const unauthorizedListeners = new Set<() => void>();
  let socket: WebSocket | null = null;
  let connected = false;
  let retry = 0;
  let unauthorized = false;

  const refused = () => {
    if (unauthorized) return;
    unauthorized = true;
    socket?.close();
    for (const l of unauthorizedListeners) l();
  };

  const setConnected = (value: boolean) => {
    if (value === connected) return;
    connected = value;
    for (const l of connectionListeners) l(value);
  };

  function connect(): void {
    if (unauthorized) return;
    if (!token) return refused();
    const wsUrl = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/api/events?token=${encodeURIComponent(token)}`;
    socket = new WebSocket(wsUrl);
    socket.onopen = () => {
      retry = 0;
      setConnected(true);
    };
    socket.onmessage = (msg) => {
      let data: { event?: string; payload?: unknown };
      try {
        data = JSON.parse(String(msg.data)) as typeof data;
      } catch {
        return;
      }
      if (!data.event) return;
      for (const l of listeners.get(data.event) ?? []) l(data.payload);
    };
    socket.onclose = () => {
      setConnected(false);
      socket = null;
      retry = Math.min(retry + 1, 6);
      if (!unauthorized) setTimeout(connect, 250 * 2 ** retry);
    };
  }
  connect();

  async function call<K extends CallName>(
    name: K,
    req: CallRequest<K>,
  ): Promise<Result<CallResponse<K>>> {
    let res: Response;
    try {
      res = await fetch(`/api/call/${name}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', [TOKEN_HEADER]: token },
        body: JSON.stringify(req ?? {}),
      });
    } catch (e) {
      return transportError(
        `${name}: the GEX Desk server cannot be reached (${(e as Error).message})`,
      );
    }
    if (res.status === 401) refused();
    try {
      return (await res.json()) as Result<CallResponse<K>>;
    } catch {
      return transportError(`${name}: HTTP ${res.status} ${res.statusText}`);
    }
  }

  function stage(file: File, onProgress?: (fraction: number) => void): Promise<Result<StagedFile>> {
    return new Promise((done) => {
      const xhr = new XMLHttpRequest();
      xhr.open('POST', `/api/upload?name=${encodeURIComponent(file.name)}`);
      xhr.setRequestHeader(TOKEN_HEADER, token);
      xhr.setRequestHeader('content-type', 'application/octet-stream');
      xhr.upload.onprogress = (e) => {
        if (e.lengthComputable && onProgress) onProgress(e.loaded / e.total);
      };
      xhr.onerror = () => done(transportError(`${file.name}: upload failed (connection lost)`));
      xhr.onload = () => {
        if (xhr.status === 401) refused();
        try {
          done(JSON.parse(xhr.responseText) as Result<StagedFile>);
        } catch {
          done(transportError(`${file.name}: upload failed: HTTP ${xhr.status}`));
        }
      };
      xhr.send(file);
    });
  }

  return {
    transport: 'http',
    call,
    on<K extends EventName>(event: K, listener: (payload: EventPayload<K>) => void) {
      const set = listeners.get(event) ?? new Set();
      listeners.set(event, set);
      const l = listener as (p: unknown) => void;
      set.add(l);
      return () => set.delete(l);
    },
    stage,
    onConnection(listener) {
      connectionListeners.add(listener);
      listener(connected);
      return () => connectionListeners.delete(listener);
    },
    onUnauthorized(listener) {
      unauthorizedListeners.add(listener);
      if (unauthorized) listener();
      return () => unauthorizedListeners.delete(listener);
    },
  };
}
