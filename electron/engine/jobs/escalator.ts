// Lateness and escalation of waiting jobs (GUIDELINES "Levels and their processing
// targets"). Every level's target counts from the job's arrival, as the page says: a job
// that has waited longer than its level's target since it arrived is flagged late, and
// escalated one level where the rules say so — one level per check, each step audited, so
// that a MEDIUM job past its 30 min (and so past HIGH's 5 min) becomes HIGH at one check
// and CRITICAL at the next (docs/scheduler.md). An analyst's retry does not restart the
// clock: a job cancelled or failed, then retried, counts from its arrival like any other.
// Jobs still deciding have no level yet and are left alone; running jobs cannot be sped up.
// A job the scheduler takes to run before a check saw it past its target (it arrived
// late, or passed its target between two checks) is flagged as it starts (lateAtStart).
import { escalate, PRIORITY_LEVELS, type PriorityLevel } from '../../../shared/domain.ts';
import type { AuditEntry } from '../../../shared/api.ts';
import type { LevelTargets } from '../../../shared/rules.ts';
import { auditedTransaction, type AuditInput } from '../store/audit.ts';
import type { Store } from '../store/db.ts';
import { jobAudit, type AuditedJob } from './job-audit.ts';
import type { ReadyQueue } from './ready-queue.ts';
import * as repo from './repository.ts';
import { elapsed } from '../../../shared/elapsed.ts';

export interface EscalatorDeps {
  store: Store;
  ready: ReadyQueue;
  targets: () => LevelTargets;
  announceAudit: (entry: AuditEntry) => void;
  /** Called with each row as written. */
  written: (job: repo.QueuedRow['job']) => void;
}

/**
 * A wait past its level's target: what the `late` audit entry says. `waitedMs` counts from
 * the arrival, a retried job's time cancelled or failed included.
 */
export interface Lateness {
  level: PriorityLevel;
  waitedMs: number;
  targetMs: number;
  atMs: number;
}

/** The `late` audit entry, written once per job: by a check, or as the job starts. */
export function lateEntry(job: AuditedJob, l: Lateness): AuditInput {
  return jobAudit(
    { ...job, effective_priority: l.level },
    'late',
    `late: ${elapsed(l.waitedMs)} since its arrival at ${l.level}, past its target of ${elapsed(l.targetMs)}`,
    {
      facts: { level: l.level, waited_ms: l.waitedMs, target_ms: l.targetMs },
      at: new Date(l.atMs),
    },
  );
}

export class Escalator {
  #deps: EscalatorDeps;
  #checking = new Set<string>();

  constructor(deps: EscalatorDeps) {
    this.#deps = deps;
  }

  /**
   * Flags and escalates every waiting job past its level's target at `nowMs`, counted from
   * its arrival. One level per check: a job escalated here is in `#checking` until its
   * write resolves (and its new level, above, was already looked at), so a job past several
   * targets climbs one level at each check, each step its own `escalation` entry.
   */
  async check(nowMs: number): Promise<void> {
    const targets = this.#deps.targets();
    const work: Promise<void>[] = [];
    for (const level of PRIORITY_LEVELS) {
      const target = targets[level];
      for (const row of [...this.#deps.ready.at(level)]) {
        if (
          row.phase !== 'run' ||
          this.#checking.has(row.id) ||
          nowMs - row.submittedAtMs <= target.target_ms
        )
          continue;
        const flagOnly = level === 'CRITICAL' || target.onLate === 'flag';
        if (flagOnly && row.late) continue;
        this.#checking.add(row.id);
        work.push(
          this.#late(row, flagOnly ? null : escalate(level), target.target_ms, nowMs).finally(() =>
            this.#checking.delete(row.id),
          ),
        );
      }
    }
    await Promise.all(work);
  }

  /**
   * A queued job taken to run at `nowMs`: its lateness, when it has waited past its
   * level's target and is not flagged yet (flagged in memory here; the caller writes it
   * with the start). Never escalated: it is starting now.
   */
  lateAtStart(row: repo.QueuedRow, nowMs: number): Lateness | null {
    const targetMs = this.#deps.targets()[row.level].target_ms;
    const waitedMs = nowMs - row.submittedAtMs;
    if (row.phase !== 'run' || row.late || waitedMs <= targetMs) return null;
    row.late = true;
    row.job = { ...row.job, late: true };
    return { level: row.level, waitedMs, targetMs, atMs: nowMs };
  }

  async #late(
    row: repo.QueuedRow,
    to: PriorityLevel | null,
    targetMs: number,
    nowMs: number,
  ): Promise<void> {
    const { store, ready } = this.#deps;
    const from = row.level;
    const waited = nowMs - row.submittedAtMs;
    const wasLate = row.late;
    // In memory first, so that dispatch sees the new level at once; the row follows, in the
    // store's lane of moves (Store.forMoves), and so before any start of this job.
    if (to && ready.remove(row.id)) {
      row.level = to;
      row.late = true;
      row.job = { ...row.job, effective_priority: to, late: true };
      ready.insert(row);
    } else {
      row.late = true;
      row.job = { ...row.job, late: true };
    }
    const at = new Date(nowMs);
    const written = await auditedTransaction(
      store.forMoves(),
      this.#deps.announceAudit,
      async (tx, audit) => {
        const j = to ? await repo.escalateQueued(tx, row.id, to) : await repo.markLate(tx, row.id);
        if (!j) return undefined;
        if (!wasLate)
          await audit(lateEntry(j, { level: from, waitedMs: waited, targetMs, atMs: nowMs }));
        if (to)
          await audit(
            jobAudit(
              j,
              'escalation',
              `escalated ${from} → ${to}: ${elapsed(waited)} since its arrival, past ${from}'s target of ${elapsed(targetMs)}`,
              {
                facts: { from, to, waited_ms: waited, target_ms: targetMs },
                at,
              },
            ),
          );
        return j;
      },
    );
    if (written) this.#deps.written(written);
  }
}
