// The rule editor: the active rule set in Monaco (JSON, validated against the
// engine's schema as you type, with the engine's own diagnostics — errors and
// conflicts with line and column — as markers), a dry run of the edited rules on
// sample facts, activation with author and comment, and the version history with
// rollback. Default export, because the view is loaded lazily with Monaco.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { Diagnostic, RuleVersion, CallResponse } from '../../../shared/api.ts';
import type { AppError } from '../../../shared/result.ts';
import { monaco, jsonDefaults } from '../monaco.ts';
import { useApp } from '../state/store.ts';
import { stamp } from '../format.ts';
import { ErrorLine, LevelBadge } from '../components/common.tsx';

const MODEL_URI = monaco.Uri.parse('inmemory://gex-desk/rules.json');
const SCHEMA_URI = 'inmemory://gex-desk/rules.schema.json';

type DryRunResult = CallResponse<'rules:dryRun'>[number];

/** The guideline examples as facts, relative to now (so freshness is as described). */
function sampleFacts(): string {
  const now = Date.now();
  const at = (ageS: number) => new Date(now - ageS * 1000).toISOString();
  const nowIso = new Date(now).toISOString();
  const rows = [
    { id: 'critical', underlying: 'SPX', as_of: at(2), now: nowIso, total_volume: 80000, total_open_interest: 300000, gex_change: 0.25 },
    { id: 'high-rt', underlying: 'SPX', as_of: at(2), now: nowIso, total_volume: 80000, total_open_interest: 300000, gex_change: 0.02 },
    { id: 'first-snap', underlying: 'META', as_of: at(2), now: nowIso, total_volume: 500, total_open_interest: 1000, gex_change: null },
    { id: 'unreliable', underlying: 'SPX', as_of: at(2), now: nowIso, total_volume: 80000, total_open_interest: 300000, gex_change: 0.25, source_reliability: 0.6 },
    { id: 'stale', underlying: 'SPX', as_of: at(400), now: nowIso, total_volume: 80000, total_open_interest: 300000, gex_change: 0.25 },
    { id: 'manual', underlying: 'SPX', as_of: at(400), now: nowIso, total_volume: 10, total_open_interest: 10, gex_change: 0, requested_priority: 'HIGH', justification: 'FOMC' },
  ];
  return rows.map((r) => JSON.stringify(r)).join('\n');
}

/** JSON Lines or one JSON array of fact objects. */
function parseFacts(text: string): { facts: Record<string, unknown>[] } | { error: string } {
  const t = text.trim();
  if (!t) return { facts: [] };
  try {
    if (t.startsWith('[')) return { facts: JSON.parse(t) as Record<string, unknown>[] };
    return {
      facts: t
        .split('\n')
        .filter((l) => l.trim())
        .map((l, i) => {
          try {
            return JSON.parse(l) as Record<string, unknown>;
          } catch (e) {
            throw new Error(`line ${i + 1}: ${(e as Error).message}`, { cause: e });
          }
        }),
    };
  } catch (e) {
    return { error: (e as Error).message };
  }
}

function toMarkers(model: monaco.editor.ITextModel, diags: Diagnostic[]): monaco.editor.IMarkerData[] {
  return diags.map((d) => {
    const line = Math.min(Math.max(1, d.line), model.getLineCount());
    const col = Math.max(1, d.column);
    const word = model.getWordAtPosition({ lineNumber: line, column: col });
    return {
      severity: d.severity === 'error' ? monaco.MarkerSeverity.Error : monaco.MarkerSeverity.Warning,
      message: `${d.code}: ${d.message}`,
      startLineNumber: line,
      startColumn: word?.startColumn ?? col,
      endLineNumber: line,
      endColumn: word?.endColumn ?? model.getLineMaxColumn(line),
    };
  });
}

export default function RulesView() {
  const client = useApp((s) => s.client);
  const host = useRef<HTMLDivElement>(null);
  const editor = useRef<monaco.editor.IStandaloneCodeEditor | null>(null);
  const [active, setActive] = useState<{ version: number | null; text: string } | null>(null);
  const [showing, setShowing] = useState<number | null>(null);
  const [dirty, setDirty] = useState(false);
  const [diagnostics, setDiagnostics] = useState<Diagnostic[]>([]);
  const [checkOk, setCheckOk] = useState<boolean | null>(null);
  const [history, setHistory] = useState<RuleVersion[]>([]);
  const [tab, setTab] = useState<'dry' | 'history'>('dry');
  const [facts, setFacts] = useState(sampleFacts);
  const [results, setResults] = useState<DryRunResult[] | null>(null);
  const [factIds, setFactIds] = useState<string[]>([]);
  const [error, setError] = useState<AppError | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [author, setAuthor] = useState(() => localStorage.getItem('gex-desk.author') ?? '');
  const [comment, setComment] = useState('');
  const [activating, setActivating] = useState(false);

  const loadHistory = useCallback(async () => {
    if (!client) return;
    const res = await client.call('rules:history', {});
    if (res.ok) setHistory(res.value);
  }, [client]);

  const check = useCallback(async () => {
    const model = editor.current?.getModel();
    if (!client || !model) return;
    const res = await client.call('rules:check', { text: model.getValue() });
    if (!res.ok) return setError(res.error);
    setDiagnostics(res.value.diagnostics);
    setCheckOk(res.value.ok);
    monaco.editor.setModelMarkers(model, 'gex-rules', toMarkers(model, res.value.diagnostics));
  }, [client]);

  // Create the editor once.
  useEffect(() => {
    if (!host.current) return;
    const model = monaco.editor.getModel(MODEL_URI) ?? monaco.editor.createModel('', 'json', MODEL_URI);
    const ed = monaco.editor.create(host.current, {
      model,
      theme: 'gex-dark',
      automaticLayout: true,
      minimap: { enabled: false },
      fontSize: 13,
      lineHeight: 19,
      scrollBeyondLastLine: false,
      tabSize: 2,
      renderLineHighlight: 'line',
      fixedOverflowWidgets: true,
      wordWrap: 'on',
      wrappingIndent: 'indent',
      stickyScroll: { enabled: false },
    });
    editor.current = ed;
    return () => {
      ed.dispose();
      editor.current = null;
    };
  }, []);

  // Load the schema, the active rules and the history.
  useEffect(() => {
    if (!client) return;
    let live = true;
    void (async () => {
      const [schema, rules] = await Promise.all([client.call('rules:schema', {}), client.call('rules:active', {})]);
      if (!live) return;
      if (schema.ok) {
        jsonDefaults.setDiagnosticsOptions({
          validate: true,
          allowComments: false,
          schemas: [{ uri: SCHEMA_URI, fileMatch: [MODEL_URI.toString()], schema: schema.value }],
        });
      }
      if (!rules.ok) return setError(rules.error);
      setActive(rules.value);
      setShowing(rules.value.version);
      editor.current?.getModel()?.setValue(rules.value.text);
      setDirty(false);
      void check();
      await loadHistory();
    })();
    const off = client.on('rules:activated', () => void loadHistory());
    return () => {
      live = false;
      off();
    };
  }, [client, check, loadHistory]);

  // Check as the user types (debounced).
  useEffect(() => {
    const model = editor.current?.getModel();
    if (!model) return;
    let timer = 0;
    const sub = model.onDidChangeContent(() => {
      setDirty(true);
      clearTimeout(timer);
      timer = window.setTimeout(() => void check(), 350);
    });
    return () => {
      sub.dispose();
      clearTimeout(timer);
    };
  }, [check]);

  const dryRun = async () => {
    const model = editor.current?.getModel();
    if (!client || !model) return;
    const parsed = parseFacts(facts);
    if ('error' in parsed) return setError({ code: 'VALIDATION', message: `facts: ${parsed.error}` });
    setFactIds(parsed.facts.map((f, i) => String(f.id ?? i + 1)));
    const res = await client.call('rules:dryRun', { text: model.getValue(), facts: parsed.facts });
    if (!res.ok) {
      setResults(null);
      return setError(res.error);
    }
    setError(null);
    setResults(res.value);
  };

  const activate = async () => {
    const model = editor.current?.getModel();
    if (!client || !model) return;
    if (!author.trim()) return setError({ code: 'VALIDATION', message: 'an author is required to activate rules', field: 'author' });
    localStorage.setItem('gex-desk.author', author.trim());
    const res = await client.call('rules:activate', { text: model.getValue(), author: author.trim(), comment: comment.trim() });
    if (!res.ok) return setError(res.error);
    setError(null);
    setActivating(false);
    setComment('');
    setActive({ version: res.value.version, text: model.getValue() });
    setShowing(res.value.version);
    setDirty(false);
    setNotice(`Version ${res.value.version} is now active.`);
    void loadHistory();
  };

  const view = async (version: number) => {
    if (!client) return;
    const res = await client.call('rules:get', { version });
    if (!res.ok) return setError(res.error);
    editor.current?.getModel()?.setValue(res.value.text);
    setShowing(version);
    setDirty(false);
  };

  const rollback = async (version: number) => {
    if (!client) return;
    if (!author.trim()) return setError({ code: 'VALIDATION', message: 'enter your name (author) to roll back', field: 'author' });
    const res = await client.call('rules:rollback', { version, author: author.trim() });
    if (!res.ok) return setError(res.error);
    setNotice(`Rolled back: version ${res.value.version} (the text of v${version}) is now active.`);
    const rules = await client.call('rules:active', {});
    if (rules.ok) {
      setActive(rules.value);
      setShowing(rules.value.version);
      editor.current?.getModel()?.setValue(rules.value.text);
      setDirty(false);
    }
    void loadHistory();
  };

  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = diagnostics.length - errors;

  return (
    <div className="view rules-view" data-testid="rules-view">
      <div className="toolbar">
        <span className="strong">
          {showing === null ? 'Rules' : `Version ${showing}`}
          {showing !== null && showing === active?.version ? <span className="tag ok">active</span> : null}
          {dirty && <span className="tag warn">edited</span>}
        </span>
        <span className={`check-state ${checkOk === false ? 'neg' : checkOk ? 'pos' : 'muted'}`} data-testid="rules-check">
          {checkOk === null ? 'not checked' : checkOk ? `valid${warnings ? `, ${warnings} warning(s)` : ''}` : `${errors} error(s), ${warnings} warning(s)`}
        </span>
        <span className="spacer" />
        <button className="btn" onClick={() => void check()}>
          Check
        </button>
        <button
          className="btn"
          disabled={!active}
          onClick={() => {
            if (!active) return;
            editor.current?.getModel()?.setValue(active.text);
            setShowing(active.version);
            setDirty(false);
          }}
        >
          Revert to active
        </button>
        <button className="btn primary" disabled={checkOk === false} onClick={() => setActivating(true)}>
          Activate…
        </button>
      </div>
      {notice && (
        <div className="banner ok" onClick={() => setNotice(null)}>
          {notice}
        </div>
      )}
      {error && (
        <div className="banner error" onClick={() => setError(null)}>
          <ErrorLine error={error} />
        </div>
      )}
      {activating && (
        <div className="activate-bar">
          <label>
            Author <input value={author} onChange={(e) => setAuthor(e.target.value)} placeholder="your name" />
          </label>
          <label className="grow">
            Comment <input value={comment} onChange={(e) => setComment(e.target.value)} placeholder="what changed and why" />
          </label>
          <button className="btn primary" onClick={() => void activate()}>
            Activate
          </button>
          <button className="btn ghost" onClick={() => setActivating(false)}>
            Cancel
          </button>
        </div>
      )}
      <div className="rules-body">
        <div className="editor-col">
          <div className="editor-host" ref={host} />
          {diagnostics.length > 0 && (
            <ul className="diagnostics">
              {diagnostics.map((d, i) => (
                <li
                  key={i}
                  className={d.severity}
                  onClick={() => {
                    editor.current?.revealLineInCenter(d.line);
                    editor.current?.setPosition({ lineNumber: d.line, column: d.column });
                    editor.current?.focus();
                  }}
                >
                  <span className="num">
                    {d.line}:{d.column}
                  </span>
                  <span className="error-code">{d.code}</span>
                  <span>{d.message}</span>
                </li>
              ))}
            </ul>
          )}
        </div>
        <div className="rules-side">
          <div className="segmented">
            <button className={tab === 'dry' ? 'on' : ''} onClick={() => setTab('dry')}>
              Dry run
            </button>
            <button className={tab === 'history' ? 'on' : ''} onClick={() => setTab('history')}>
              History <span className="num muted">{history.length}</span>
            </button>
          </div>
          {tab === 'dry' ? (
            <div className="dry-run">
              <div className="muted small">Facts, one JSON object a line (or a JSON array). The edited rules decide; nothing is stored.</div>
              <textarea className="facts-input" value={facts} onChange={(e) => setFacts(e.target.value)} spellCheck={false} />
              <div className="row-actions">
                <button className="btn primary" onClick={() => void dryRun()}>
                  Run
                </button>
                <button className="btn ghost" onClick={() => setFacts(sampleFacts())}>
                  Reset examples
                </button>
              </div>
              {results && (
                <table className="grid-table">
                  <thead>
                    <tr>
                      <th>Fact</th>
                      <th>Level</th>
                      <th>Rule</th>
                      <th>Explanation</th>
                    </tr>
                  </thead>
                  <tbody>
                    {results.map((r, i) => (
                      <tr key={i}>
                        <td className="mono">{factIds[i]}</td>
                        {'error' in r ? (
                          <td colSpan={3}>
                            <ErrorLine error={r.error} />
                          </td>
                        ) : (
                          <>
                            <td>
                              <LevelBadge level={r.priority} />
                            </td>
                            <td className="mono">{r.rule}</td>
                            <td className="expl">{r.explanation}</td>
                          </>
                        )}
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
            </div>
          ) : (
            <table className="grid-table history">
              <thead>
                <tr>
                  <th className="num">v</th>
                  <th>When</th>
                  <th>Author</th>
                  <th>Comment</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {history.map((h) => (
                  <tr key={h.version} className={h.active ? 'active' : ''}>
                    <td className="num">{h.version}</td>
                    <td className="mono">{stamp(h.created_at)}</td>
                    <td>{h.author}</td>
                    <td className="expl">{h.comment}</td>
                    <td className="actions">
                      <button className="btn tiny" onClick={() => void view(h.version)}>
                        View
                      </button>
                      {!h.active && (
                        <button className="btn tiny" onClick={() => void rollback(h.version)}>
                          Roll back
                        </button>
                      )}
                      {h.active && <span className="tag ok">active</span>}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
      </div>
    </div>
  );
}
