// The event listeners of an API client (the browser's http.ts, the command line's
// local/client.ts), and the event socket's messages both of them read. One listener that
// throws must not keep the event from the others, nor escape into the socket's handler
// (in the command line, an uncaught exception). Dependency-free, like channels.ts: the
// renderer bundles it.
import { SOCKET_READY } from './channels.ts';

export interface Listeners {
  /** Adds a listener of `event`; the function returned removes it. */
  on(event: string, listener: (payload: unknown) => void): () => void;
  /** Calls every listener of `event`; one that throws is reported and the others still run. */
  emit(event: string, payload: unknown): void;
}

export function createListeners(onError: (event: string, e: unknown) => void): Listeners {
  const byEvent = new Map<string, Set<(payload: unknown) => void>>();
  return {
    on(event, listener) {
      let set = byEvent.get(event);
      if (!set) byEvent.set(event, (set = new Set()));
      set.add(listener);
      return () => void set.delete(listener);
    },
    emit(event, payload) {
      for (const l of byEvent.get(event) ?? []) {
        try {
          l(payload);
        } catch (e) {
          onError(event, e);
        }
      }
    },
  };
}

/** One message of the event socket: the handshake's answer, an event, or nothing we know. */
export type SocketMessage =
  { kind: 'ready' } | { kind: 'event'; event: string; payload: unknown } | null;

export function readSocketMessage(raw: string): SocketMessage {
  let m: unknown;
  try {
    m = JSON.parse(raw);
  } catch {
    return null;
  }
  if (typeof m !== 'object' || m === null) return null;
  const { type, event, payload } = m as { type?: unknown; event?: unknown; payload?: unknown };
  if (type === SOCKET_READY) return { kind: 'ready' };
  if (typeof event === 'string') return { kind: 'event', event, payload };
  return null;
}
