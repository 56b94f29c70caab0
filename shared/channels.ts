// Names both ends of a transport must agree on: the Electron IPC channels, the browser
// host's header, paths and socket messages. Dependency-free on purpose: the sandboxed
// preload bundles everything it imports, and importing these from shared/api.ts would
// pull zod into it (about 200 KB for a few strings).

/** Electron: the one invoke channel every call goes over, and the event channel. */
export const IPC_CALL_CHANNEL = 'gex:call';
export const IPC_EVENT_CHANNEL = 'gex:event';

/** Browser host: the per-launch token travels in this header on every API request. */
export const TOKEN_HEADER = 'x-gex-token';
/** The query parameter of the printed address that carries the token to the page. */
export const TOKEN_QUERY = 'token';

/** Browser host endpoints. */
export const CALL_PATH = '/api/call/';
export const UPLOAD_PATH = '/api/upload';
export const EVENTS_PATH = '/api/events';

/**
 * The event socket's handshake: a browser's WebSocket cannot send headers, so the page's
 * first message is `{"type": "auth", "token": …}`; the host answers `{"type": "ready"}`
 * and only then sends events, or closes with SOCKET_UNAUTHORIZED.
 */
export const SOCKET_AUTH = 'auth';
export const SOCKET_READY = 'ready';
/** Close code (application range 4000–4999) for a missing or wrong token; 4000 + HTTP 401. */
export const SOCKET_UNAUTHORIZED = 4401;

/** The desktop app's own origin: the renderer is served on app://gex/. */
export const APP_SCHEME = 'app';
export const APP_HOST = 'gex';

/**
 * The command line's local endpoint beside a running engine (electron/host/local/): the
 * browser host's HTTP + WebSocket protocol (CALL_PATH, EVENTS_PATH, TOKEN_HEADER, the
 * socket's first-message token) over a Unix socket or named pipe, found through a
 * discovery file. Bumped when that protocol changes incompatibly; a command ignores an
 * engine of another version.
 */
export const LOCAL_PROTOCOL = 1;

/**
 * Electron: the desktop app's folder actions, outside the API map because only a desktop
 * has them: `choose` (the native folder picker; the chosen path, or null when cancelled)
 * and `open` (shows one of the inbox's folders in the file manager; no other path).
 */
export const IPC_FOLDER_CHANNEL = 'gex:folder';
