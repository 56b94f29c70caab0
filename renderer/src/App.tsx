// The application frame: a skip link, the views' navigation (each view and its open
// item has an address, so reloads and bookmarks keep them), "Open files", the
// active view, the collapsible submissions panel and the status bar; files dropped
// anywhere open the submit dialog. A browser tab the host refuses (401) says so. A move
// to another view lands the keyboard's focus on it (route-focus.ts).
import { lazy, Suspense, useEffect, useState } from 'react';
import type { GexClient } from './api/client.ts';
import { jobTotals, useApp, type View } from './state/store.ts';
import { int } from './text/numbers.ts';
import { useSubmissions } from './state/submissions.ts';
import { bindRoute } from './state/bind-route.ts';
import { bindRouteFocus } from './state/route-focus.ts';
import { StatusBar } from './components/StatusBar.tsx';
import { EngineProblem } from './components/EngineProblem.tsx';
import { Unreachable } from './components/Unreachable.tsx';
import { DropTarget } from './components/DropTarget.tsx';
import { OpenFilesButton } from './components/OpenFilesButton.tsx';
import { SubmitDialog } from './components/SubmitDialog.tsx';
import { SubmissionsPanel } from './components/SubmissionsPanel.tsx';
import { Announcer } from './components/Announcer.tsx';
import { TokenScreen } from './components/TokenScreen.tsx';
import { ViewBoundary } from './components/ViewBoundary.tsx';
import { QueueView } from './views/QueueView.tsx';
import { SnapshotsView } from './views/SnapshotsView.tsx';
import { AuditView } from './views/AuditView.tsx';
import { SourcesView } from './views/SourcesView.tsx';

// Monaco is large: load it only when the rules view is opened. A failed load is
// remembered by React.lazy: trying again takes a new one.
const loadRulesView = () => lazy(() => import('./views/RulesView.tsx'));
let RulesView = loadRulesView();
function retryRulesView(): void {
  // A stylesheet that failed to arrive stays in the document, and Vite would take it as
  // loaded: drop it so that the new import fetches it again.
  for (const link of document.querySelectorAll<HTMLLinkElement>('link[rel=stylesheet]'))
    if (link.sheet === null) link.remove();
  RulesView = loadRulesView();
}

const NAV: { view: View; label: string; hint: string }[] = [
  { view: 'queue', label: 'Queue', hint: 'Jobs waiting and running, per level' },
  { view: 'snapshots', label: 'Snapshots', hint: 'Computed GEX snapshots' },
  { view: 'rules', label: 'Rules', hint: 'Priority rules: edit, dry-run, activate' },
  { view: 'audit', label: 'Audit', hint: 'Every decision, escalation and change' },
  { view: 'sources', label: 'Sources', hint: 'Data sources: their record and reliability' },
];

export function App({ client }: { client: GexClient }) {
  const view = useApp((s) => s.view);
  const [, setAttempt] = useState(0);
  const unauthorized = useApp((s) => s.unauthorized);
  const pending = useSubmissions((s) => s.pending);
  // Waiting and running: the database's count past the jobs listed (jobTotals).
  const active = useApp((s) => {
    const t = jobTotals(s);
    return t.queued + t.running;
  });

  useEffect(() => useApp.getState().start(client), [client]);
  useEffect(() => bindRoute(), []);
  useEffect(() => bindRouteFocus(), []);
  useEffect(() => {
    document.title = `${NAV.find((n) => n.view === view)?.label ?? ''} · GEX Desk`;
  }, [view]);

  if (unauthorized) return <TokenScreen why={unauthorized} />;

  return (
    <DropTarget>
      <a
        className="skip-link"
        href="#main"
        onClick={(e) => {
          e.preventDefault();
          document.getElementById('main')?.focus();
        }}
      >
        Skip to the content
      </a>
      <div className="app">
        <header className="topbar">
          <div className="brand">
            <span className="brand-mark" aria-hidden>
              Γ
            </span>{' '}
            GEX Desk
          </div>
          <nav className="tabs" aria-label="Views">
            {NAV.map((n) => (
              <a
                key={n.view}
                href={`#/${n.view}`}
                className={`tab ${view === n.view ? 'active' : ''}`}
                aria-current={view === n.view ? 'page' : undefined}
                title={n.hint}
                onClick={(e) => {
                  e.preventDefault();
                  useApp.getState().setView(n.view);
                }}
                data-view={n.view}
              >
                {n.label}
                {n.view === 'queue' && active ? (
                  <span className="tab-count" aria-label={`${int(active)} active`}>
                    {int(active)}
                  </span>
                ) : null}
              </a>
            ))}
          </nav>
          <div className="topbar-actions">
            <OpenFilesButton />
          </div>
        </header>
        <div className="body">
          <main className="content" id="main" tabIndex={-1}>
            <Unreachable />
            <EngineProblem />
            <ViewBoundary
              key={view}
              label={NAV.find((n) => n.view === view)?.label ?? view}
              onRetry={
                view === 'rules'
                  ? () => {
                      retryRulesView();
                      setAttempt((n) => n + 1);
                    }
                  : undefined
              }
            >
              {view === 'queue' && <QueueView />}
              {view === 'snapshots' && <SnapshotsView />}
              {view === 'rules' && (
                <Suspense fallback={<div className="empty">Loading the editor…</div>}>
                  <RulesView />
                </Suspense>
              )}
              {view === 'audit' && <AuditView />}
              {view === 'sources' && <SourcesView />}
            </ViewBoundary>
          </main>
          <SubmissionsPanel />
        </div>
        <StatusBar />
      </div>
      <Announcer />
      {pending && <SubmitDialog files={pending} />}
    </DropTarget>
  );
}
