// The desktop transport of the API: one invoke channel for every call, dispatched by
// name through the same validating dispatcher the browser host uses, and one event
// channel the engine's events are forwarded on. A call is served only when it comes
// from our own window's main frame, loaded from our own origin.
import { ipcMain, type IpcMainInvokeEvent, type WebContents } from 'electron';
import { events as eventMap, type EventName } from '../../shared/api.ts';
import { IPC_CALL_CHANNEL, IPC_EVENT_CHANNEL } from '../../shared/channels.ts';
import { err } from '../../shared/result.ts';
import type { Dispatch, HostedEngine } from '../host/handlers.ts';

export type SenderCheck = (event: IpcMainInvokeEvent) => boolean;

/** Serves `gex:call` (and nothing else); returns a function that removes the handler. */
export function registerCallChannel(dispatch: Dispatch, isTrusted: SenderCheck): () => void {
  ipcMain.handle(IPC_CALL_CHANNEL, async (event, name: unknown, payload: unknown) => {
    if (!isTrusted(event))
      return err('INVALID_REQUEST', 'calls are accepted only from the GEX Desk window');
    if (typeof name !== 'string') return err('NOT_FOUND', 'the call name must be a string');
    return dispatch(name, payload);
  });
  return () => ipcMain.removeHandler(IPC_CALL_CHANNEL);
}

/** Forwards every engine event to the window while it lives. */
export function forwardEvents(
  engine: Pick<HostedEngine, 'events'>,
  target: () => WebContents | null,
): () => void {
  const offs = (Object.keys(eventMap) as EventName[]).map((name) =>
    engine.events.on(name, (payload) => {
      const wc = target();
      if (wc && !wc.isDestroyed()) wc.send(IPC_EVENT_CHANNEL, name, payload);
    }),
  );
  return () => {
    for (const off of offs) off();
  };
}

/**
 * True when the call comes from the main frame of `contents` and that frame shows a
 * page of `origin` (app://gex in a built app, the dev server's origin under `npm start`).
 */
export function senderCheck(contents: () => WebContents | null, origin: string): SenderCheck {
  return (event) => {
    const wc = contents();
    if (!wc || event.sender !== wc) return false;
    const frame = event.senderFrame;
    if (!frame || frame !== wc.mainFrame) return false;
    try {
      // Not URL.origin: Node gives "null" as the origin of custom schemes such as app://.
      const url = new URL(frame.url);
      return `${url.protocol}//${url.host}` === origin;
    } catch {
      return false;
    }
  };
}
