// One request's audit trail as a timeline, oldest first: every entry with its time
// (and zone), kind, level, rule and version, who did it, the explanation, and the
// file and underlying it is about (from the entry, else from its job). An entry's
// facts open in place.
import { useState } from 'react';
import type { AuditEntry } from '../../../shared/api.ts';
import type { ProcessingJob } from '../../../shared/domain.ts';
import { shownName } from '../text/numbers.ts';
import { localStamp } from '../text/time.ts';
import { kindInfo } from '../text/audit-kinds.ts';
import { stripPaths } from '../text/clean-error.ts';
import { EntryLevel } from './common.tsx';
import { visible } from '../../../shared/visible.ts';

/** The file and underlying an entry is about: its own, else its job's. */
export function entrySubject(
  e: AuditEntry,
  job: ProcessingJob | undefined,
): { file: string | null; underlying: string | null } {
  const file = e.file ?? job?.file ?? null;
  const fromFacts = typeof e.facts?.underlying === 'string' ? e.facts.underlying : null;
  return {
    file: file ? shownName(file) : null,
    underlying: e.underlying ?? job?.underlying ?? fromFacts,
  };
}

function TimelineItem({ entry, job }: { entry: AuditEntry; job: ProcessingJob | undefined }) {
  const [open, setOpen] = useState(false);
  const kind = kindInfo(entry.kind);
  const { file, underlying } = entrySubject(entry, job);
  return (
    <li className={`tl-item tone-${kind.tone}`} data-testid="timeline-entry" data-kind={entry.kind}>
      <span className="tl-dot" aria-hidden />
      <div className="tl-main">
        <div className="tl-head">
          <time className="tl-at num" dateTime={entry.at}>
            {localStamp(entry.at)}
          </time>
          <span className={`kind tone-${kind.tone}`} title={kind.hint}>
            {kind.label}
          </span>
          <EntryLevel entry={entry} />
          {entry.rule && (
            <span
              className="mono"
              title={entry.rule_version ? `rule set version ${entry.rule_version}` : undefined}
            >
              {entry.rule}
              {entry.rule_version ? <span className="muted"> · v{entry.rule_version}</span> : null}
            </span>
          )}
          {entry.actor && <span className="tl-actor">by {visible(entry.actor)}</span>}
        </div>
        <div className="tl-subject">
          {file && <span className="file-name">{file}</span>}
          {underlying && <span className="underlying">{underlying}</span>}
        </div>
        <div className="tl-expl">{visible(stripPaths(entry.explanation))}</div>
        {entry.facts && (
          <button
            className="link-button"
            aria-expanded={open}
            // Each entry has one: named apart for a screen reader's list of buttons.
            aria-label={`${open ? 'Hide facts' : 'Show facts'} of the ${kind.label} entry, ${localStamp(entry.at)}`}
            onClick={() => setOpen(!open)}
          >
            {open ? 'Hide facts' : 'Show facts'}
          </button>
        )}
        {open && entry.facts && (
          // Focusable: a region that scrolls must be reachable from the keyboard.
          <pre className="facts" tabIndex={0}>
            {JSON.stringify(entry.facts, null, 2)}
          </pre>
        )}
      </div>
    </li>
  );
}

export function Timeline({
  entries,
  jobs,
}: {
  entries: AuditEntry[];
  jobs: Map<string, ProcessingJob>;
}) {
  const ordered = [...entries].sort((a, b) => a.at.localeCompare(b.at) || a.id - b.id);
  const anyJob = ordered.map((e) => (e.job_id ? jobs.get(e.job_id) : undefined)).find(Boolean);
  return (
    <ol className="timeline" data-testid="timeline">
      {ordered.map((e) => (
        <TimelineItem
          key={e.id}
          entry={e}
          job={(e.job_id ? jobs.get(e.job_id) : undefined) ?? anyJob}
        />
      ))}
    </ol>
  );
}
