// Writes arrivals to the store, many at once: the requests, their jobs and their audit
// entries of every arrival waiting when the previous write ends go in ONE transaction
// with one statement per table. A burst of 50 files costs about what one file does (a
// statement, not a row, is DuckDB's unit of cost), so acknowledgements keep up with
// arrivals. Arrivals of every level are written in the store's first lane, beside
// CRITICAL jobs' state changes and ahead of all other work: the door is never held up by
// the work behind it (in a lane per level, a burst of LOW arrivals waited tens of seconds
// behind HIGH and MEDIUM runs' snapshots, unacknowledged and unknown to the scheduler).
// One writer, so at most one batch is ahead of a CRITICAL state change; within a batch
// the arrivals' order does not matter (one commit). Each arrival's promise resolves after the commit
// that holds it; if a shared write fails, each of its arrivals is written alone, so that
// one bad row fails only its own request.
import type { AuditEntry } from '../../../shared/api.ts';
import type { ProcessingJob } from '../../../shared/domain.ts';
import { insertJobs, type NewJob, type QueuedRow } from '../jobs/repository.ts';
import { auditedTransaction, type AuditInput, type AuditWriter } from '../store/audit.ts';
import type { Store, Tx } from '../store/db.ts';
import {
  endDuplicate,
  endUnreadable,
  storeRequests,
  type NewRequest,
  type UnreadableEnd,
} from './requests.ts';

/** One arrival to write: its request, its job (none for a rejected request), its entries. */
export interface ArrivalRecord {
  request: NewRequest;
  job: NewJob | null;
  audits: AuditInput[];
  /** How its job ends at once: a duplicate of a stored snapshot, or a file that cannot be read. */
  end?: { duplicateOf: string } | { unreadable: UnreadableEnd };
}

/** What was written: the job as stored (ended or waiting), and its row for the scheduler. */
export interface Written {
  job: ProcessingJob | null;
  row: QueuedRow | null;
}

interface Pending {
  record: ArrivalRecord;
  resolve: (w: Written) => void;
  reject: (e: unknown) => void;
}

/** Most arrivals written in one transaction (a burst's wave fits). */
const MAX_BATCH = 256;

class Lane {
  #pending: Pending[] = [];
  #writing = false;
  readonly #write: (records: readonly ArrivalRecord[]) => Promise<Written[]>;

  constructor(write: (records: readonly ArrivalRecord[]) => Promise<Written[]>) {
    this.#write = write;
  }

  push(record: ArrivalRecord): Promise<Written> {
    return new Promise((resolve, reject) => {
      this.#pending.push({ record, resolve, reject });
      void this.#pump();
    });
  }

  async #pump(): Promise<void> {
    if (this.#writing) return;
    this.#writing = true;
    try {
      while (this.#pending.length > 0) {
        const batch = this.#pending.splice(0, MAX_BATCH);
        try {
          const written = await this.#write(batch.map((p) => p.record));
          batch.forEach((p, i) => p.resolve(written[i]!));
        } catch {
          // One of them cannot be written: each alone, so that only it fails.
          for (const p of batch)
            await this.#write([p.record]).then((w) => p.resolve(w[0]!), p.reject);
        }
      }
    } finally {
      this.#writing = false;
    }
  }
}

export class ArrivalWriter {
  #lane: Lane;

  constructor(store: Store, announce: (entry: AuditEntry) => void, clock: () => number = Date.now) {
    const door = store.at('CRITICAL');
    this.#lane = new Lane((records) => writeArrivals(door, announce, records, clock));
  }

  write(record: ArrivalRecord): Promise<Written> {
    return this.#lane.push(record);
  }
}

function writeArrivals(
  store: Store,
  announce: (e: AuditEntry) => void,
  records: readonly ArrivalRecord[],
  clock: () => number,
): Promise<Written[]> {
  return auditedTransaction(store, announce, async (tx, audit) => {
    await storeRequests(
      tx,
      records.map((r) => r.request),
    );
    const rows = await insertJobs(
      tx,
      records.flatMap((r) => (r.job ? [r.job] : [])),
    );
    await audit.many(records.flatMap((r) => r.audits));
    // A job that ends here ends now, when it is known to end — its file hashed, read and
    // decided — never at its arrival: its latency and its end's audit entry come after its
    // decision's (just appended, stamped as they were).
    const endedMs = clock();
    const byId = new Map(rows.map((row) => [row.id, row]));
    const written: Written[] = [];
    for (const r of records) {
      const row = r.job ? byId.get(r.job.id)! : null;
      written.push(row ? await ending(tx, audit, r, row, endedMs) : { job: null, row: null });
    }
    return written;
  });
}

/** A job that ends at the door (a duplicate, an unreadable file), at `endedMs`; the others wait for the scheduler. */
async function ending(
  tx: Tx,
  audit: AuditWriter,
  r: ArrivalRecord,
  row: QueuedRow,
  endedMs: number,
): Promise<Written> {
  const at = Math.max(endedMs, r.request.arrivedMs);
  if (r.end && 'duplicateOf' in r.end)
    return { job: await endDuplicate(tx, audit, row.job, r.end.duplicateOf, at), row: null };
  if (r.end && 'unreadable' in r.end)
    return { job: await endUnreadable(tx, audit, row.job, r.end.unreadable, at), row: null };
  return { job: row.job, row };
}
