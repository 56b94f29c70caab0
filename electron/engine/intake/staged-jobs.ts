// Which jobs hold staged bytes. A job holds the reference its capture took until it ends;
// a failed or cancelled job keeps its bytes for a retry during `keepEndedMs` (then they
// go), and one retried in time holds them again. When the disk fills, only bytes no retry
// needs go at once (`yieldSpace`): those of jobs that failed on their file's content, and
// content already stored. A job that failed because the disk was full (or was cancelled)
// keeps them — it is the one an analyst retries once space is freed, perhaps after
// deleting the source. Rebuilt from the jobs table at start.
import { TERMINAL_STATUSES, type ProcessingJob } from '../../../shared/domain.ts';
import { retryHelps } from '../../../shared/retry.ts';
import type { ErrorCode } from '../../../shared/result.ts';
import { num, type Store } from '../store/db.ts';
import type { Staging } from './staging.ts';

const KEPT = new Set(['failed', 'cancelled']);

export class StagedJobs {
  #staging: Staging;
  #keepMs: number;
  #held = new Map<string, string>();
  /**
   * Ended jobs keeping their bytes: job id → hash, when the bytes go, and whether they go
   * at once for a full disk (no retry may cure the job: `retryHelps` of shared/retry.ts).
   */
  #kept = new Map<string, { hash: string; untilMs: number; yields: boolean }>();

  constructor(staging: Staging, opts: { keepEndedMs: number }) {
    this.#staging = staging;
    this.#keepMs = opts.keepEndedMs;
  }

  /** The job holds the reference its request's capture took. */
  hold(jobId: string, hash: string): void {
    this.#held.set(jobId, hash);
  }

  /** Follows every job:updated event. */
  onJobUpdated(job: ProcessingJob, nowMs = Date.now()): void {
    const held = this.#held.get(job.id);
    if (held !== undefined && TERMINAL_STATUSES.has(job.status)) {
      this.#held.delete(job.id);
      if (KEPT.has(job.status) && this.#keepMs > 0)
        this.#kept.set(job.id, {
          hash: held,
          untilMs: nowMs + this.#keepMs,
          yields: !retryHelps(job),
        });
      else this.#staging.release(held);
      return;
    }
    const kept = this.#kept.get(job.id);
    if (kept && !TERMINAL_STATUSES.has(job.status)) {
      this.#kept.delete(job.id);
      this.#held.set(job.id, kept.hash);
    }
  }

  /**
   * An analyst's retry of an ended job takes its bytes back before its transition is
   * written, so that no sweep (nor a full disk) lets them go meanwhile: its kept bytes, or
   * — when another job still holds the same content — a reference of its own. Null when
   * nothing of it is staged any more (never captured, or its retention passed): the retry
   * is then refused and the job left as it ended (docs/scheduler.md). `undo` gives the
   * bytes back as they were, for a retry that was not written after all.
   */
  claim(jobId: string, hash: string | null): { undo: () => void } | null {
    const kept = this.#kept.get(jobId);
    if (kept) {
      this.#kept.delete(jobId);
      this.#held.set(jobId, kept.hash);
      return {
        undo: () => {
          if (this.#held.get(jobId) !== kept.hash) return;
          this.#held.delete(jobId);
          this.#kept.set(jobId, kept);
        },
      };
    }
    // Its end not followed yet (the event comes after the commit): it still holds them.
    if (this.#held.has(jobId)) return { undo: () => undefined };
    if (hash === null || this.#staging.refs(hash) === 0) return null;
    this.#staging.acquire(hash);
    this.#held.set(jobId, hash);
    return {
      undo: () => {
        if (this.#held.get(jobId) !== hash) return;
        this.#held.delete(jobId);
        this.#staging.release(hash);
      },
    };
  }

  /** Whether `claim` would find the job's bytes, without taking them. */
  has(jobId: string, hash: string | null): boolean {
    if (this.#kept.has(jobId) || this.#held.has(jobId)) return true;
    return hash !== null && this.#staging.refs(hash) > 0;
  }

  /** Lets go of the bytes of ended jobs whose retention has passed. */
  sweep(nowMs = Date.now()): number {
    let n = 0;
    for (const [id, k] of this.#kept) {
      if (k.untilMs > nowMs) continue;
      this.#kept.delete(id);
      this.#staging.release(k.hash);
      n++;
    }
    return n;
  }

  /**
   * The disk under the staging area is full: the bytes kept for ended jobs that no retry
   * needs go now, rather than keep the disk full for `keepEndedMs` while queued jobs and
   * held files wait for space — a job that failed on its file's content (a retry would fail
   * the same way; only `--force` runs it), or whose content is stored already (`stored`: a
   * retry would end its duplicate). Never those of a job a retry may cure (one failed for
   * the full disk itself, a crash, a timeout, or cancelled): they are all that is left of
   * an acknowledged file whose source may be gone. How many were let go.
   */
  yieldSpace(stored: (hash: string) => boolean = () => false): number {
    let n = 0;
    for (const [id, k] of this.#kept) {
      if (!k.yields && !stored(k.hash)) continue;
      this.#kept.delete(id);
      this.#staging.release(k.hash);
      n++;
    }
    return n;
  }

  /** At start: the references the table holds, and nothing else left in staging. */
  async recover(store: Store, nowMs = Date.now()): Promise<{ removed: number }> {
    const rows = await store.all<{
      id: string;
      h: string;
      status: ProcessingJob['status'];
      code: ErrorCode | null;
      finished: unknown;
    }>(
      `SELECT id, content_hash AS h, status, json_extract_string(error, '$.code') AS code,
              epoch_ms(finished_at) AS finished FROM jobs
       WHERE content_hash IS NOT NULL
         AND (status IN ('deciding', 'queued', 'running')
              OR (status IN ('failed', 'cancelled') AND finished_at >= $1::TIMESTAMPTZ))`,
      [new Date(nowMs - this.#keepMs).toISOString()],
    );
    this.#held.clear();
    this.#kept.clear();
    const removed = this.#staging.recover(rows.map((r) => r.h));
    for (const r of rows) {
      if (KEPT.has(r.status)) {
        const error = r.code === null ? null : { code: r.code };
        this.#kept.set(r.id, {
          hash: r.h,
          untilMs: num(r.finished) + this.#keepMs,
          yields: !retryHelps({ status: r.status, error }),
        });
      } else this.#held.set(r.id, r.h);
    }
    return removed;
  }
}
