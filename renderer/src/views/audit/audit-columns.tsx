// The audit table's columns: when (local time, the zone in the header, or in the cell
// when it is another: across a daylight-saving change), what kind,
// the level and rule (with the rule set's version), who, which file and underlying
// (the entry's own, else its job's), the explanation and the request's timeline.
import type { AuditEntry } from '../../../../shared/api.ts';
import type { ProcessingJob } from '../../../../shared/domain.ts';
import { compareBy, type Column } from '../../components/table/columns.ts';
import { EntryLevel } from '../../components/common.tsx';
import { entrySubject } from '../../components/Timeline.tsx';
import { kindInfo } from '../../text/audit-kinds.ts';
import { stripPaths } from '../../text/clean-error.ts';
import { localDateTime, localStamp, localZone } from '../../text/time.ts';
import { ZonedTime } from '../../components/ZonedTime.tsx';
import { useApp } from '../../state/store.ts';
import { visible } from '../../../../shared/visible.ts';

export type JobOf = (e: AuditEntry) => ProcessingJob | undefined;

function Kind({ kind }: { kind: string }) {
  const k = kindInfo(kind);
  return (
    <span className={`kind tone-${k.tone}`} title={k.hint}>
      {k.label}
    </span>
  );
}

function TimelineLink({ e }: { e: AuditEntry }) {
  if (!e.request_id) return null;
  return (
    // Out of the Tab order, as the Queue's row actions: the table is one Tab stop, and T
    // on the focused row opens this (AuditView).
    <button
      className="link-button"
      data-testid="open-timeline"
      tabIndex={-1}
      aria-keyshortcuts="T"
      title={`The timeline of request ${e.request_id} (T on the row)`}
      onClick={(ev) => {
        ev.stopPropagation();
        useApp.getState().openAudit(e.request_id!);
      }}
    >
      timeline ›
    </button>
  );
}

/**
 * Newest first by when it happened, then by when it was recorded: an event is recorded a
 * moment after it happens (a job's start is written with its run under way), so the order
 * of the records alone put 10:00:57 below 10:00:58. `at` is UTC ISO text throughout.
 */
export const newestFirst = (a: AuditEntry, b: AuditEntry): number =>
  a.at === b.at ? b.id - a.id : a.at < b.at ? 1 : -1;

/** `otherZone`: some entry names its own zone, and the At column makes room for it. */
export function auditColumns(
  zone: string = localZone(),
  otherZone = false,
): Column<AuditEntry, JobOf>[] {
  return [
    {
      id: 'at',
      label: `At, ${zone}`,
      title: `When it happened, ${zone} (your time zone; an entry from the other side of a daylight-saving change names its own)`,
      width: otherZone ? 192 : 158,
      className: 'num-left',
      sort: (a, b) => -newestFirst(a, b),
      cell: (e) => <ZonedTime text={localDateTime(e.at)} iso={e.at} headerZone={zone} />,
      title_of: (e) => `${localStamp(e.at)} (${e.at})`,
    },
    {
      id: 'kind',
      label: 'Kind',
      width: 82,
      sort: compareBy((e) => e.kind),
      cell: (e) => <Kind kind={e.kind} />,
    },
    {
      id: 'level',
      label: 'Level',
      // Room for an upper bound whole: ≤ CRITICAL.
      width: 92,
      cell: (e) => <EntryLevel entry={e} />,
    },
    {
      id: 'rule',
      label: 'Rule',
      title: 'The deciding rule and the rule set’s version',
      width: 92,
      className: 'mono',
      optional: 2,
      sort: compareBy((e) => e.rule),
      // A name longer than the column ("unreadable", "deciding") is whole in the tooltip.
      title_of: (e) =>
        e.rule
          ? `rule ${e.rule}${e.rule_version ? ` (rule set v${e.rule_version})` : ''}`
          : undefined,
      cell: (e) => (
        <>
          {e.rule ?? ''}
          {e.rule_version ? <span className="muted"> v{e.rule_version}</span> : null}
        </>
      ),
    },
    {
      id: 'actor',
      label: 'By',
      title: 'The analyst (or the engine) who did it',
      width: 80,
      optional: 1,
      sort: compareBy((e) => e.actor),
      cell: (e) => visible(e.actor ?? ''),
    },
    {
      id: 'file',
      label: 'File',
      width: 110,
      min: 70,
      flex: true,
      className: 'c-file',
      cell: (e, jobOf) => entrySubject(e, jobOf(e)).file ?? '',
      title_of: (e, jobOf) => entrySubject(e, jobOf(e)).file ?? undefined,
    },
    {
      id: 'underlying',
      label: 'Underlying',
      width: 78,
      className: 'underlying',
      cell: (e, jobOf) => entrySubject(e, jobOf(e)).underlying ?? '',
    },
    {
      id: 'explanation',
      label: 'Explanation',
      // Why the entry exists, the column an analyst reads: it takes most of the room the
      // fixed columns leave, and at least 280 px, for which Rule and By give way at 1024 px
      // (the rule is named at the start of a decision's explanation; both are in the entry's
      // details); its text wraps (audit.css).
      width: 250,
      min: 280,
      flex: true,
      className: 'a-expl',
      cell: (e) => visible(stripPaths(e.explanation)),
      title_of: (e) => visible(stripPaths(e.explanation)),
    },
    {
      id: 'request',
      label: 'Request',
      title: 'The request’s whole timeline',
      width: 76,
      cell: (e) => <TimelineLink e={e} />,
    },
  ];
}
