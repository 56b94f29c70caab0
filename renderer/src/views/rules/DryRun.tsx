// The dry run: the same facts decided by the active rules and by the draft (or the
// version opened from History: subject.ts), side by side (before → after), re-run as the
// draft changes while it is valid, so results
// never outlive the text they came from — nor the facts: while the JSON Lines text does
// not parse, or holds no request, there are none. Facts are entered in a small form, one
// request at a time, or as JSON Lines, and kept as the analyst left them
// (state/dry-run-facts.ts).
import { useEffect, useMemo, useState } from 'react';
import type { CallResponse } from '../../../../shared/api.ts';
import type { AppError } from '../../../../shared/result.ts';
import { useApp } from '../../state/store.ts';
import { exampleFacts, useDryFacts, type DryFacts } from '../../state/dry-run-facts.ts';
import { ErrorLine, LevelBadge } from '../../components/common.tsx';
import { FactsForm } from './FactsForm.tsx';
import type { RuleSubject } from './subject.ts';
import { factId, parseFacts, sampleFacts, toJsonLines, type FactRow } from './facts.ts';
import { visible } from '../../../../shared/visible.ts';

type Outcome = CallResponse<'rules:dryRun'>[number];

function Decided({ o }: { o: Outcome | undefined }) {
  if (!o) return <span className="muted">—</span>;
  if ('error' in o) return <ErrorLine error={o.error} compact />;
  return (
    <span className="decided" title={visible(o.explanation)}>
      <LevelBadge level={o.priority} /> <span className="mono">{o.rule}</span>
    </span>
  );
}

const same = (a: Outcome | undefined, b: Outcome | undefined) =>
  !!a && !!b && !('error' in a) && !('error' in b)
    ? a.priority === b.priority && a.rule === b.rule
    : JSON.stringify(a) === JSON.stringify(b);

export function DryRun({
  activeText,
  activeVersion,
  subject,
}: {
  activeText: string;
  activeVersion: number | null;
  subject: RuleSubject;
}) {
  const { text: draftText, valid: draftValid } = subject;
  const client = useApp((s) => s.client);
  const kept = useDryFacts((s) => s.facts);
  // Until the analyst changes them: the examples as of when the dry run was shown.
  const [examples] = useState(() => exampleFacts());
  const facts = kept ?? examples;
  const { rows, mode, selected, json } = facts;
  const keep = (patch: Partial<DryFacts>) => useDryFacts.getState().keep({ ...facts, ...patch });
  const parsed = useMemo(() => parseFacts(json), [json]);
  const jsonError = 'error' in parsed ? parsed.error : null;
  // What is run: facts that parse, at least one request.
  const runnable = jsonError === null && rows.length > 0;
  const [result, setResult] = useState<{ key: string; before: Outcome[]; after: Outcome[] } | null>(
    null,
  );
  const [error, setError] = useState<{ key: string; error: AppError } | null>(null);
  const [runs, setRuns] = useState(0);
  const key = `${draftText}\u0000${activeText}\u0000${JSON.stringify(rows)}`;

  useEffect(() => {
    if (!client || draftValid !== true || !runnable) return;
    let live = true;
    const timer = window.setTimeout(async () => {
      const [before, after] = await Promise.all([
        client.call('rules:dryRun', { text: activeText, facts: rows }),
        client.call('rules:dryRun', { text: draftText, facts: rows }),
      ]);
      if (!live) return;
      if (!after.ok || !before.ok) {
        setError({
          key,
          error: !after.ok ? after.error : (before as { ok: false; error: AppError }).error,
        });
        setResult(null);
        return;
      }
      setError(null);
      setResult({ key, before: before.value, after: after.value });
    }, 250);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [client, draftValid, activeText, draftText, rows, runnable, key, runs]);

  const current = runnable && result?.key === key ? result : null;
  const changed = current
    ? rows.filter((_, i) => !same(current.before[i], current.after[i])).length
    : 0;
  const editRows = (next: FactRow[], picked = selected) =>
    keep({ rows: next, json: toJsonLines(next), selected: picked });

  return (
    <div className="dry-run" data-testid="dry-run">
      <p className="muted small">
        Each request's facts decided by the active rules (before) and by{' '}
        {subject.draft ? 'your draft' : subject.named} (after). Nothing is recorded.
      </p>
      <div className="row-actions">
        <button
          className="btn primary"
          disabled={draftValid !== true || !runnable}
          onClick={() => setRuns(runs + 1)}
        >
          Run
        </button>
        <span className="muted small" data-testid="dry-run-state">
          {draftValid === false
            ? `Fix the errors in ${subject.named} to run it.`
            : subject.unchecked
              ? `The dry run cannot run until ${subject.named} checks: its check did not finish (above).`
              : draftValid === null
                ? `Checking ${subject.named}…`
                : jsonError !== null
                  ? 'The facts do not parse: nothing is run until they do.'
                  : rows.length === 0
                    ? "Enter at least one request's facts to run them."
                    : current
                      ? changed === 0
                        ? `${subject.Named} decides every request as the active rules do.`
                        : `${subject.Named} changes ${changed} of ${rows.length} decisions.`
                      : error?.key === key
                        ? 'The dry run failed: nothing was decided (below). Run tries again.'
                        : 'Running…'}
        </span>
      </div>
      {runnable && error?.key === key && <ErrorLine error={error.error} />}
      {current && (
        <table className="grid-table dry-table">
          <thead>
            <tr>
              <th scope="col">Request</th>
              <th scope="col">Before (v{activeVersion ?? '—'})</th>
              <th scope="col">After ({subject.short})</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r, i) => {
              const diff = !same(current.before[i], current.after[i]);
              return (
                <tr
                  key={i}
                  className={diff ? 'changed' : ''}
                  data-changed={diff ? 'true' : 'false'}
                >
                  <td className="mono">{factId(r, i)}</td>
                  <td>
                    <Decided o={current.before[i]} />
                  </td>
                  <td>
                    {diff && (
                      <span className="arrow" aria-label="changed">
                        →{' '}
                      </span>
                    )}
                    <Decided o={current.after[i]} />
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      <h2 className="section-title facts-title">Facts</h2>
      <div className="dry-tabs" role="group" aria-label="How to enter the facts">
        <div className="segmented">
          <button
            className={mode === 'form' ? 'on' : ''}
            aria-pressed={mode === 'form'}
            onClick={() => keep({ mode: 'form' })}
          >
            Form
          </button>
          <button
            className={mode === 'json' ? 'on' : ''}
            aria-pressed={mode === 'json'}
            onClick={() => keep({ mode: 'json' })}
          >
            JSON Lines
          </button>
        </div>
        <button className="btn small ghost" onClick={() => useDryFacts.getState().reset()}>
          Reset examples
        </button>
      </div>
      {mode === 'form' ? (
        <>
          <div className="fact-picker" role="group" aria-label="Requests">
            {rows.map((r, i) => (
              <button
                key={i}
                className={`chip text ${i === selected ? 'on' : ''}`}
                aria-pressed={i === selected}
                onClick={() => keep({ selected: i })}
              >
                {factId(r, i)}
              </button>
            ))}
            <button
              className="btn tiny"
              onClick={() => {
                editRows(
                  [
                    ...rows,
                    { ...(rows[selected] ?? sampleFacts()[0]), id: `request-${rows.length + 1}` },
                  ],
                  rows.length,
                );
              }}
            >
              + Add
            </button>
            {rows.length > 1 && (
              <button
                className="btn tiny ghost"
                onClick={() =>
                  editRows(
                    rows.filter((_, i) => i !== selected),
                    Math.max(0, selected - 1),
                  )
                }
              >
                Remove
              </button>
            )}
          </div>
          {rows[selected] && (
            <FactsForm
              row={rows[selected]}
              onChange={(row) => editRows(rows.map((r, i) => (i === selected ? row : r)))}
            />
          )}
        </>
      ) : (
        <>
          <label className="sr-only" htmlFor="facts-json">
            Facts as JSON Lines
          </label>
          <textarea
            id="facts-json"
            className="facts-input"
            value={json}
            spellCheck={false}
            aria-invalid={jsonError !== null}
            aria-describedby={jsonError !== null ? 'facts-json-error' : undefined}
            onChange={(e) => {
              const next = parseFacts(e.target.value);
              // The rows stay the last that parsed (the form shows them) but are not run.
              if ('error' in next) return keep({ json: e.target.value });
              keep({ json: e.target.value, rows: next.facts, selected: 0 });
            }}
          />
        </>
      )}
      {jsonError !== null && (
        <div className="field-error" id="facts-json-error">
          Facts: {jsonError}
          {mode === 'form' &&
            ' (in the JSON Lines text; the form shows the last facts that parsed, and an edit here replaces the text)'}
        </div>
      )}
    </div>
  );
}
