// The dry run: the same facts decided by the active rules and by the draft, side by
// side (before → after), re-run as the draft changes while it is valid, so results
// never outlive the text they came from. Facts are entered in a small form, one
// request at a time, or as JSON Lines.
import { useEffect, useState } from 'react';
import type { CallResponse } from '../../../../shared/api.ts';
import type { AppError } from '../../../../shared/result.ts';
import { useApp } from '../../state/store.ts';
import { ErrorLine, LevelBadge } from '../../components/common.tsx';
import { FactsForm } from './FactsForm.tsx';
import { factId, parseFacts, sampleFacts, toJsonLines, type FactRow } from './facts.ts';

type Outcome = CallResponse<'rules:dryRun'>[number];

function Decided({ o }: { o: Outcome | undefined }) {
  if (!o) return <span className="muted">—</span>;
  if ('error' in o) return <ErrorLine error={o.error} compact />;
  return (
    <span className="decided" title={o.explanation}>
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
  draftText,
  draftValid,
}: {
  activeText: string;
  activeVersion: number | null;
  draftText: string;
  draftValid: boolean | null;
}) {
  const client = useApp((s) => s.client);
  const [rows, setRows] = useState<FactRow[]>(() => sampleFacts());
  const [mode, setMode] = useState<'form' | 'json'>('form');
  const [selected, setSelected] = useState(0);
  const [json, setJson] = useState(() => toJsonLines(rows));
  const [jsonError, setJsonError] = useState<string | null>(null);
  const [result, setResult] = useState<{ key: string; before: Outcome[]; after: Outcome[] } | null>(
    null,
  );
  const [error, setError] = useState<{ key: string; error: AppError } | null>(null);
  const [runs, setRuns] = useState(0);
  const key = `${draftText}\u0000${activeText}\u0000${JSON.stringify(rows)}`;

  useEffect(() => {
    if (!client || draftValid !== true || rows.length === 0) return;
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
  }, [client, draftValid, activeText, draftText, rows, key, runs]);

  const current = result?.key === key ? result : null;
  const changed = current
    ? rows.filter((_, i) => !same(current.before[i], current.after[i])).length
    : 0;
  const editRows = (next: FactRow[]) => {
    setRows(next);
    setJson(toJsonLines(next));
  };

  return (
    <div className="dry-run" data-testid="dry-run">
      <p className="muted small">
        Each request's facts decided by the active rules (before) and by your draft (after). Nothing
        is stored.
      </p>
      <div className="row-actions">
        <button
          className="btn primary"
          disabled={draftValid !== true}
          onClick={() => setRuns(runs + 1)}
        >
          Run
        </button>
        <span className="muted small" data-testid="dry-run-state">
          {draftValid === false
            ? 'Fix the errors in the draft to run it.'
            : draftValid === null
              ? 'Checking the draft…'
              : current
                ? changed === 0
                  ? 'Your draft decides every request as the active rules do.'
                  : `Your draft changes ${changed} of ${rows.length} decisions.`
                : 'Running…'}
        </span>
      </div>
      {error?.key === key && <ErrorLine error={error.error} />}
      {current && (
        <table className="grid-table dry-table">
          <thead>
            <tr>
              <th scope="col">Request</th>
              <th scope="col">Before (v{activeVersion ?? '—'})</th>
              <th scope="col">After (draft)</th>
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
            onClick={() => setMode('form')}
          >
            Form
          </button>
          <button
            className={mode === 'json' ? 'on' : ''}
            aria-pressed={mode === 'json'}
            onClick={() => setMode('json')}
          >
            JSON Lines
          </button>
        </div>
        <button className="btn small ghost" onClick={() => editRows(sampleFacts())}>
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
                onClick={() => setSelected(i)}
              >
                {factId(r, i)}
              </button>
            ))}
            <button
              className="btn tiny"
              onClick={() => {
                editRows([
                  ...rows,
                  { ...(rows[selected] ?? sampleFacts()[0]), id: `request-${rows.length + 1}` },
                ]);
                setSelected(rows.length);
              }}
            >
              + Add
            </button>
            {rows.length > 1 && (
              <button
                className="btn tiny ghost"
                onClick={() => {
                  editRows(rows.filter((_, i) => i !== selected));
                  setSelected(Math.max(0, selected - 1));
                }}
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
            onChange={(e) => {
              setJson(e.target.value);
              const parsed = parseFacts(e.target.value);
              if ('error' in parsed) return setJsonError(parsed.error);
              setJsonError(null);
              setRows(parsed.facts);
              setSelected(0);
            }}
          />
          {jsonError && <div className="field-error">Facts: {jsonError}</div>}
        </>
      )}
    </div>
  );
}
