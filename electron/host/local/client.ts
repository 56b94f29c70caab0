// The command line's client of a running engine's local endpoint (endpoint.ts): the API
// map's `call` as `POST /api/call/:name` with the token, over the Unix socket or named
// pipe the discovery file names, and `on` through the event WebSocket, opened on the
// first subscription. Calls made after a subscription wait until the socket is ready,
// so that a command subscribing and then asking ("has my job ended?") never misses the
// event in between. A listener that throws is said on stderr; the others still get the
// event, and the command goes on. A transport failure is an IO error value (exit 3): the engine went away.
import { Agent, request } from 'node:http';
import { connect } from 'node:net';
import WebSocket from 'ws';
import type {
  CallName,
  CallRequest,
  CallResponse,
  EventName,
  EventPayload,
} from '../../../shared/api.ts';
import { CALL_PATH, EVENTS_PATH, SOCKET_AUTH, TOKEN_HEADER } from '../../../shared/channels.ts';
import { createListeners, readSocketMessage } from '../../../shared/listeners.ts';
import { err, type AppError, type Result, messageOf } from '../../../shared/result.ts';
import type { ApiClient } from '../cli/api-client.ts';
import type { Discovery } from './discovery.ts';

/** How a probe of an endpoint ended. */
export type Probe =
  /** Its health, as `engine:health` answers (a command needing it asks no second time). */
  | { state: 'live'; health: CallResponse<'engine:health'> }
  /** Nothing listens there (a crashed engine's leftovers). */
  | { state: 'refused' }
  /** Something is there but does not answer as it should (hung, another program, a stale token). */
  | { state: 'silent'; reason: string };

interface Reply {
  status: number;
  body: string;
}

export class RemoteApi implements ApiClient {
  readonly where = 'running-engine' as const;
  readonly discovery: Discovery;
  #agent = new Agent({ keepAlive: true });
  #listeners = createListeners((event, e) =>
    process.stderr.write(
      `gex-desk: a listener of ${event} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`,
    ),
  );
  #socket: WebSocket | null = null;
  #ready: Promise<void> | null = null;
  #closed = false;
  #lost = new Set<(error: AppError) => void>();
  /** The errors of calls that found the engine gone (wentAway). */
  #goneErrors = new WeakSet<AppError>();
  /** Unsubscribes from `engine:failed`, once onLost has been asked for. */
  #watchingFailure: (() => void) | undefined;

  constructor(discovery: Discovery) {
    this.discovery = discovery;
  }

  get enginePid(): number {
    return this.discovery.pid;
  }

  #post(path: string, body: string, timeoutMs?: number): Promise<Reply> {
    return new Promise((resolve, reject) => {
      const req = request(
        {
          socketPath: this.discovery.endpoint,
          path,
          method: 'POST',
          agent: this.#agent,
          headers: {
            host: 'localhost',
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(body),
            [TOKEN_HEADER]: this.discovery.token,
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
          );
          res.on('error', reject);
        },
      );
      if (timeoutMs !== undefined)
        req.setTimeout(timeoutMs, () =>
          req.destroy(
            Object.assign(new Error(`no answer within ${timeoutMs} ms`), { code: 'ETIMEDOUT' }),
          ),
        );
      req.on('error', reject);
      req.end(body);
    });
  }

  /** Whether a GEX Desk engine answers on the endpoint, and for which database. */
  async probe(timeoutMs: number): Promise<Probe> {
    let reply: Reply;
    try {
      reply = await this.#post(`${CALL_PATH}engine:health`, '{}', timeoutMs);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ECONNREFUSED' || code === 'ENOENT') return { state: 'refused' };
      return { state: 'silent', reason: messageOf(e) };
    }
    try {
      const r = JSON.parse(reply.body) as Result<CallResponse<'engine:health'>>;
      if (reply.status === 200 && r.ok) return { state: 'live', health: r.value };
      return {
        state: 'silent',
        reason: r.ok ? `HTTP ${reply.status}` : `${r.error.code}: ${r.error.message}`,
      };
    } catch {
      return { state: 'silent', reason: `an answer that is not JSON (HTTP ${reply.status})` };
    }
  }

  async call<K extends CallName>(name: K, req: CallRequest<K>): Promise<Result<CallResponse<K>>> {
    const gone = (why: string) => {
      const r = err(
        'IO',
        `The running GEX Desk engine (PID ${this.discovery.pid}) stopped answering: ${why}`,
      );
      this.#goneErrors.add(r.error);
      return r as Result<CallResponse<K>>;
    };
    if (this.#ready) {
      try {
        await this.#ready;
      } catch (e) {
        return gone(messageOf(e));
      }
    }
    let reply: Reply;
    try {
      reply = await this.#post(`${CALL_PATH}${name}`, JSON.stringify(req ?? {}));
    } catch (e) {
      return gone(messageOf(e));
    }
    try {
      return JSON.parse(reply.body) as Result<CallResponse<K>>;
    } catch {
      return gone(`an answer that is not JSON (HTTP ${reply.status})`);
    }
  }

  on<K extends EventName>(event: K, listener: (payload: EventPayload<K>) => void): () => void {
    const off = this.#listeners.on(event, listener as (payload: unknown) => void);
    this.#ready ??= this.#openEvents();
    // A failure is reported by the next call; nobody may be waiting on this promise.
    this.#ready.catch(() => undefined);
    return off;
  }

  #openEvents(): Promise<void> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(`ws://localhost${EVENTS_PATH}`, {
        createConnection: () => connect(this.discovery.endpoint),
      });
      this.#socket = ws;
      let ready = false;
      ws.once('open', () =>
        ws.send(JSON.stringify({ type: SOCKET_AUTH, token: this.discovery.token })),
      );
      ws.on('message', (data) => {
        const m = readSocketMessage(String(data));
        if (!ready) {
          if (m?.kind === 'ready') {
            ready = true;
            resolve();
          }
          return;
        }
        if (m?.kind === 'event') this.#listeners.emit(m.event, m.payload);
      });
      ws.once('close', (code) => {
        if (!ready) reject(new Error(`the event socket closed (${code})`));
        else if (!this.#closed) this.#ready = Promise.reject(new Error('the event socket closed'));
        this.#ready?.catch(() => undefined);
        if (this.#closed) return;
        const error: AppError = {
          code: 'IO',
          message: `The running GEX Desk engine (PID ${this.discovery.pid}) went away (its event socket closed with ${code}).`,
        };
        for (const l of this.#lost) l(error);
        this.#lost.clear();
      });
      ws.once('error', (e) => {
        if (!ready) reject(e);
      });
    });
  }

  wentAway(error: AppError): boolean {
    return this.#goneErrors.has(error);
  }

  onLost(listener: (error: AppError) => void): void {
    // The engine goes on, but its database failed (a full disk): no job will end there.
    this.#watchingFailure ??= this.on('engine:failed', (error) => {
      for (const l of this.#lost) l(error);
      this.#lost.clear();
    });
    this.#lost.add(listener);
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#watchingFailure?.();
    this.#socket?.terminate();
    this.#agent.destroy();
  }
}
