// A job's drawer, opened from its Queue row (click or Enter): the file's name, and its
// whole path where it lies now (an inbox file's relative to the inbox: done/…, failed/…),
// the data's as-of, the level with its target from the active rules, the rule that
// decided and the facts it decided on, a clean error, the request's audit timeline,
// the snapshot, and Retry only where a retry can help, with what happened after.
// Escape closes it wherever the focus is (in the drawer, the table, the status bar), the
// focus back on its row, unless a dialog above it is open (its own Escape).
import { useEffect, useRef, useState } from 'react';
import {
  atUpperBound,
  endedUndecided,
  cancellable,
  isStoring,
  shownStatus,
  type ProcessingJob,
} from '../../../shared/domain.ts';
import { useApp, snapshotById } from '../state/store.ts';
import { useInbox } from '../state/inbox.ts';
import { useRequests, asOfOf } from '../state/requests.ts';
import { snapshotRemoved, useAudit } from '../state/use-audit.ts';
import { useLevelPolicy, lateWords } from '../state/levels.ts';
import { duration, span, shownName } from '../text/numbers.ts';
import { asOfStamp, localStamp } from '../text/time.ts';
import { noRetryReason, retryHelps } from '../../../shared/retry.ts';
import { BoundLevel, ErrorLine, LevelBadge, StatusPill, UndecidedLevel } from './common.tsx';
import { QualityBadge } from './QualityBadge.tsx';
import { Timeline } from './Timeline.tsx';
import { FactsTable } from './FactsTable.tsx';
import { gexChangeBaseText } from '../text/gex-change-base.ts';
import { useDataNow, useUnreachable } from '../state/reach.ts';
import { plural } from '../text/words.ts';
import { visible, visibleName } from '../../../shared/visible.ts';

const ms = (iso: string | null) => (iso ? Date.parse(iso) : NaN);

/**
 * Whether a retry of an ended job would find its captured bytes (null: not asked, or it
 * cannot be retried anyway): asked again whenever the job ends anew.
 */
function useBytesKept(job: ProcessingJob): boolean | null {
  const client = useApp((s) => s.client);
  const ask = retryHelps(job);
  const [answer, setAnswer] = useState<{ key: string; kept: boolean } | null>(null);
  const key = `${job.id} ${job.status} ${job.finished_at ?? ''}`;
  useEffect(() => {
    if (!client || !ask) return;
    let live = true;
    void client.call('jobs:bytesKept', { id: job.id }).then((r) => {
      if (live && r.ok) setAnswer({ key, kept: r.value.kept });
    });
    return () => {
      live = false;
    };
  }, [client, ask, key, job.id]);
  return ask && answer?.key === key ? answer.kept : null;
}

/**
 * Where the job's file lies now, whole: the inbox moves it (processing/ → done/ or failed/)
 * after the job's last event, so it is asked again (jobs:get) as the job or the inbox's
 * folders change, and at every opening. An inbox file is named relative to the inbox
 * (`done/burst/x/a.csv`). `here` is false once no file lies there (the analyst moved it).
 */
function useFileNow(job: ProcessingJob): {
  shown: string;
  whole: string;
  inInbox: boolean;
  /** A completed job's inbox file in failed/: changed in processing/ after it was taken (FILE_CHANGED). */
  changed?: boolean;
  here: boolean | null;
} {
  const client = useApp((s) => s.client);
  const dataDir = useApp((s) => s.health?.data_dir);
  const inbox = useInbox((s) => s.status);
  const [now, setNow] = useState<{ id: string; file: string; here: boolean | null } | null>(null);
  const key = `${job.revision} ${inbox?.dir} ${inbox?.counts.processing} ${inbox?.counts.done} ${inbox?.counts.failed}`;
  useEffect(() => {
    if (!client) return;
    let live = true;
    void client.call('jobs:get', { id: job.id }).then((r) => {
      if (live && r.ok) setNow({ id: job.id, file: r.value.job.file, here: r.value.file_here });
    });
    return () => {
      live = false;
    };
  }, [client, key, job.id]);
  const whole = now?.id === job.id ? now.file : job.file;
  const here = now?.id === job.id ? now.here : null;
  const dir = inbox?.dir;
  const sep = dir?.includes('\\') && !dir.includes('/') ? '\\' : '/';
  if (dir && whole.startsWith(dir + sep))
    return {
      shown: visible(whole.slice(dir.length + 1)),
      whole: visible(whole),
      inInbox: true,
      changed:
        (job.status === 'completed' || job.status === 'duplicate') &&
        whole.startsWith(`${dir}${sep}failed${sep}`),
      here,
    };
  // A file dropped on a browser tab is named by its own name, without folders (the host's
  // `given_as`; `-` is a chain piped in); before 2026-12-07 by its copy in the app's own
  // folder, never shown as the analyst's (clean-error.ts keeps such folders out of messages too).
  if (whole !== '-' && !/^([/\\]|[A-Za-z]:)/.test(whole))
    return {
      shown: `${visible(whole)} (uploaded from a browser tab)`,
      whole: visible(whole),
      inInbox: false,
      here: null,
    };
  if (dataDir && whole.startsWith(dataDir + sep))
    return {
      shown: 'uploaded from a browser tab (the app keeps its copy)',
      whole: shownName(whole),
      inInbox: false,
      here: null,
    };
  return { shown: visible(whole), whole: visible(whole), inInbox: false, here };
}

function Actions({ job }: { job: ProcessingJob }) {
  const [feedback, setFeedback] = useState<{ tone: 'ok' | 'bad'; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const act = async (what: 'retry' | 'cancel') => {
    setBusy(true);
    const error = await (what === 'retry'
      ? useApp.getState().retryJob(job.id)
      : useApp.getState().cancelJob(job.id));
    setBusy(false);
    setFeedback(
      error
        ? {
            tone: 'bad',
            text: `${what === 'retry' ? 'Retry' : 'Cancel'} refused: ${error.code} — ${error.message}`,
          }
        : {
            tone: 'ok',
            text:
              what === 'retry' ? 'Retry requested: the job is queued again.' : 'Cancel requested.',
          },
    );
  };
  const canCancel = cancellable(job);
  const kept = useBytesKept(job);
  const why =
    noRetryReason(job) ??
    (kept === false
      ? `A retry is not offered: it runs the bytes captured when ${shownName(job.file)} arrived, and they are no longer kept (an ended job keeps them for keepStagedHours, 72 by default; 0 keeps none; a full disk lets go of those of a job that failed on its file's content, or whose content is stored already). Submit the file again.`
      : null);
  const off = useUnreachable();
  return (
    <div className="drawer-actions">
      {retryHelps(job) && kept !== false && (
        <button
          className="btn primary"
          disabled={busy || off}
          onClick={() => void act('retry')}
          data-testid="drawer-retry"
        >
          Retry
        </button>
      )}
      {canCancel && (
        <button className="btn" disabled={busy || off} onClick={() => void act('cancel')}>
          Cancel job
        </button>
      )}
      {why && (
        <p className="muted small" data-testid="no-retry">
          {why}
        </p>
      )}
      <p className={`feedback ${feedback?.tone ?? ''}`} role="status" data-testid="drawer-feedback">
        {feedback?.text ?? ''}
      </p>
    </div>
  );
}

/** Why a fact the rules could use was not known at arrival, by where the job is. */
function unreadNote(job: ProcessingJob): string | undefined {
  if (job.status === 'deciding') return 'not read yet: its file waits for the read that decides it';
  if (!endedUndecided(job)) return undefined;
  if (job.rule === 'unreadable') return 'not read: the file could not be read when it arrived';
  return job.status === 'cancelled'
    ? 'not read: cancelled before its file was read'
    : 'not read: the file was refused';
}

/** The Rule line of a job no rule has decided (yet, or ever): none, and why; else undefined. */
function undecidedRule(job: ProcessingJob): string | undefined {
  if (job.status === 'deciding')
    return 'none yet: its file waits for the read that decides its level';
  if (!endedUndecided(job)) return undefined;
  if (job.rule === 'unreadable')
    return 'none: its file could not be read when it arrived, so no rule decided its level';
  return job.status === 'cancelled'
    ? 'none: cancelled before the read of its file decided its level'
    : 'none: it ended before the read of its file decided its level';
}

export function JobDrawer({ job, onClose }: { job: ProcessingJob; onClose(): void }) {
  const client = useApp((s) => s.client);
  const jobs = useApp((s) => s.jobs);
  useApp((s) => s.jobsVersion);
  const snapshot = useApp((s) => snapshotById(s.snapshots, job.snapshot_id));
  const request = useRequests((s) => s.records.get(job.request_id));
  useRequests((s) => s.version);
  const policy = useLevelPolicy(job.effective_priority);
  const audit = useAudit(job.request_id, 500);
  const heading = useRef<HTMLHeadingElement>(null);
  const now = useDataNow(1000);
  const file = useFileNow(job);

  useEffect(() => {
    if (client) useRequests.getState().want(client, [job.request_id]);
  }, [client, job.request_id]);
  useEffect(() => {
    if (job.snapshot_id) void useApp.getState().ensureSnapshot(job.snapshot_id);
  }, [job.snapshot_id]);
  // Opened from its row (Enter or a click), the drawer takes the focus; opened by a link or the address, it leaves it.
  useEffect(() => {
    if ((document.activeElement as HTMLElement | null)?.closest('[data-testid=job-row]'))
      heading.current?.focus();
  }, [job.id]);
  const close = useRef(onClose);
  useEffect(() => {
    close.current = onClose;
  });
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape' || e.defaultPrevented) return;
      // A dialog or menu above the drawer takes its own Escape.
      if (document.querySelector('[aria-modal="true"], [role=menu], [role=listbox]')) return;
      // A filter box with text: Escape empties it first.
      const at = e.target instanceof HTMLElement ? e.target : null;
      if (at instanceof HTMLInputElement && at.type === 'search' && at.value) return;
      // The focus left where it was, so that it goes back to the row (route-focus.ts).
      if (at && at !== document.body && !at.closest('[data-testid=job-row]')) at.blur();
      close.current();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);

  const decision = audit.entries.find((e) => e.kind === 'decision' || e.kind === 'override');
  const asOf = asOfOf(request) ?? snapshot?.as_of ?? null;
  const escalated = job.effective_priority !== job.priority;
  // Still being decided: its level only the rules' upper bound, no target and never late yet.
  const bound = atUpperBound(job);
  const boundWords = `not decided yet: ranked as ${job.priority}, the highest the rules could give it, until the read of its file decides its level (not flagged late meanwhile)`;
  const started = ms(job.started_at);
  const finished = ms(job.finished_at);
  const wait =
    (Number.isFinite(started) ? started : Number.isFinite(finished) ? finished : now) -
    ms(job.submitted_at);
  // The run itself, to its end; storing its result (which may wait behind higher work in
  // the store) is shown apart.
  const runEnded = ms(job.run_ended_at);
  const ranUntil = Number.isFinite(runEnded) ? runEnded : finished;
  const run = Number.isFinite(started)
    ? (Number.isFinite(ranUntil) ? ranUntil : now) - started
    : NaN;
  const stored = Number.isFinite(runEnded)
    ? (Number.isFinite(finished) ? finished : now) - runEnded
    : NaN;

  return (
    <aside className="drawer" aria-labelledby="drawer-title" data-testid="job-drawer">
      <div className="drawer-head">
        <h2 id="drawer-title" ref={heading} tabIndex={-1} className="drawer-file">
          {shownName(job.file)}
        </h2>
        <StatusPill status={shownStatus(job)} />
        <button className="btn small ghost" onClick={onClose} aria-label="Close the job details">
          Close
        </button>
      </div>
      <dl className="props">
        <dt>File</dt>
        <dd
          className="drawer-path"
          data-testid="drawer-file"
          title={file.shown === file.whole ? undefined : file.whole}
        >
          {file.shown}
          {file.inInbox && <span className="muted"> in the inbox</span>}
          {file.changed && (
            <span className="file-gone" data-testid="drawer-file-changed">
              {' '}
              — changed in processing/ after it was taken: moved to failed/; this job ran on the
              bytes taken at {localStamp(job.submitted_at)}
            </span>
          )}
          {file.here === false && (
            <span className="file-gone" data-testid="drawer-file-gone">
              {' '}
              — not there now: moved, renamed or deleted since it was read
            </span>
          )}
        </dd>
        <dt>Underlying</dt>
        <dd className="underlying">{job.underlying ?? '—'}</dd>
        <dt>As of</dt>
        <dd className="num-left" title="The data's time, in the offset the exchange wrote it">
          {asOfStamp(asOf)}
        </dd>
        <dt>Level</dt>
        <dd>
          {endedUndecided(job) ? (
            <UndecidedLevel job={job} />
          ) : bound ? (
            <>
              <BoundLevel level={job.priority} said="being decided" />
              <div className="muted small" data-testid="drawer-bound">
                {boundWords}
              </div>
            </>
          ) : (
            <LevelBadge level={job.effective_priority} />
          )}
          {escalated && <span className="muted"> escalated from {job.priority}</span>}
          {job.late && <span className="flag late">LATE</span>}
          {policy && !endedUndecided(job) && !bound && (
            <div className="muted small" data-testid="drawer-target">
              target {span(policy.target_ms)}; a job waiting longer is {lateWords(policy.on_late)}
            </div>
          )}
        </dd>
        <dt>Rule</dt>
        <dd data-testid="drawer-rule">
          {undecidedRule(job) ? (
            // No rule decided it: its stored `deciding` or `unreadable` is none (`jobs --json`: null once ended).
            <span className="muted">{undecidedRule(job)}</span>
          ) : (
            <>
              <span className="mono">{job.rule}</span>
              {job.rule_version !== null && (
                <span className="muted"> · rule set v{job.rule_version}</span>
              )}
            </>
          )}
          {decision && <div className="small">{visible(decision.explanation)}</div>}
        </dd>
        <dt>Source</dt>
        <dd>
          {visibleName(job.source)}
          {request?.author && <span className="muted"> · by {visible(request.author)}</span>}
        </dd>
        {request?.requested_priority && (
          <>
            <dt>Override</dt>
            <dd>
              {request.requested_priority}: “{visible(request.justification ?? '')}”
            </dd>
          </>
        )}
        <dt>Submitted</dt>
        <dd>{localStamp(job.submitted_at)}</dd>
        <dt>Waited</dt>
        <dd className="num-left">{Number.isFinite(wait) ? duration(wait) : '—'}</dd>
        <dt>Ran</dt>
        <dd className="num-left" data-testid="drawer-ran">
          {Number.isFinite(run) ? duration(run) : 'never started'}
          {job.attempts > 0 && <span className="muted"> · {plural(job.attempts, 'attempt')}</span>}
        </dd>
        {Number.isFinite(stored) && (
          <>
            <dt>Stored</dt>
            <dd className="num-left" data-testid="drawer-stored">
              {isStoring(job)
                ? `waiting for the store, ${duration(stored)}`
                : `${duration(stored)} after its run`}
            </dd>
          </>
        )}
        {snapshot && (
          <>
            <dt>Quality</dt>
            <dd>
              <QualityBadge quality={snapshot.quality} reasons="inline" />
            </dd>
          </>
        )}
      </dl>
      {job.snapshot_id &&
        (snapshotRemoved(audit.entries, job.snapshot_id) ? (
          <p className="muted small" data-testid="drawer-snapshot-removed">
            Its snapshot was removed (see its trail below).
          </p>
        ) : (
          <button
            className="btn small"
            onClick={() => useApp.getState().openSnapshot(job.snapshot_id)}
            data-testid="drawer-snapshot"
          >
            Open the snapshot ›
          </button>
        ))}
      {job.error && (
        <div className={`drawer-error ${job.status === 'cancelled' ? 'neutral' : ''}`}>
          <ErrorLine error={job.error} />
        </div>
      )}
      {/* Its own per job: one job's "Cancel requested." is not another's. */}
      <Actions key={job.id} job={job} />
      {request?.facts && (
        <section>
          <h3>Facts at arrival</h3>
          <FactsTable
            facts={request.facts}
            derived={request.derived}
            unknown={request.unknown}
            unknownNote={unreadNote(job)}
          />
          {gexChangeBaseText(request.gex_change_compared_with) && (
            <p className="muted" data-testid="gex-change-base">
              {gexChangeBaseText(request.gex_change_compared_with)}
            </p>
          )}
        </section>
      )}
      <section>
        <h3>
          Audit trail{' '}
          <button
            className="link-button"
            onClick={() => useApp.getState().openAudit(job.request_id)}
          >
            open in Audit ›
          </button>
        </h3>
        {audit.loaded && audit.entries.length === 0 && (
          <p className="muted small">No audit entries for this request yet.</p>
        )}
        <Timeline entries={audit.entries} jobs={jobs} />
      </section>
    </aside>
  );
}
