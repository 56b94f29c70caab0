// The one gate every call passes on its way into the engine, whatever the transport
// (Electron IPC, the browser host, the command line's local endpoint): the channel must
// be one declared in shared/api.ts, the request must parse with that call's zod schema
// (which refuses a key it does not name: a misspelt `dry_run` must not be ignored),
// a file must be named the way its transport allows (a path on the desktop and the
// command line, an upload id in a browser, where no call takes a path), and a handler
// that throws becomes an INTERNAL error value instead of a lost exception.
import { z } from 'zod';
import {
  calls,
  type CallHandlers,
  type CallName,
  type EventName,
  type EventPayload,
  type SubmitAck,
  type SubmitRequest,
} from '../../shared/api.ts';
import { nearWord } from '../../shared/near-words.ts';
import { err, type Result } from '../../shared/result.ts';
import type { Logger } from '../engine/log.ts';
import { errorOfThrown } from '../engine/store/db.ts';
import { echoed } from '../../shared/visible.ts';

/** The part of the engine (electron/engine/engine.ts `Engine`) a transport needs. */
export interface HostedEngine {
  handlers: CallHandlers;
  events: {
    on<K extends EventName>(event: K, listener: (payload: EventPayload<K>) => void): () => void;
  };
  config: {
    dbPath: string;
    dataDir: string;
    inbox: string;
    workers: number;
    /** The largest file the engine reads (the browser host's uploads are held to it). */
    limits?: { maxFileBytes: number };
  };
  log?: Pick<Logger, 'info' | 'warn' | 'error'>;
}

export type Dispatch = (name: string, payload: unknown) => Promise<Result<unknown>>;

export const isCallName = (name: string): name is CallName => Object.hasOwn(calls, name);

/** The keys the object at `path` of `schema` takes (through optional, default, nullable and arrays). */
function keysAt(schema: z.ZodType, path: readonly PropertyKey[]): string[] | undefined {
  let at: z.core.$ZodType = schema;
  for (let i = 0; ;) {
    const def = at._zod.def as { type: string; innerType?: z.core.$ZodType };
    if (def.innerType && ['optional', 'default', 'nullable', 'prefault'].includes(def.type)) {
      at = def.innerType;
      continue;
    }
    const segment = path[i++];
    if (at instanceof z.ZodObject) {
      if (segment === undefined) return Object.keys(at.shape);
      const next: z.core.$ZodType | undefined = (at.shape as Record<string, z.core.$ZodType>)[
        String(segment)
      ];
      if (!next) return undefined;
      at = next;
    } else if (at instanceof z.ZodArray && typeof segment === 'number') {
      at = at.element;
    } else return undefined;
  }
}

/** A key of the request, as an error may show it: quoted, at most ECHO_MAX characters of it. */
const shown = (key: string) => `"${echoed(key)}"`;

/**
 * "unknown field "dryRun" (did you mean "dry_run"?)": the keys `schema` does not take, each
 * with the one it was most likely meant as, or else the keys it does take.
 */
function unknownKeys(keys: readonly string[], known: readonly string[] | undefined): string {
  const named = keys.slice(0, 5).map((k) => {
    const near = known && nearWord(k, known);
    return near ? `${shown(k)} (did you mean "${near}"?)` : shown(k);
  });
  const more = keys.length > 5 ? ` and ${keys.length - 5} more` : '';
  const said = `unknown field${keys.length > 1 ? 's' : ''} ${named.join(', ')}${more}`;
  if (!known || named.some((n) => n.includes('did you mean'))) return said;
  return `${said}; ${known.length ? `it takes ${known.join(', ')}` : 'it takes no fields'}`;
}

/**
 * Formats zod issues as "field.path: message; …" so a person sees which field was wrong.
 * Unknown keys come first (a misspelt key is often why a field it was meant as is
 * missing), named by at most 40 characters each, with the key of `schema` they are near.
 */
export function describeIssues(
  issues: readonly z.core.$ZodIssue[],
  schema?: z.ZodType,
): { message: string; field: string | undefined } {
  const ordered = [...issues].sort(
    (a, b) => Number(b.code === 'unrecognized_keys') - Number(a.code === 'unrecognized_keys'),
  );
  const parts = ordered.map((i) => {
    const path = i.path.map(String).join('.');
    if (i.code === 'unrecognized_keys') {
      const said = unknownKeys(i.keys, schema && keysAt(schema, i.path));
      return path ? `${path}: ${said}` : said;
    }
    return `${path || '(request)'}: ${i.message}`;
  });
  const first = ordered[0];
  const path = first
    ? [
        ...first.path.map(String),
        ...(first.code === 'unrecognized_keys' ? first.keys.slice(0, 1) : []),
      ]
    : [];
  const field = path.length > 0 ? path.map((p) => echoed(p)).join('.') : undefined;
  return { message: parts.join('; '), field };
}

/** Turns the browser host's upload ids into the files it stored (electron/host/http/uploads.ts). */
export interface UploadResolver {
  /** The stored file of a ready upload; each upload can be taken once. */
  take(id: string): Promise<Result<{ path: string; name: string }>>;
  /** How the submission of a taken upload ended (its file is kept while its job runs). */
  submitted(id: string, ack: Result<SubmitAck>): void;
}

export interface DispatchOptions {
  /**
   * Which transport serves this dispatcher; reported by `engine:health`. It decides how a
   * file may be named: `ipc` (the desktop app) and `local` (the command line, the same
   * user on the same machine, over the engine's Unix socket or named pipe) take paths;
   * `http` (the browser host) takes only upload ids and no other path either (so no
   * `inbox:set`), so that a page can never make the engine read or use a path.
   */
  transport: 'ipc' | 'http' | 'local';
  /** The browser host's uploads; without it, `http` accepts no file at all. */
  uploads?: UploadResolver;
}

export const PATHS_REFUSED = 'the browser host accepts files only as uploads';

/** Sends a submission on, its file named the way this transport allows. */
async function submitVia(
  handler: CallHandlers['ingest:submit'],
  req: SubmitRequest,
  opts: DispatchOptions,
): Promise<Result<SubmitAck>> {
  const { file, upload, ...rest } = req;
  if (opts.transport !== 'http') {
    if (file === undefined)
      return err(
        'INVALID_REQUEST',
        `ingest:submit: ${opts.transport === 'ipc' ? 'the desktop app' : 'the command line'} takes files by path (\`file\`); uploads are for the browser host`,
        { field: 'upload' },
      );
    return handler({ ...rest, file });
  }
  // Refused before anything is read or stored: no request, no job, no audit entry, and
  // nothing that could tell whether the path exists.
  if (upload === undefined)
    return err(
      'INVALID_REQUEST',
      `ingest:submit: ${PATHS_REFUSED} (upload the file, then submit its \`upload\` id)`,
      { field: 'file' },
    );
  if (!opts.uploads)
    return err('INVALID_REQUEST', 'ingest:submit: this host takes no uploads', { field: 'upload' });
  // A page neither names the request nor dates its arrival: the engine does both.
  for (const field of ['request_id', 'arrived_at', 'given_as'] as const)
    if (rest[field] !== undefined)
      return err(
        'INVALID_REQUEST',
        `ingest:submit: \`${field}\` is the command line's; the browser host takes none`,
        { field },
      );

  const taken = await opts.uploads.take(upload);
  if (!taken.ok) return taken;
  let ack: Result<SubmitAck>;
  try {
    // Named as the analyst gave it, as `ingest -` is named `-`: the stored path is deleted
    // once the job ends, and the jobs, the audit trail and a stored error named it for ever.
    ack = await handler({ ...rest, file: taken.value.path, given_as: taken.value.name });
  } catch (e) {
    opts.uploads.submitted(upload, err('INTERNAL', String(e)));
    throw e;
  }
  opts.uploads.submitted(upload, ack);
  return ack;
}

/** Why the browser host refuses a call that names a folder on the engine's machine, if it does. */
function pathRefused(name: CallName, data: unknown): Result<never> | null {
  if (name === 'inbox:set')
    return err(
      'INVALID_REQUEST',
      `inbox:set: ${PATHS_REFUSED}, and cannot choose the inbox folder (a path): choose it in the desktop app or in config.json`,
      { field: 'dir' },
    );
  if ((data as { attach?: unknown }).attach !== undefined)
    return err(
      'INVALID_REQUEST',
      `${name}: ${PATHS_REFUSED}, and reads no folder a page names (attach): attach export folders in config.json`,
      { field: 'attach' },
    );
  return null;
}

/**
 * `handlers` may lack calls (a command that opened only the store serves those it can);
 * a missing one is NOT_FOUND.
 */
export function createDispatcher(handlers: Partial<CallHandlers>, opts: DispatchOptions): Dispatch {
  return async (name, payload) => {
    if (typeof name !== 'string' || !isCallName(name)) {
      return err('NOT_FOUND', `unknown call "${echoed(String(name))}"`);
    }
    const parsed = calls[name].request.safeParse(payload ?? {});
    if (!parsed.success) {
      const { message, field } = describeIssues(parsed.error.issues, calls[name].request);
      return err('VALIDATION', `${name}: ${message}`, field ? { field } : {});
    }
    if (opts.transport === 'http') {
      const refused = pathRefused(name, parsed.data);
      if (refused) return refused;
    }
    const handler = handlers[name] as (req: unknown) => Promise<Result<unknown>>;
    if (typeof handler !== 'function') return err('NOT_FOUND', `no handler for "${name}"`);
    try {
      const result =
        name === 'ingest:submit'
          ? await submitVia(
              handler as CallHandlers['ingest:submit'],
              parsed.data as SubmitRequest,
              opts,
            )
          : await handler(parsed.data);
      if (!result || typeof result !== 'object' || typeof result.ok !== 'boolean') {
        return err('INTERNAL', `${name}: the handler returned no Result`);
      }
      if (name === 'engine:health' && result.ok) {
        return { ok: true, value: { ...(result.value as object), transport: opts.transport } };
      }
      return result;
    } catch (e) {
      return errorOfThrown(e, 'INTERNAL', `${name}: `);
    }
  };
}
