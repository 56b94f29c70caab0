// The snapshot History's address names (`history/SPX/ID`) when it is not one of the
// underlying's points as loaded. A link may give the id's first characters: the one
// point whose id begins so is replayed, the address written with the whole id, in place
// (no step for Back), as the other routes complete theirs. The one replayed until it went
// from the points (removed meanwhile) leaves the replay at the newest, in place. Else the
// engine is asked (`snapshots:get`, as the other routes ask): a snapshot of this
// underlying is completed the same way; a start that begins several ids, an id or start
// of none, or a snapshot of another underlying is said on the page (the newest replayed),
// the address left as the analyst gave it.
import { useEffect, useRef, useState } from 'react';
import type { HistoryPoint } from '../../../../shared/api.ts';
import type { AppError } from '../../../../shared/result.ts';
import { useApp } from '../../state/store.ts';
import { panePath, useCompletePane } from '../../state/workbench.ts';
import { FULL_ID, idShaped, MIN_ID_START, notAnId } from '../../text/ids.ts';

/** The pane's address: the underlying and the snapshot replayed, none for the newest. */
export const historyPane = (underlying: string, replayed?: string) =>
  panePath('history', underlying, replayed || undefined);

/** Why the address's id names no snapshot of the underlying, and where it is, if anywhere. */
export type Unresolved = {
  error: AppError;
  /** The snapshot it names, of another underlying. */
  elsewhere?: { underlying: string; id: string };
};

export function useReplayed(
  underlying: string,
  replayed: string | undefined,
  points: HistoryPoint[] | null,
): Unresolved | null {
  const client = useApp((s) => s.client);
  const [said, setSaid] = useState<{ of: string; unresolved: Unresolved } | null>(null);
  const of = `${underlying}/${replayed ?? ''}`;
  // The address last seen replaying one of the points.
  const replaying = useRef<string | null>(null);
  const completePane = useCompletePane();

  useEffect(() => {
    if (!replayed || !points) return;
    if (points.some((p) => p.id === replayed)) {
      replaying.current = of;
      return;
    }
    // Replayed here until it was removed: the newest, as before it was chosen.
    if (replaying.current === of) return completePane(historyPane(underlying));
    const complete = (id: string) => completePane(historyPane(underlying, id));
    if (replayed.length >= MIN_ID_START && replayed.length < FULL_ID) {
      const mine = points.filter((p) => p.id.startsWith(replayed));
      if (mine.length === 1) return complete(mine[0]!.id);
    }
    // No id's shape (a crafted address): said here, never sent to the engine.
    if (!idShaped(replayed)) return;
    if (!client) return;
    let live = true;
    void client.call('snapshots:get', { id: replayed }).then((r) => {
      if (!live) return;
      if (r.ok) {
        const s = r.value.snapshot;
        if (s.underlying === underlying) {
          // Not among the points as loaded (one arriving): completed, replayed once they are.
          if (s.id !== replayed) complete(s.id);
          return;
        }
        return setSaid({
          of,
          unresolved: {
            error: {
              code: 'VALIDATION',
              message: `${replayed} is a snapshot of ${s.underlying}, not of ${underlying}.`,
              field: 'id',
            },
            elsewhere: { underlying: s.underlying, id: s.id },
          },
        });
      }
      setSaid({ of, unresolved: { error: r.error } });
    });
    return () => {
      live = false;
    };
  }, [client, underlying, replayed, points, of, completePane]);

  if (replayed && points && !points.some((p) => p.id === replayed) && !idShaped(replayed))
    return { error: notAnId(replayed).error };
  const shown = said?.of === of && !points?.some((p) => p.id === replayed);
  return shown ? said.unresolved : null;
}
