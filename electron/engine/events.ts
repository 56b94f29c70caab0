// The engine's event stream, typed by the API map: the UI (over IPC or WebSocket) and
// the CLI subscribe to the same events.
import { EventEmitter } from 'node:events';
import type { EventName, EventPayload } from '../../shared/api.ts';

export class EngineEvents {
  #emitter = new EventEmitter().setMaxListeners(0);

  emit<K extends EventName>(event: K, payload: EventPayload<K>): void {
    this.#emitter.emit(event, payload);
  }

  on<K extends EventName>(event: K, listener: (payload: EventPayload<K>) => void): () => void {
    this.#emitter.on(event, listener);
    return () => this.#emitter.off(event, listener);
  }
}
