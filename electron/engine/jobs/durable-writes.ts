// A job's final state must reach the table: if its write fails (a full disk, a locked
// file), the job would show as running until the next restart. So final writes are
// retried with backoff until they land, and the number still waiting is reported in the
// engine's health. Should the process end first, recovery finds the row as last written
// (running) and runs the job again; nothing is lost either way.
import type { Logger } from '../log.ts';
import { isFatal } from '../store/group-commit.ts';
import { messageOf } from '../../../shared/result.ts';

export interface DurableWritesOptions {
  clock: () => number;
  log: Logger | null;
  /** First delay between attempts; doubles up to `maxDelayMs`. */
  firstDelayMs?: number;
  maxDelayMs?: number;
}

export class DurableWrites {
  #o: DurableWritesOptions;
  #pending = new Set<Promise<unknown>>();
  #failing = 0;

  constructor(opts: DurableWritesOptions) {
    this.#o = opts;
  }

  /** Final writes that have failed at least once and are still being retried. */
  get pending(): number {
    return this.#failing;
  }

  /** Runs `write` until it succeeds; resolves with its value. */
  final<T>(label: string, write: () => Promise<T>): Promise<T> {
    const p = this.#attempt(label, write);
    this.#pending.add(p);
    void p.finally(() => this.#pending.delete(p)).catch(() => undefined);
    return p;
  }

  /** Waits for writes in progress, at most `ms`. */
  async settle(ms: number): Promise<void> {
    let timer: NodeJS.Timeout | null = null;
    await Promise.race([
      Promise.allSettled([...this.#pending]),
      new Promise((r) => (timer = setTimeout(r, ms))),
    ]);
    if (timer) clearTimeout(timer);
  }

  async #attempt<T>(label: string, write: () => Promise<T>): Promise<T> {
    let delay = this.#o.firstDelayMs ?? 100;
    let failed = false;
    for (let attempt = 1; ; attempt++) {
      try {
        const value = await write();
        if (failed) {
          this.#failing--;
          this.#o.log?.info('scheduler.final_write_recovered', { write: label, attempts: attempt });
        }
        return value;
      } catch (e) {
        const message = messageOf(e);
        // Closed, or invalidated by DuckDB (no write can land until the file is opened
        // again): the row stays as last written, and recovery takes it from there.
        if (/database is closed/i.test(message) || isFatal(e)) throw e;
        if (!failed) {
          failed = true;
          this.#failing++;
        }
        this.#o.log?.error('scheduler.final_write_failed', {
          write: label,
          attempt,
          error: message,
          retry_in_ms: delay,
        });
        await new Promise((r) => setTimeout(r, delay));
        delay = Math.min(this.#o.maxDelayMs ?? 30_000, delay * 2);
      }
    }
  }
}
