// The Sources view: each data source's record — completed and failed ingests (its
// duplicates under the completed count: counted in neither, said so, QA day F5), the
// reliability computed from them, the analyst's override with its justification, the
// last ingest — and which rules that reliability sets off under the active rule set.
// An override is set (justification required) or cleared from here; the engine writes
// each change to the audit trail, and the view shows the entry it wrote and opens the
// audit trail on source changes.
import { memo, useDeferredValue, useEffect, useMemo, useRef, useState } from 'react';
import type { AuditEntry, SourceRecord } from '../../../shared/api.ts';
import { ErrorLine } from '../components/common.tsx';
import { MiddleCut, splitTail } from '../components/MiddleCut.tsx';
import { openAuditOfKinds, openAuditOfSource } from '../state/audit-filter.ts';
import { openQueueOfSource } from '../state/queue-filter.ts';
import { reliabilityText } from '../../../shared/reliability.ts';
import { int } from '../text/numbers.ts';
import { localStamp } from '../text/time.ts';
import { plural } from '../text/words.ts';
import { OverrideDialog } from './sources/OverrideDialog.tsx';
import { NotCurrent } from '../components/NotCurrent.tsx';
import { useSources } from './sources/use-sources.ts';
import { nextSort, type SortState } from '../components/table/columns.ts';
import { orderSources, SOURCE_SORTS } from './sources/source-order.ts';
import { visible, visibleName } from '../../../shared/visible.ts';

/** A source's Override… button: where the focus lands when its Clear… button goes. */
const focusOverrideOf = (id: string) =>
  document
    .querySelector<HTMLElement>(`tr[data-source="${CSS.escape(id)}"] [data-testid="override-open"]`)
    ?.focus();

function Reliability({ s }: { s: SourceRecord }) {
  return (
    <span className="reliability">
      <span className={`num strong ${s.reliability < 0.5 ? 'neg' : ''}`} data-testid="reliability">
        {reliabilityText(s.reliability)}
      </span>
      {s.override ? (
        <span className="muted small">
          {' '}
          override · computed {reliabilityText(s.computed_reliability)}
        </span>
      ) : (
        <span className="muted small"> computed</span>
      )}
    </span>
  );
}

/** The date and the time may go on two lines (at 1024 px), each kept whole. */
function Stamp({ iso }: { iso: string | null }) {
  const [date, ...time] = localStamp(iso).split(' ');
  return (
    <>
      <span className="nowrap">{date}</span>{' '}
      {time.length > 0 && <span className="nowrap">{time.join(' ')}</span>}
    </>
  );
}

function Override({ s }: { s: SourceRecord }) {
  if (!s.override) return <span className="muted">none</span>;
  const o = s.override;
  return (
    // The justification takes the column's room and is cut after three lines; the whole of it
    // is in the tooltip, and in the text that a screen reader reads.
    <div className="override-cell" data-testid="override" title={visible(o.justification)}>
      <div className="override-what free-text">
        <span className="num strong">{reliabilityText(o.reliability)}</span>{' '}
        <span className="justification">“{visible(o.justification)}”</span>
      </div>
      <div className="muted small">
        {o.author ? `${visible(o.author)}, ` : ''}
        {localStamp(o.at)}
      </div>
    </div>
  );
}

/** A header that sorts by its column, as the other tables' headers do (TableHead.tsx). */
function SortHead({
  id,
  label,
  sort,
  setSort,
  right,
}: {
  id: string;
  label: string;
  sort: SortState | null;
  setSort(s: SortState | null): void;
  right?: boolean;
}) {
  const dir = sort?.id === id ? sort.dir : null;
  return (
    <th
      scope="col"
      className={right ? 'right' : undefined}
      aria-sort={dir === 'asc' ? 'ascending' : dir === 'desc' ? 'descending' : undefined}
    >
      <button
        className="th-sort"
        data-testid={`sort-${id}`}
        onClick={() => setSort(nextSort(sort, id, SOURCE_SORTS[id]!.first))}
      >
        <span className="th-label">{label}</span>
        <span className="th-arrow" aria-hidden>
          {dir === 'asc' ? '▲' : dir === 'desc' ? '▼' : ''}
        </span>
      </button>
    </th>
  );
}

function Triggers({ s }: { s: SourceRecord }) {
  if (s.triggers.length === 0) return <span className="muted">none</span>;
  return (
    <ul className="triggers" data-testid="triggers">
      {s.triggers.map((t) => (
        <li key={`${t.rule}.${t.row ?? ''}`} title={t.condition}>
          <span className="mono strong">{t.row ?? t.rule}</span> {t.effect}
          {!t.certain && <span className="muted small"> with other facts</span>}
        </li>
      ))}
    </ul>
  );
}

type Editing = { source: SourceRecord; mode: 'set' | 'clear' };

/**
 * One source's row, drawn again only when its record or its audit trail changed: a reload
 * keeps the records that did not change (keep-unchanged.ts), so a burst of jobs ending
 * draws the few sources whose counts moved, not the 1,200 listed.
 */
const SourceRow = memo(
  function SourceRow({
    s,
    trail,
    onEdit,
  }: {
    s: SourceRecord;
    trail: AuditEntry[];
    onEdit(e: Editing): void;
  }) {
    return (
      <tr data-testid="source-row" data-source={s.id}>
        <th scope="row" className="source-name">
          {/* A long name or id is cut in the middle, its end kept (names that differ at their
            end are told apart), and whole in the tooltip and the accessible name, so that
            the actions stay in the window. */}
          <MiddleCut className="source-cut" {...splitTail(visibleName(s.name))} />
          {s.name !== s.id && (
            <>
              {' '}
              <MiddleCut className="source-cut muted small mono" {...splitTail(s.id)} />
            </>
          )}
        </th>
        <td className="num" data-testid="completed">
          {int(s.completed)}
          {s.duplicates > 0 && (
            // Under the count, not a column of its own: at 1024 px one more column left the
            // override's justification too little room.
            <div
              className="muted small nowrap"
              data-testid="duplicates"
              title="Files whose content was already stored: nothing was ingested, so they count neither as completed nor as failed"
            >
              +{plural(s.duplicates, 'duplicate')}
              <span className="sr-only">, not counted</span>
            </div>
          )}
        </td>
        <td className={`num ${s.failed ? 'neg' : ''}`} data-testid="failed">
          {s.failed > 0 ? (
            <button
              className="link-button failed-jobs"
              title="Show its failed jobs in the Queue (which also lists failures not counted here: a missing file, a crash, a timeout)"
              aria-label={`${int(s.failed)} failed on their content: show the failed jobs of ${s.name} in the Queue, which also lists failures not counted here`}
              onClick={() => openQueueOfSource('failed', s.id)}
            >
              {int(s.failed)}
            </button>
          ) : (
            int(s.failed)
          )}
        </td>
        <td>
          <Reliability s={s} />
        </td>
        <td className="mono small last-ingest">
          <Stamp iso={s.last_ingest_at} />
        </td>
        <td>
          <Override s={s} />
        </td>
        <td>
          <Triggers s={s} />
        </td>
        <td>
          {trail.length === 0 ? (
            <span className="muted">no changes</span>
          ) : (
            <button
              className="link-button audit-link"
              title={visible(trail[0]!.explanation)}
              data-testid="source-audit"
              onClick={() => openAuditOfSource(s.id)}
            >
              {plural(trail.length, 'change')} ›
            </button>
          )}
        </td>
        <td className="actions">
          <button
            className="btn tiny"
            aria-label={`Override the reliability of ${s.name}`}
            data-testid="override-open"
            onClick={() => onEdit({ source: s, mode: 'set' })}
          >
            Override…
          </button>
          {s.override && (
            <button
              className="btn tiny ghost"
              aria-label={`Clear the override of ${s.name}`}
              onClick={() => onEdit({ source: s, mode: 'clear' })}
            >
              Clear…
            </button>
          )}
        </td>
      </tr>
    );
  },
  (a, b) =>
    a.s === b.s &&
    a.onEdit === b.onEdit &&
    a.trail.length === b.trail.length &&
    a.trail[0] === b.trail[0],
);

const NO_TRAIL: AuditEntry[] = [];

export function SourcesView() {
  const feed = useSources();
  const [editing, setEditing] = useState<Editing | null>(null);
  const [changed, setChanged] = useState<string | null>(null);
  const sources = useMemo(() => feed.sources ?? [], [feed.sources]);
  const [query, setQuery] = useState('');
  // By name until a header is clicked (a third click on it comes back to the name's order).
  const [sort, setSort] = useState<SortState | null>(null);
  // The box follows each key at once; the rows follow when the page has time.
  const deferred = useDeferredValue(query);
  const shown = useMemo(() => orderSources(sources, deferred, sort), [sources, deferred, sort]);
  const version = sources[0]?.rule_version ?? null;
  const recorded = changed ? feed.audit.get(changed)?.[0] : undefined;
  // A cleared override takes its Clear… button away once the list is read again, after the
  // dialog gave the focus back to it: the focus then goes to the row's Override…, not the page.
  const refocus = useRef<string | null>(null);
  useEffect(() => {
    const id = refocus.current;
    if (!id || sources.find((s) => s.id === id)?.override) return;
    refocus.current = null;
    if (document.activeElement === null || document.activeElement === document.body)
      focusOverrideOf(id);
  }, [sources]);

  return (
    <div className="view sources-view" data-testid="sources-view">
      <h1 className="sr-only" tabIndex={-1}>
        Sources
      </h1>
      <NotCurrent />
      <div className="toolbar">
        <span className="muted">
          Reliability is completed ÷ (completed + failed); a duplicate (its content already stored)
          ingested nothing and counts in neither. An override replaces it for new requests.
          <span data-testid="failed-counts">
            {' '}
            Failed counts only what the source sent wrong (bad or unreadable content); the
            Queue&apos;s Failed tab also lists failures that say nothing about it (a missing file, a
            crash, a timeout).
          </span>{' '}
          Rules from the active rule set{version !== null ? `, v${version}` : ''}.
        </span>
      </div>
      <div className="toolbar">
        <input
          className="search"
          type="search"
          aria-label="Filter sources by name"
          placeholder="Filter by name"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          spellCheck={false}
        />
        <span className="spacer" />
        <button className="btn small" onClick={() => openAuditOfKinds('source')}>
          Source changes in the audit trail ›
        </button>
        <span className="row-count" data-testid="sources-count" role="status">
          {shown.length === sources.length
            ? plural(sources.length, 'source')
            : `${int(shown.length)} of ${plural(sources.length, 'source')}`}
        </span>
      </div>
      {feed.error && (
        <div className="banner error" role="alert">
          <ErrorLine error={feed.error} />
        </div>
      )}
      {recorded && (
        <div className="banner ok free-text" role="status" data-testid="source-recorded">
          Recorded in the audit trail: {visible(recorded.explanation)}
          {recorded.actor ? ` (by ${visible(recorded.actor)})` : ''}.
          <button className="btn tiny" onClick={() => openAuditOfSource(changed!)}>
            See it in the audit trail ›
          </button>
          <button className="btn tiny ghost" onClick={() => setChanged(null)}>
            Dismiss
          </button>
        </div>
      )}
      {feed.sources !== null && sources.length === 0 ? (
        <p className="empty">
          No sources yet: a source is known once a request has named it (the submit dialog's Source
          field, the inbox, or the command line's --source).
        </p>
      ) : (
        <div className="sources-scroll">
          <table className="grid-table sources-table" aria-label="Sources">
            <thead>
              <tr>
                <SortHead id="name" label="Source" sort={sort} setSort={setSort} />
                <SortHead id="completed" label="Completed" sort={sort} setSort={setSort} right />
                <SortHead id="failed" label="Failed" sort={sort} setSort={setSort} right />
                <SortHead id="reliability" label="Reliability" sort={sort} setSort={setSort} />
                <SortHead id="last_ingest" label="Last ingest" sort={sort} setSort={setSort} />
                <th scope="col">Override</th>
                <th scope="col">Sets off</th>
                <th scope="col">Audit</th>
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {shown.length === 0 && (
                <tr>
                  <td colSpan={9} className="muted">
                    No source&apos;s name holds “{deferred.trim()}”.
                  </td>
                </tr>
              )}
              {shown.map((s) => (
                <SourceRow
                  key={s.id}
                  s={s}
                  trail={feed.audit.get(s.id) ?? NO_TRAIL}
                  onEdit={setEditing}
                />
              ))}
            </tbody>
          </table>
        </div>
      )}
      {editing && (
        <OverrideDialog
          source={editing.source}
          mode={editing.mode}
          onClose={() => setEditing(null)}
          fallbackFocus={() => focusOverrideOf(editing.source.id)}
          onDone={() => {
            if (editing.mode === 'clear') refocus.current = editing.source.id;
            setChanged(editing.source.id);
            setEditing(null);
            void feed.reload();
          }}
        />
      )}
    </div>
  );
}
