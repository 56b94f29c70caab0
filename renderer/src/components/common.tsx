// Small shared pieces: level badges, job status pills, error lines, progress bars.
import type { PriorityLevel, JobStatus } from '../../../shared/domain.ts';
import { atUpperBound } from '../../../shared/domain.ts';
import type { AppError } from '../../../shared/result.ts';
import { cleanError, withoutPlace } from '../text/clean-error.ts';

export function LevelBadge({ level, title }: { level: PriorityLevel; title?: string }) {
  return (
    <span className={`level level-${level.toLowerCase()}`} title={title}>
      {level}
    </span>
  );
}

/**
 * A level that is only the rules' upper bound (`atUpperBound`): "≤ HIGH", said "at most
 * HIGH" and why (`said`: "being decided", "not decided at arrival") to a screen reader,
 * whose "≤" is not read.
 */
export function BoundLevel({
  level,
  said,
  title,
}: {
  level: PriorityLevel;
  said: string;
  title?: string;
}) {
  return (
    <span className="deciding-level" data-testid="level-bound" title={title}>
      <span className="flag bound" aria-hidden>
        ≤
      </span>
      <span className="sr-only">at most </span>
      <LevelBadge level={level} />
      <span className="sr-only">, {said}</span>
    </span>
  );
}

/** An audit entry's level: a decision's, or the upper bound an undecided request arrived at. */
export function EntryLevel({
  entry,
}: {
  entry: { kind: string; priority: PriorityLevel | null; rule: string | null };
}) {
  if (!entry.priority) return null;
  if (!atUpperBound(entry)) return <LevelBadge level={entry.priority} />;
  const when = entry.kind === 'arrival' ? 'at arrival' : 'yet then';
  return (
    <BoundLevel
      level={entry.priority}
      said={`not decided ${when}`}
      title={`Not decided ${when}: ${entry.priority} is the highest the rules could give it; the read of its file decides its level (its decision entry), unless it ends first, never decided`}
    />
  );
}

/** In place of a level for a job that ended before its facts read decided one. */
/** The level cell of a job the rules never decided (`endedUndecided`). */
export function UndecidedLevel({ job }: { job: { rule: string; priority: PriorityLevel } }) {
  return (
    <span
      className="muted"
      data-testid="level-undecided"
      title={
        job.rule === 'unreadable'
          ? 'Its file could not be read when it arrived, so the rules never gave it a level.'
          : `It ended before its file's facts were read, so the rules never gave it a level; it waited as ${job.priority}, the highest they could give it.`
      }
    >
      not decided
    </span>
  );
}

const STATUS_HINT: Record<string, string> = {
  deciding: 'Waiting for the read of its file that decides its level',
  queued: 'Waiting for a worker',
  running: 'Being computed',
  storing: 'Computed; its result waits to be stored (its worker is free for the next job)',
  completed: 'Done: the snapshot is stored',
  duplicate: 'The same data was already stored: its snapshot is shown',
  failed: 'Ended with an error',
  cancelled: 'Cancelled by an analyst; Retry queues it again',
  rejected: 'Refused by the rules: nothing was queued',
  error: 'Not submitted',
  uploading: 'Uploading the file to the engine',
  submitting: 'The engine is reading the file',
};

export function StatusPill({ status }: { status: JobStatus | string }) {
  return (
    <span className={`status status-${status}`} title={STATUS_HINT[status]}>
      {status}
    </span>
  );
}

export function Progress({ value, label }: { value: number | null; label?: string }) {
  const pct = Math.round(Math.max(0, Math.min(1, value ?? 0)) * 100);
  return (
    <span
      className="progress"
      role="progressbar"
      aria-label={label ?? 'Progress'}
      aria-valuenow={pct}
      aria-valuemin={0}
      aria-valuemax={100}
    >
      <span className="progress-fill" style={{ width: `${pct}%` }} />
    </span>
  );
}

/**
 * "BAD_VALUE · spx.csv:12 · field strike · the message", with the file by its base
 * name and no folder of the app's own in the message.
 */
/**
 * An error on one line. `compact`: in a table row (no file: it has its own column);
 * `placed`: the row shows the file, so the message goes without the file, line and field
 * it opens with, and the place gives way before it (what was wrong is what the room is for).
 */
export function ErrorLine({
  error: raw,
  compact,
  placed,
}: {
  error: AppError;
  compact?: boolean;
  placed?: boolean;
}) {
  const error = cleanError(raw);
  // In a table row the file has its own column: only the line is worth the room.
  const where = [
    error.file && !compact
      ? `${error.file}${error.line ? `:${error.line}` : ''}${error.column ? `:${error.column}` : ''}`
      : error.line
        ? `line ${error.line}`
        : null,
    error.field ? `field ${error.field}` : error.fact ? `fact ${error.fact}` : null,
  ].filter(Boolean);
  // In a row, the place gives way before the message but keeps its line ("· line 7…",
  // monospace: counted in ch; the ellipsis may come from a wider font), which the analyst
  // goes to the file with.
  const lineRoom =
    placed && compact && error.line
      ? ` · line ${error.line}`.length + (where.length > 1 ? 2 : 0)
      : 0;
  return (
    <span
      className={`error-line ${compact ? 'compact' : ''}${placed ? ' placed' : ''}`}
      title={
        placed && where.length > 0
          ? `${error.code} (${where.join(' · ')}): ${withoutPlace(error)}`
          : `${error.code}: ${error.message}`
      }
      data-testid="error-line"
    >
      <span className="error-code">{error.code}</span>
      {where.length > 0 && (
        <span className="error-where" style={lineRoom ? { minWidth: `${lineRoom}ch` } : undefined}>
          {where.join(' · ')}
        </span>
      )}
      <span className="error-message">{placed ? withoutPlace(error) : error.message}</span>
    </span>
  );
}

/**
 * The keys a table's focused row acts on, shown while the table has the focus (its rows
 * are one Tab stop and their buttons are out of the Tab order): in the corner of the
 * table's area, so that showing it moves nothing. The rows name them in aria-keyshortcuts.
 */
/**
 * Room (px) a table with a KeysHint keeps after its last row and below a row scrolled to,
 * so that the hint over the table's corner never covers a row the analyst moved to.
 */
export const KEYS_HINT_ROOM = 30;

export function KeysHint({ keys }: { keys: [key: string, does: string][] }) {
  return (
    <p className="keys-hint" aria-hidden data-testid="keys-hint">
      {keys.map(([key, does], i) => (
        <span key={key}>
          {i > 0 && ' · '}
          <kbd>{key}</kbd> {does}
        </span>
      ))}
    </p>
  );
}
