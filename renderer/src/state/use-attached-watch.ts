// Another desk writes and removes snapshots in the export folders this desk attaches,
// with no event of this desk's engine: while Snapshots is open (the levels board, History,
// Compare, a snapshot's workbench: the views that read attached folders), the engine is
// asked every few seconds whether their listings changed (snapshots:attachedCheck). It
// looks at directories' modification times only, listing again just those that moved
// (electron/engine/attached-watch.ts: an unchanged folder of 1,000 snapshots in 1,000
// date folders is 1,005 stats, 15–30 ms measured, no file read), and announces snapshots:attachedChanged, on which the
// views load again (store.ts: attachedChanges) and an open snapshot removed there closes
// with the note a removed local one gets. Chosen over reloading the board every few
// seconds, which would read every attached folder's latest files each time for nothing.
// Closed, nothing is asked; one look at a time (the next is timed from the answer).
import { useEffect } from 'react';
import { useApp } from './store.ts';

/** How often an open Snapshots view asks. */
export const ATTACHED_CHECK_MS = 3000;

export function useAttachedWatch(everyMs = ATTACHED_CHECK_MS): void {
  const client = useApp((s) => s.client);
  useEffect(() => {
    if (!client) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let closed = false;
    const look = () => {
      void client.call('snapshots:attachedCheck', {}).then(
        () => {
          if (!closed) timer = setTimeout(look, everyMs);
        },
        () => {
          if (!closed) timer = setTimeout(look, everyMs);
        },
      );
    };
    look();
    return () => {
      closed = true;
      clearTimeout(timer);
    };
  }, [client, everyMs]);
}
