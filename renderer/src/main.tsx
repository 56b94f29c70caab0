// Entry of the UI: picks the transport (Electron's window.gex or the browser host's
// HTTP/WebSocket client) and mounts the app.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import { getClient } from './api/client.ts';
import './styles/base.css';
import './styles/badges.css';
import './styles/dialogs.css';
import './styles/tables.css';
import './styles/queue.css';
import './styles/snapshots.css';
import './styles/workbench.css';
import './styles/audit.css';
import './styles/rules.css';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App client={getClient()} />
  </StrictMode>,
);
