// The only bridge between the sandboxed renderer and the app: `window.gex`, the typed
// API of shared/api.ts over two IPC channels (one for calls, one for events), plus
// the path of a dropped or chosen file, and the desktop's folder actions (the native
// folder picker, opening an inbox folder; main/folders.ts). Nothing else is exposed; in particular no
// ipcRenderer, so the page cannot reach any other channel. It imports only types from
// shared/api.ts and its channel names from the dependency-free shared/channels.ts, so
// that the bundle stays a few KB (no zod; the main process validates every call).
import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron';
import type {
  CallName,
  CallRequest,
  CallResponse,
  EventName,
  EventPayload,
  GexBridge,
} from '../../shared/api.ts';
import { IPC_CALL_CHANNEL, IPC_EVENT_CHANNEL, IPC_FOLDER_CHANNEL } from '../../shared/channels.ts';
import type { Result } from '../../shared/result.ts';

type Listener = (payload: unknown) => void;
const listeners = new Map<string, Set<Listener>>();

ipcRenderer.on(IPC_EVENT_CHANNEL, (_e: IpcRendererEvent, name: unknown, payload: unknown) => {
  if (typeof name !== 'string') return;
  for (const l of listeners.get(name) ?? []) {
    try {
      l(payload);
    } catch (err) {
      console.error(`gex: a listener of ${name} threw`, err);
    }
  }
});

const bridge: GexBridge = {
  call<K extends CallName>(name: K, request: CallRequest<K>): Promise<Result<CallResponse<K>>> {
    return ipcRenderer.invoke(IPC_CALL_CHANNEL, name, request) as Promise<Result<CallResponse<K>>>;
  },
  on<K extends EventName>(event: K, listener: (payload: EventPayload<K>) => void): () => void {
    const set = listeners.get(event) ?? new Set<Listener>();
    listeners.set(event, set);
    const l = listener as Listener;
    set.add(l);
    return () => {
      set.delete(l);
    };
  },
  chooseFolder(defaultPath?: string): Promise<Result<string | null>> {
    return ipcRenderer.invoke(IPC_FOLDER_CHANNEL, 'choose', defaultPath ?? '') as Promise<
      Result<string | null>
    >;
  },
  openFolder(path: string): Promise<Result<null>> {
    return ipcRenderer.invoke(IPC_FOLDER_CHANNEL, 'open', path) as Promise<Result<null>>;
  },
  pathForFile(file: File): string {
    try {
      return webUtils.getPathForFile(file);
    } catch {
      return '';
    }
  },
};

contextBridge.exposeInMainWorld('gex', bridge);
