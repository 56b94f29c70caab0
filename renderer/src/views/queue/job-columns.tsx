// The Queue table's columns and what each cell of a job shows: level (with
// escalation and lateness), status, the file's base name, the underlying, the data's
// as-of, times, the rule, and the outcome: progress while running, the quality badge
// once done, a clean error when failed. On a narrow window (or beside the open
// submissions panel) the least needed columns give way first: rule, run, the submission
// time, the as-of, then the underlying (often in the file's name) and last the wait
// (how long a queued job has waited is what the Queue is for: at 1024 px it stays); the
// drawer has them all, and the level, status, file, outcome and actions stay.
import type { GEXSnapshot, ProcessingJob } from '../../../../shared/domain.ts';
import {
  atUpperBound,
  endedUndecided,
  cancellable,
  isStoring,
  isWaiting,
  levelRank,
  shownStatus,
} from '../../../../shared/domain.ts';
import type { RequestRecord } from '../../../../shared/api.ts';
import type { AppError } from '../../../../shared/result.ts';
import { compareBy, type Column } from '../../components/table/columns.ts';
import {
  BoundLevel,
  ErrorLine,
  LevelBadge,
  Progress,
  StatusPill,
  UndecidedLevel,
} from '../../components/common.tsx';
import { QualityBadge } from '../../components/QualityBadge.tsx';
import { announce } from '../../state/announce.ts';
import { useApp } from '../../state/store.ts';
import { asOfOf } from '../../state/requests.ts';
import { retryHelps } from '../../../../shared/retry.ts';
import { basename, duration, shownName } from '../../text/numbers.ts';
import { asOfStamp, localStamp, localWhen, localZone } from '../../text/time.ts';
import { ZonedTime } from '../../components/ZonedTime.tsx';
import { useUnreachable } from '../../state/reach.ts';
import { visible } from '../../../../shared/visible.ts';

const ms = (iso: string | null) => (iso ? Date.parse(iso) : NaN);

export function waitMs(job: ProcessingJob, now: number): number {
  const started = ms(job.started_at);
  const finished = ms(job.finished_at);
  return (
    (Number.isFinite(started) ? started : isWaiting(job.status) ? now : finished) -
    ms(job.submitted_at)
  );
}

/** The run itself: to its end, not to its result's store (which may wait behind higher work). */
export function runMs(job: ProcessingJob, now: number): number {
  const started = ms(job.started_at);
  if (!Number.isFinite(started)) return NaN;
  const ended = ms(job.run_ended_at ?? job.finished_at);
  return (Number.isFinite(ended) ? ended : now) - started;
}

export interface RowContext {
  now: number;
  requests: Map<string, RequestRecord>;
  /** The snapshot of this id, when loaded (the newest, or read for the rows on screen). */
  snapshotOf(id: string): GEXSnapshot | undefined;
  onError(e: AppError): void;
  /** A row's Cancel or Retry is asked (the row may then leave the filter). */
  onChange(job: ProcessingJob): void;
}

const snapshotOf = (job: ProcessingJob, ctx: RowContext) =>
  job.snapshot_id ? ctx.snapshotOf(job.snapshot_id) : undefined;
const asOf = (job: ProcessingJob, ctx: RowContext) =>
  asOfOf(ctx.requests.get(job.request_id)) ?? snapshotOf(job, ctx)?.as_of ?? null;

function Level({ job }: { job: ProcessingJob }) {
  if (endedUndecided(job)) return <UndecidedLevel job={job} />;
  if (atUpperBound(job))
    return (
      <BoundLevel
        level={job.priority}
        said="being decided"
        title={`Not decided yet: its file waits for the read that decides its level, ranked as ${job.priority}, the highest the rules could give it`}
      />
    );
  const escalated = job.effective_priority !== job.priority;
  return (
    <>
      <LevelBadge
        level={job.effective_priority}
        title={escalated ? `escalated from ${job.priority}` : undefined}
      />
      {escalated && (
        <span className="flag esc" title={`escalated from ${job.priority}`}>
          ↑{job.priority[0]}
        </span>
      )}
      {job.late && <span className="flag late">LATE</span>}
    </>
  );
}

/** No rule has decided it: its level is being decided, or it ended never decided. */
const undecidedRule = (job: ProcessingJob): boolean =>
  endedUndecided(job) || job.status === 'deciding';

/**
 * The rule cell: the deciding rule, or "—" for a job no rule has decided (its stored
 * `deciding` or `unreadable` is no rule; `jobs --json` gives `rule` null once it ended),
 * as its level says "not decided" or "≤ HIGH"; the tooltip says which.
 */
function RuleCell({ job }: { job: ProcessingJob }) {
  if (undecidedRule(job))
    return (
      <span className="muted" data-testid="rule-undecided">
        —
      </span>
    );
  return <>{job.rule}</>;
}

function ruleTitle(job: ProcessingJob): string {
  if (job.status === 'deciding')
    return 'No rule yet: its file waits for the read that decides its level';
  if (endedUndecided(job))
    return job.rule === 'unreadable'
      ? 'No rule: its file could not be read when it arrived, so the rules never decided its level'
      : 'No rule: it ended before the read of its file decided its level';
  return `rule ${job.rule}${job.rule_version ? ` (rule set v${job.rule_version})` : ''}`;
}

function Outcome({ job, snapshot }: { job: ProcessingJob; snapshot: GEXSnapshot | undefined }) {
  if (isStoring(job)) return <span className="muted">storing the result…</span>;
  if (job.status === 'running')
    return (
      <>
        <Progress value={job.progress} label={`Progress of ${shownName(job.file)}`} />
        <span className="num">{Math.round((job.progress ?? 0) * 100)} %</span>
      </>
    );
  if (job.status === 'cancelled') return <span className="muted">cancelled</span>;
  if (job.error) return <ErrorLine error={job.error} compact placed />;
  if (snapshot) return <QualityBadge quality={snapshot.quality} />;
  return null;
}

/**
 * Cancel (Delete on the row) or retry (R on the row): the engine answers with the job as
 * written. `then` is told before the answer is applied, to keep the focus where it was.
 */
export function changeJob(
  what: 'cancel' | 'retry',
  job: ProcessingJob,
  ctx: Pick<RowContext, 'onError' | 'onChange'>,
): void {
  if (what === 'cancel' ? !cancellable(job) : !retryHelps(job)) return;
  ctx.onChange(job);
  const change = useApp.getState()[what === 'cancel' ? 'cancelJob' : 'retryJob'];
  // Said aloud: Delete or R on a row may take the row away with the job (the Active list).
  const name = shownName(job.file);
  void change(job.id).then((err) =>
    err
      ? ctx.onError(err)
      : announce(what === 'cancel' ? `Cancelled ${name}.` : `${name} queued again.`),
  );
}

/** The keys the focused row acts on (its aria-keyshortcuts): Enter, and Delete and R where they do something. */
export function rowKeys(job: ProcessingJob): string {
  return ['Enter', ...(cancellable(job) ? ['Delete'] : []), ...(retryHelps(job) ? ['R'] : [])].join(
    ' ',
  );
}

// Out of the Tab order: the table is one Tab stop, its focused row acts on Delete and R.
function Actions({ job, ctx }: { job: ProcessingJob; ctx: RowContext }) {
  const name = shownName(job.file);
  const off = useUnreachable();
  const act = (what: 'cancel' | 'retry') => (e: { stopPropagation(): void }) => {
    e.stopPropagation();
    changeJob(what, job, ctx);
  };
  return (
    <>
      {cancellable(job) && (
        <button
          className="btn tiny"
          data-testid="cancel-job"
          aria-label={`Cancel ${name}`}
          aria-keyshortcuts="Delete"
          title="Cancel (Delete on the row)"
          tabIndex={-1}
          disabled={off}
          onClick={act('cancel')}
        >
          Cancel
        </button>
      )}
      {retryHelps(job) && (
        <button
          className="btn tiny"
          aria-label={`Retry ${name}`}
          aria-keyshortcuts="R"
          title="Retry (R on the row)"
          tabIndex={-1}
          disabled={off}
          onClick={act('retry')}
        >
          Retry
        </button>
      )}
    </>
  );
}

export function jobColumns(): Column<ProcessingJob, RowContext>[] {
  const zone = localZone();
  return [
    {
      id: 'level',
      label: 'Level',
      title: 'Level after any escalation (↑ and the original level); LATE past its target',
      // Room for the widest cell whole: CRITICAL ↑M LATE (an escalated job past its target).
      width: 140,
      className: 'c-level',
      // A job the rules never decided shows no level: together, after every level.
      sort: compareBy((j) => (endedUndecided(j) ? Infinity : levelRank(j.effective_priority))),
      cell: (j) => <Level job={j} />,
    },
    {
      id: 'status',
      label: 'Status',
      width: 84,
      sort: compareBy((j) => shownStatus(j)),
      cell: (j) => (
        <>
          <StatusPill status={shownStatus(j)} />
          {j.attempts > 1 && <span className="small"> ×{j.attempts}</span>}
        </>
      ),
      title_of: (j) => (j.attempts > 1 ? `${j.attempts} attempts` : undefined),
    },
    {
      id: 'file',
      label: 'File',
      title: 'The file’s name (its whole path in the tooltip and the drawer)',
      width: 160,
      min: 140,
      flex: true,
      className: 'c-file',
      sort: compareBy((j) => basename(j.file).toLowerCase()),
      cell: (j) => shownName(j.file),
      // Two files of one name (burst/x/a.csv, burst/y/a.csv) are told apart by their path.
      title_of: (j) => visible(j.file),
    },
    {
      id: 'underlying',
      label: 'Underlying',
      width: 84,
      className: 'c-und',
      optional: 2,
      sort: compareBy((j) => j.underlying),
      cell: (j) => j.underlying ?? '',
    },
    {
      id: 'asof',
      label: 'As of',
      title: 'When the data was observed, in the offset the exchange wrote it',
      width: 154,
      optional: 3,
      className: 'num-left c-asof',
      cell: (j, ctx) => {
        const at = asOf(j, ctx);
        return at ? asOfStamp(at).replace(/:\d\d (UTC)/, ' $1') : '';
      },
      title_of: (j, ctx) => asOf(j, ctx) ?? undefined,
    },
    {
      id: 'submitted',
      // The zone on a line of its own: "Submitted, GMT+11" on one line was cut at 118 px.
      label: 'Submitted',
      sub: zone,
      title: `Submission time, ${zone} (your time zone; a job from the other side of a daylight-saving change names its own), with its date when not today`,
      // Room for a date: "Dec 5 14:02:11".
      width: 118,
      align: 'right',
      optional: 4,
      sort: compareBy((j) => ms(j.submitted_at)),
      cell: (j, ctx) => (
        <ZonedTime
          text={localWhen(j.submitted_at, ctx.now)}
          iso={j.submitted_at}
          headerZone={zone}
        />
      ),
      title_of: (j) => localStamp(j.submitted_at),
    },
    {
      id: 'wait',
      label: 'Wait',
      title: 'Submission to start (or to now while waiting)',
      width: 62,
      align: 'right',
      optional: 1,
      cell: (j, ctx) => {
        const w = waitMs(j, ctx.now);
        return Number.isFinite(w) ? duration(w) : '';
      },
    },
    {
      id: 'run',
      label: 'Run',
      title:
        'Start to the end of its run (or to now while running); storing its result is not counted',
      width: 62,
      align: 'right',
      optional: 5,
      cell: (j, ctx) => {
        const r = runMs(j, ctx.now);
        return Number.isFinite(r) ? duration(r) : '';
      },
    },
    {
      id: 'rule',
      label: 'Rule',
      title:
        'The rule that decided the level (— while none has: being decided, or ended never decided)',
      // Room for a rule's name (G1); a job no rule has decided shows —, never the stored
      // placeholder ("deciding", "unreadable", which this column cut), its reason in the
      // tooltip. Wider, it took the room a failed row's message needs at 1440 px.
      width: 48,
      className: 'c-rule',
      optional: 6,
      sort: compareBy((j) => (undecidedRule(j) ? '' : j.rule)),
      cell: (j) => <RuleCell job={j} />,
      title_of: (j) => ruleTitle(j),
    },
    {
      id: 'outcome',
      label: 'Outcome',
      title: 'Progress, data quality of the snapshot, or the error',
      // The larger share of the room with the file's: a failed row's code, message and line
      // (the line kept when the rest gives way) need it more. At least 200 px: at 150 the
      // message was cut at 1024 px, where the as-of and the submission time give way to it
      // (the wait stays).
      width: 300,
      min: 200,
      flex: true,
      className: 'c-outcome',
      cell: (j, ctx) => <Outcome job={j} snapshot={snapshotOf(j, ctx)} />,
    },
    {
      id: 'actions',
      label: 'Actions',
      width: 60,
      className: 'c-act',
      title: 'Cancel (Delete on the focused row), Retry (R on the focused row)',
      cell: (j, ctx) => <Actions job={j} ctx={ctx} />,
    },
  ];
}
