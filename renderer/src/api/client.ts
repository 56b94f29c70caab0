// The renderer's one handle on the engine. It cannot tell the transports apart:
// inside Electron it is the preload's `window.gex` (IPC), in a browser it is the
// HTTP + WebSocket client. The only difference that shows is how a chosen file
// reaches the engine: Electron knows its path, a browser must upload it first.
import type {
  CallName,
  CallRequest,
  CallResponse,
  EventName,
  EventPayload,
  GexApi,
  GexBridge,
  UploadReceipt,
} from '../../../shared/api.ts';
import type { Result } from '../../../shared/result.ts';
import { createHttpClient } from './http.ts';
import { engineWatch } from './silence.ts';

declare global {
  interface Window {
    /** Present only inside the Electron app (electron/preload). */
    gex?: GexBridge;
  }
}

/** A file the engine can read: `path` on the engine's machine, ready for `ingest:submit`. */
export type StagedFile = Omit<UploadReceipt, 'upload'>;

/**
 * Why a browser tab is refused: it had no token, the server never took the one it had
 * (wrong or cut short), or the server no longer takes the one it had in use (restarted).
 */
export type Unauthorized = 'none' | 'wrong' | 'refused';

export interface GexClient extends GexApi {
  transport: 'ipc' | 'http';
  /** Makes a chosen/dropped file available to the engine (path lookup or upload). */
  stage(file: File, onProgress?: (fraction: number) => void): Promise<Result<StagedFile>>;
  /** Called with true/false when the live event stream connects or drops. */
  onConnection(listener: (connected: boolean) => void): () => void;
  /** Called once the engine refuses our credentials (a browser tab without its launch's token). */
  onUnauthorized(listener: (why: Unauthorized) => void): () => void;
  /** The desktop app's folder actions (a native picker, the file manager); absent in a browser. */
  folders?: {
    choose(defaultPath?: string): Promise<Result<string | null>>;
    open(path: string): Promise<Result<null>>;
  };
}

function ipcClient(bridge: GexBridge): GexClient {
  return {
    transport: 'ipc',
    call: <K extends CallName>(name: K, req: CallRequest<K>): Promise<Result<CallResponse<K>>> =>
      bridge.call(name, req),
    on: <K extends EventName>(event: K, listener: (p: EventPayload<K>) => void) =>
      bridge.on(event, listener),
    async stage(file) {
      const path = bridge.pathForFile(file);
      if (!path) {
        return {
          ok: false,
          error: {
            code: 'FILE_NOT_FOUND',
            message: `${file.name}: this file has no path on disk`,
            file: file.name,
          },
        };
      }
      return { ok: true, value: { path, name: file.name, bytes: file.size } };
    },
    onConnection(listener) {
      listener(true);
      return () => {};
    },
    // The preload's channel has no credentials to refuse.
    onUnauthorized: () => () => {},
    folders: {
      choose: (defaultPath) => bridge.chooseFolder(defaultPath),
      open: (path) => bridge.openFolder(path),
    },
  };
}

/** Every call watched for an engine that stops answering (silence.ts); none is timed out. */
function watchCalls(inner: GexClient): GexClient {
  return {
    ...inner,
    async call<K extends CallName>(name: K, req: CallRequest<K>) {
      const ticket = engineWatch.sent();
      try {
        return await inner.call(name, req);
      } finally {
        engineWatch.answered(ticket);
      }
    },
  };
}

let client: GexClient | null = null;

export function getClient(): GexClient {
  client ??= watchCalls(window.gex ? ipcClient(window.gex) : createHttpClient(window.location));
  return client;
}
