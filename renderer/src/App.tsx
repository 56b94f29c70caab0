// The application frame: navigation, the header with "Open files", the active view,
// the submissions panel and the status bar; files dropped anywhere open the submit
// dialog.
import { lazy, Suspense, useEffect } from 'react';
import type { GexClient } from './api/client.ts';
import { useApp, type View } from './state/store.ts';
import { StatusBar } from './components/StatusBar.tsx';
import { DropTarget } from './components/DropTarget.tsx';
import { OpenFilesButton } from './components/OpenFilesButton.tsx';
import { SubmitDialog } from './components/SubmitDialog.tsx';
import { SubmissionsPanel } from './components/SubmissionsPanel.tsx';
import { QueueView } from './views/QueueView.tsx';
import { SnapshotsView } from './views/SnapshotsView.tsx';
import { AuditView } from './views/AuditView.tsx';

// Monaco is large: load it only when the rules view is opened.
const RulesView = lazy(() => import('./views/RulesView.tsx'));

const NAV: { view: View; label: string; hint: string }[] = [
  { view: 'queue', label: 'Queue', hint: 'Jobs waiting and running, per level' },
  { view: 'snapshots', label: 'Snapshots', hint: 'Computed GEX snapshots' },
  { view: 'rules', label: 'Rules', hint: 'Priority rules: edit, dry-run, activate' },
  { view: 'audit', label: 'Audit', hint: 'Every decision, escalation and change' },
];

export function App({ client }: { client: GexClient }) {
  const view = useApp((s) => s.view);
  const setView = useApp((s) => s.setView);
  const pending = useApp((s) => s.pending);
  const activeCount = useApp((s) => (s.stats ? s.stats.totals.queued + s.stats.totals.running : null));

  useEffect(() => useApp.getState().start(client), [client]);

  return (
    <DropTarget>
      <div className="app">
        <header className="topbar">
          <div className="brand">
            <span className="brand-mark">Γ</span> GEX Desk
          </div>
          <nav className="tabs" aria-label="Views">
            {NAV.map((n) => (
              <button
                key={n.view}
                className={`tab ${view === n.view ? 'active' : ''}`}
                title={n.hint}
                onClick={() => setView(n.view)}
                data-view={n.view}
              >
                {n.label}
                {n.view === 'queue' && activeCount ? <span className="tab-count">{activeCount}</span> : null}
              </button>
            ))}
          </nav>
          <div className="topbar-actions">
            <OpenFilesButton />
          </div>
        </header>
        <div className="body">
          <main className="content">
            {view === 'queue' && <QueueView />}
            {view === 'snapshots' && <SnapshotsView />}
            {view === 'rules' && (
              <Suspense fallback={<div className="empty">Loading the editor…</div>}>
                <RulesView />
              </Suspense>
            )}
            {view === 'audit' && <AuditView />}
          </main>
          <SubmissionsPanel />
        </div>
        <StatusBar />
      </div>
      {pending && <SubmitDialog files={pending} />}
    </DropTarget>
  );
}
