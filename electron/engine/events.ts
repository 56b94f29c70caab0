// The engine's event stream, typed by the API map: the UI (over IPC or WebSocket) and
// the CLI subscribe to the same events.
import { EventEmitter } from 'node:events';
import type { EventName, EventPayload } from '../../shared/api.ts';

export class EngineEvents {
  #emitter = new EventEmitter().setMaxListeners(0);
  #onListenerError: (event: string, error: unknown) => void;

  /** A listener that throws is reported here; the others still hear the event. */
  constructor(
    onListenerError: (event: string, error: unknown) => void = (event, error) =>
      console.error(`listener of ${event} failed:`, error),
  ) {
    this.#onListenerError = onListenerError;
  }

  emit<K extends EventName>(event: K, payload: EventPayload<K>): void {
    this.#emitter.emit(event, payload);
  }

  /** Someone listens: an event that costs work to make (queue statistics) is made only then. */
  listens(event: EventName): boolean {
    return this.#emitter.listenerCount(event) > 0;
  }

  on<K extends EventName>(event: K, listener: (payload: EventPayload<K>) => void): () => void {
    // Events are announced after their commit: a listener's failure must not undo the
    // announcement for the others, nor reach the code that wrote the change.
    const isolated = (payload: EventPayload<K>) => {
      try {
        listener(payload);
      } catch (e) {
        this.#onListenerError(event, e);
      }
    };
    this.#emitter.on(event, isolated);
    return () => this.#emitter.off(event, isolated);
  }
}
