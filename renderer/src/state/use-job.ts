// The job a view names — a bookmark's `#/queue/job/ID`, an audit trail's request — may be
// older than the newest JOB_LIST_LIMIT jobs the store holds (a desk that ingests bursts
// passes 10,000 jobs in days). It is then read from the engine once (`jobs:get`, which
// takes a job's id or its request's), so that its drawer and its trail's links still
// open; and a job the engine does not have is said, not shown as nothing. A key that is
// not shaped as an id (an address carrying a sentence) is never asked: `notAnId` says so.
import { useEffect, useState } from 'react';
import type { ProcessingJob } from '../../../shared/domain.ts';
import type { AppError } from '../../../shared/result.ts';
import { idShaped } from '../text/ids.ts';
import { inPlace } from './in-place.ts';
import { useApp } from './store.ts';
import { jobOfRequest } from './use-audit.ts';

export interface NamedJob {
  /** The job: from the store's list when it holds it (kept live by events), else as read. */
  job: ProcessingJob | undefined;
  /** The engine's answer when it has no such job (NOT_FOUND), or could not be asked. */
  error: AppError | null;
  /** The key is not listed and not shaped as an id: nothing was asked of the engine. */
  notAnId: boolean;
}

/** The job of id `key` (`by: 'id'`) or the newest job of request `key` (`by: 'request'`). */
export function useJob(by: 'id' | 'request', key: string | null): NamedJob {
  const client = useApp((s) => s.client);
  const jobs = useApp((s) => s.jobs);
  useApp((s) => s.jobsVersion);
  const listed = key ? (by === 'id' ? jobs.get(key) : jobOfRequest(jobs, key)) : undefined;
  const [read, setRead] = useState<{ key: string; job?: ProcessingJob; error?: AppError } | null>(
    null,
  );
  const unknown = !!key && !listed;
  const shaped = !!key && idShaped(key);
  useEffect(() => {
    if (!client || !key || !unknown || !shaped) return;
    let live = true;
    void client.call('jobs:get', { id: key }).then((r) => {
      if (!live) return;
      // jobs:get also matches the start of an id (as the command line does): a link with
      // one is written with the whole id, in place, which is then read again.
      if (r.ok && (by === 'id' ? r.value.job.id : r.value.job.request_id) !== key) {
        const { job } = r.value;
        return inPlace(() =>
          by === 'id'
            ? useApp.getState().openJob(job.id)
            : useApp.getState().openAudit(job.request_id),
        );
      }
      setRead(r.ok ? { key, job: r.value.job } : { key, error: r.error });
    });
    return () => {
      live = false;
    };
  }, [client, by, key, unknown, shaped]);
  if (!key) return { job: undefined, error: null, notAnId: false };
  if (listed) return { job: listed, error: null, notAnId: false };
  if (!shaped) return { job: undefined, error: null, notAnId: true };
  return read?.key === key
    ? { job: read.job, error: read.error ?? null, notAnId: false }
    : { job: undefined, error: null, notAnId: false };
}
