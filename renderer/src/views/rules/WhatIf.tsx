// "What would change": the last N real requests replayed, from the facts stored at
// their arrival, under the edited rules and under the active ones (rules:whatif with
// the `active` baseline), before anything is activated: only the draft's own effect
// shows, never that of versions activated since a request arrived (those are counted).
// Changes are grouped by from → to level with their counts; a request whose level
// depends on facts not stored "may change", counted per reason as `gex-desk rules whatif`
// says it (shared/whatif-missing.ts: most were read and stored, only gex_change is not
// kept), and its group names the side not known in words ("not known"), never in a
// tag that looks like a fifth level (QA day F3); a group opens to its
// requests (file, underlying, arrival), each one click from its audit trail; a long
// file name gives way in its middle (its end, which tells a vendor's exports apart, and
// the underlying stay in sight; the whole path is its tooltip). Results
// are keyed by the text and N they came from, so they never outlive the draft. The
// last results, N and the open group are kept while the window lives, so a trip to a
// request's trail and Back finds them as they were.
import { useEffect, useState } from 'react';
import type { WhatIfAnswer } from '../../../../shared/api.ts';
import type { WhatIfChange, WhatIfGroup } from '../../../../shared/rules.ts';
import {
  byMissing,
  missingOf,
  MISSING_SHORT,
  MISSING_WHY,
} from '../../../../shared/whatif-missing.ts';
import type { AppError } from '../../../../shared/result.ts';
import { useApp } from '../../state/store.ts';
import { ErrorLine, LevelBadge } from '../../components/common.tsx';
import { MiddleCut, splitTail } from '../../components/MiddleCut.tsx';
import { int, shownName } from '../../text/numbers.ts';
import { localStamp } from '../../text/time.ts';
import { plural } from '../../text/words.ts';
import type { RuleSubject } from './subject.ts';
import { visible } from '../../../../shared/visible.ts';

export const DEFAULT_LAST = 1000;
const MAX_LAST = 100_000;

const groupKey = (g: Pick<WhatIfGroup, 'from' | 'to'>) => `${g.from}→${g.to}`;

/** The group a change belongs to, as the engine's summary names it. */
function toOf(c: WhatIfChange): WhatIfGroup['to'] {
  if ('priority' in c.to) return c.to.priority;
  return 'error' in c.to ? 'INVALID' : 'UNKNOWN';
}

/** The level it comes from (the active rules'), UNKNOWN when they cannot tell without a read. */
const fromOf = (c: WhatIfChange): WhatIfGroup['from'] =>
  'priority' in c.from ? c.from.priority : 'UNKNOWN';

/**
 * A level, INVALID (refused), or — when it depends on facts not stored — "not known" in
 * words with a dashed outline: no level's colour or shape, so it is never read as a level.
 */
function Level({ level }: { level: WhatIfGroup['to'] }) {
  if (level === 'UNKNOWN')
    return (
      <span
        className="whatif-unknown"
        data-testid="whatif-unknown"
        title="Not a level: the rules' decision depends on facts not stored"
      >
        not known
      </span>
    );
  if (level === 'INVALID') return <span className="tag warn">{level}</span>;
  return <LevelBadge level={level} />;
}

/** The rule that decides it (its level is the group's), or why there is none. */
function Outcome({ o, change }: { o: WhatIfChange['to']; change: WhatIfChange }) {
  if ('priority' in o) return <span className="mono">{o.rule}</span>;
  if ('error' in o) return <ErrorLine error={o.error} compact />;
  const m = missingOf(change);
  return (
    <span
      className="muted"
      title={`Could be ${o.unknown.lower} to ${o.unknown.upper}: ${MISSING_WHY[m]}`}
    >
      <span className="whatif-range">
        {o.unknown.lower}…{o.unknown.upper}
      </span>{' '}
      <span className="small whatif-missing" data-testid="whatif-missing">
        ({MISSING_SHORT[m]})
      </span>
    </span>
  );
}

/** When a request arrived: on a narrow panel the date goes over the time, never cut. */
function Arrival({ iso }: { iso: string }) {
  const [day, ...time] = localStamp(iso).split(' ');
  return (
    <>
      <span>{day}</span> <span>{time.join(' ')}</span>
    </>
  );
}

/** One group's requests, with their arrival (asked for when the group opens). */
function GroupRequests({ changes }: { changes: WhatIfChange[] }) {
  const client = useApp((s) => s.client);
  const [arrivals, setArrivals] = useState<Map<string, string>>(new Map());
  useEffect(() => {
    if (!client || changes.length === 0) return;
    let live = true;
    const ids = changes.map((c) => c.request_id);
    void (async () => {
      const found = new Map<string, string>();
      for (let i = 0; i < ids.length; i += 1000) {
        const res = await client.call('requests:get', { ids: ids.slice(i, i + 1000) });
        if (!res.ok) break;
        for (const r of res.value) found.set(r.id, r.submitted_at);
      }
      if (live) setArrivals(found);
    })();
    return () => {
      live = false;
    };
  }, [client, changes]);
  return (
    <table className="grid-table whatif-table">
      <thead>
        <tr>
          <th scope="col">File</th>
          <th scope="col">Arrival</th>
          <th scope="col">Rule</th>
          <th scope="col">
            <span className="sr-only">Audit trail</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {changes.map((c) => (
          <tr key={c.request_id} data-testid="whatif-request" data-request={c.request_id}>
            <td className="file-cell" title={c.file}>
              <span className="file-cell-line">
                <MiddleCut
                  className="file-name"
                  {...splitTail(shownName(c.file))}
                  title={visible(c.file)}
                />
                <span className="underlying">{c.underlying}</span>
              </span>
            </td>
            <td className="mono small arrival">
              {arrivals.has(c.request_id) ? <Arrival iso={arrivals.get(c.request_id)!} /> : '…'}
            </td>
            <td className="rule-cell">
              <Outcome o={c.from} change={c} /> → <Outcome o={c.to} change={c} />
            </td>
            <td>
              <button
                className="btn tiny"
                aria-label={`Audit trail of ${shownName(c.file)}`}
                onClick={() => useApp.getState().openAudit(c.request_id)}
              >
                Trail ›
              </button>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** What the panel showed last (kept across unmounting, e.g. a trip to the audit trail). */
const kept: {
  lastInput: string;
  last: number;
  runs: number;
  open: string | null;
  result: { key: string; answer: WhatIfAnswer } | null;
} = { lastInput: String(DEFAULT_LAST), last: DEFAULT_LAST, runs: 0, open: null, result: null };

export function WhatIf({
  subject,
  activeVersion,
}: {
  subject: RuleSubject;
  activeVersion: number | null;
}) {
  const { text: draftText, valid: draftValid } = subject;
  const client = useApp((s) => s.client);
  const [lastInput, setLastInput] = useState(kept.lastInput);
  const [last, setLast] = useState(kept.last);
  const [result, setResult] = useState(kept.result);
  const [error, setError] = useState<{ key: string; error: AppError } | null>(null);
  const [open, setOpen] = useState(kept.open);
  const [runs, setRuns] = useState(kept.runs);
  const key = `${last}\u0000${draftText}\u0000${activeVersion}\u0000${runs}`;
  useEffect(() => {
    Object.assign(kept, { lastInput, last, runs, open, result });
  }, [lastInput, last, runs, open, result]);

  useEffect(() => {
    if (!client || draftValid !== true) return;
    let live = true;
    const timer = window.setTimeout(async () => {
      const res = await client.call('rules:whatif', { text: draftText, last, baseline: 'active' });
      if (!live) return;
      if (!res.ok) return setError({ key, error: res.error });
      setError(null);
      setResult({ key, answer: res.value });
    }, 400);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [client, draftValid, draftText, last, key]);

  const current = result?.key === key ? result.answer : null;
  const lastValid = /^\d+$/.test(lastInput) && +lastInput >= 1 && +lastInput <= MAX_LAST;
  const apply = () => {
    if (!lastValid) return;
    if (+lastInput === last) setRuns(runs + 1);
    else setLast(+lastInput);
  };
  // As `gex-desk rules whatif` counts them: a request whose new level is known changes; one
  // whose level depends on facts not stored may change (said per reason), one whose facts
  // the draft refuses would be refused.
  const changes = current?.changes ?? [];
  const changed = changes.filter((c) => 'priority' in c.to && 'priority' in c.from).length;
  const refused = changes.filter((c) => 'error' in c.to).length;
  const undecided = changes.filter(
    (c) => !('error' in c.to) && !('priority' in c.to && 'priority' in c.from),
  );
  const apart = [
    ...byMissing(undecided).map(
      (g) => `${int(g.changes.length)} may change: ${MISSING_WHY[g.missing]}`,
    ),
    refused > 0 ? `${int(refused)} would be refused: ${subject.named} rejects their facts` : '',
  ].filter(Boolean);

  return (
    <div className="whatif" data-testid="whatif">
      <p className="muted small">
        The last requests replayed under {subject.draft ? 'your draft' : subject.named} and under
        the active rules
        {activeVersion !== null ? ` (v${activeVersion})` : ''}, both from the facts stored when each
        arrived. Nothing is stored or activated.
      </p>
      <form
        className="row-actions"
        onSubmit={(e) => {
          e.preventDefault();
          apply();
        }}
      >
        <label htmlFor="whatif-last">Replay the last</label>
        <input
          id="whatif-last"
          className="num whatif-last"
          inputMode="numeric"
          value={lastInput}
          aria-invalid={!lastValid}
          aria-describedby={lastValid ? undefined : 'whatif-last-error'}
          onChange={(e) => setLastInput(e.target.value.trim())}
        />
        <span>requests</span>
        <button className="btn primary" type="submit" disabled={draftValid !== true || !lastValid}>
          Replay
        </button>
      </form>
      {!lastValid && (
        <div className="field-error" id="whatif-last-error">
          Enter a whole number from 1 to {int(MAX_LAST)}.
        </div>
      )}
      <div className="muted small" data-testid="whatif-state" role="status">
        {draftValid === false
          ? `Fix the errors in ${subject.named} to replay it.`
          : subject.unchecked
            ? `Nothing is replayed until ${subject.named} checks: its check did not finish (above).`
            : draftValid === null
              ? `Checking ${subject.named}…`
              : error?.key === key
                ? 'The replay failed.'
                : current
                  ? current.replayed === 0
                    ? 'No request has been decided yet: there is nothing to replay.'
                    : changes.length === 0
                      ? `${subject.Named} decides ${current.replayed === 1 ? 'the one past request' : `all ${int(current.replayed)} past requests`} as the active rules do.`
                      : `${subject.Named} decides ${int(changed)} of ${int(current.replayed)} past requests otherwise${apart.map((a) => `; ${a}`).join('')}.`
                  : 'Replaying…'}
      </div>
      {current && current.earlier > 0 && (
        <p className="muted small" data-testid="whatif-earlier">
          {current.earlier === current.replayed
            ? current.replayed === 1
              ? 'It was decided by an earlier version'
              : `All ${int(current.replayed)} were decided by earlier versions`
            : `${int(current.earlier)} of the ${int(current.replayed)} replayed were decided by earlier versions`}
          ; the levels they got then are not compared here.
        </p>
      )}
      {error?.key === key && <ErrorLine error={error.error} />}
      {current && current.summary.length > 0 && (
        <ul className="whatif-groups" aria-label="Changes by level">
          {current.summary.map((g) => {
            const k = groupKey(g);
            const isOpen = open === k;
            const members = current.changes.filter((c) => fromOf(c) === g.from && toOf(c) === g.to);
            return (
              <li
                key={k}
                className="whatif-group"
                data-testid="whatif-group"
                data-from={g.from}
                data-to={g.to}
              >
                <button
                  className="whatif-group-head"
                  aria-expanded={isOpen}
                  onClick={() => setOpen(isOpen ? null : k)}
                >
                  <span className="chev" aria-hidden>
                    {isOpen ? '▾' : '▸'}
                  </span>
                  <Level level={g.from} />
                  <span className="arrow" aria-label="to">
                    →
                  </span>
                  <Level level={g.to} />
                  <span className="spacer" />
                  <span className="num strong" data-testid="whatif-count">
                    {plural(g.count, 'request')}
                  </span>
                  {g.from === g.to && <span className="muted small">another rule</span>}
                  {(g.from === 'UNKNOWN' || g.to === 'UNKNOWN') && (
                    <span className="muted small" data-testid="whatif-why">
                      {byMissing(members)
                        .map((m) => `${int(m.changes.length)} ${MISSING_SHORT[m.missing]}`)
                        .join(' · ')}
                    </span>
                  )}
                </button>
                {isOpen && (
                  <div className="whatif-scroll">
                    <GroupRequests changes={members} />
                  </div>
                )}
              </li>
            );
          })}
        </ul>
      )}
    </div>
  );
}
