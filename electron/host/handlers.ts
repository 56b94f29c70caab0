// The one gate every call passes on its way into the engine, whatever the transport
// (Electron IPC or the browser host): the channel must be one declared in
// shared/api.ts, the request must parse with that call's zod schema, and a handler
// that throws becomes an INTERNAL error value instead of a lost exception.
import type { z } from 'zod';
import { calls, type CallHandlers, type CallName, type EventName, type EventPayload } from '../../shared/api.ts';
import { err, type Result } from '../../shared/result.ts';

/** The part of the engine (electron/engine/engine.ts `Engine`) a transport needs. */
export interface HostedEngine {
  handlers: CallHandlers;
  events: { on<K extends EventName>(event: K, listener: (payload: EventPayload<K>) => void): () => void };
  config: { dbPath: string; dataDir: string; inbox: string; workers: number };
}

export type Dispatch = (name: string, payload: unknown) => Promise<Result<unknown>>;

export const isCallName = (name: string): name is CallName => Object.hasOwn(calls, name);

/** Formats zod issues as "field.path: message; …" so a person sees which field was wrong. */
export function describeIssues(issues: readonly z.core.$ZodIssue[]): { message: string; field: string | undefined } {
  const parts = issues.map((i) => {
    const path = i.path.map(String).join('.');
    const keys = i.code === 'unrecognized_keys' ? ` (${i.keys.join(', ')})` : '';
    return `${path || '(request)'}: ${i.message}${keys}`;
  });
  const first = issues[0];
  const field = first && first.path.length > 0 ? first.path.map(String).join('.') : undefined;
  return { message: parts.join('; '), field };
}

export interface DispatchOptions {
  /** Which transport serves this dispatcher; reported by `engine:health`. */
  transport?: 'ipc' | 'http';
}

export function createDispatcher(handlers: CallHandlers, opts: DispatchOptions = {}): Dispatch {
  return async (name, payload) => {
    if (typeof name !== 'string' || !isCallName(name)) {
      return err('NOT_FOUND', `unknown call "${String(name)}"`);
    }
    const parsed = calls[name].request.safeParse(payload ?? {});
    if (!parsed.success) {
      const { message, field } = describeIssues(parsed.error.issues);
      return err('VALIDATION', `${name}: ${message}`, field ? { field } : {});
    }
    const handler = handlers[name] as (req: unknown) => Promise<Result<unknown>>;
    if (typeof handler !== 'function') return err('NOT_FOUND', `no handler for "${name}"`);
    try {
      const result = await handler(parsed.data);
      if (!result || typeof result !== 'object' || typeof result.ok !== 'boolean') {
        return err('INTERNAL', `${name}: the handler returned no Result`);
      }
      if (name === 'engine:health' && result.ok && opts.transport) {
        return { ok: true, value: { ...(result.value as object), transport: opts.transport } };
      }
      return result;
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      return err('INTERNAL', `${name}: ${message}`);
    }
  };
}
