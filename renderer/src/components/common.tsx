// Small shared pieces: level badges, job status pills, error lines, progress bars.
import type { PriorityLevel, JobStatus } from '../../../shared/domain.ts';
import type { AppError } from '../../../shared/result.ts';
import { basename } from '../format.ts';

export function LevelBadge({ level, title }: { level: PriorityLevel; title?: string }) {
  return (
    <span className={`level level-${level.toLowerCase()}`} title={title}>
      {level}
    </span>
  );
}

export function StatusPill({ status }: { status: JobStatus | string }) {
  return <span className={`status status-${status}`}>{status}</span>;
}

export function Progress({ value }: { value: number | null }) {
  const pct = Math.round(Math.max(0, Math.min(1, value ?? 0)) * 100);
  return (
    <span className="progress" role="progressbar" aria-valuenow={pct} aria-valuemin={0} aria-valuemax={100}>
      <span className="progress-fill" style={{ width: `${pct}%` }} />
    </span>
  );
}

/** "BAD_VALUE · spx.csv:12 · field strike · the message" */
export function ErrorLine({ error, compact }: { error: AppError; compact?: boolean }) {
  const where = [
    error.file ? `${basename(error.file)}${error.line ? `:${error.line}` : ''}${error.column ? `:${error.column}` : ''}` : error.line ? `line ${error.line}` : null,
    error.field ? `field ${error.field}` : error.fact ? `fact ${error.fact}` : null,
  ].filter(Boolean);
  return (
    <span className={`error-line ${compact ? 'compact' : ''}`} title={`${error.code}: ${error.message}`} data-testid="error-line">
      <span className="error-code">{error.code}</span>
      {where.length > 0 && <span className="error-where">{where.join(' · ')}</span>}
      <span className="error-message">{error.message}</span>
    </span>
  );
}
