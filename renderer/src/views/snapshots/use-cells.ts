// A snapshot's strike × expiry cells as the workbench needs them: those of the window
// around spot it shows (`snapshots:cells` with window_share; 0: every strike), asked
// again when the window changes. A 30× SPX chain's every cell made 40.9 MB of JSON to
// draw the spot ± 10 % window; null while the cells of this (id, window) are on their way.
import { useEffect, useRef, useState } from 'react';
import type { SnapshotCells } from '../../../../shared/api.ts';
import { useApp } from '../../state/store.ts';

/**
 * The cells of `id` within spot ± `share` (0: all), or null until they arrive (or should
 * the call fail); `share` null asks for none. `onArrive` runs as they come.
 */
export function useCells(
  id: string,
  share: number | null,
  onArrive?: (id: string) => void,
): SnapshotCells | null {
  const client = useApp((s) => s.client);
  const [got, setGot] = useState<{ key: string; cells: SnapshotCells | null } | null>(null);
  const arrive = useRef(onArrive);
  useEffect(() => {
    arrive.current = onArrive;
  });
  const key = `${id} ${share}`;
  useEffect(() => {
    if (!client || share === null) return;
    let live = true;
    void client
      .call('snapshots:cells', share > 0 ? { id, window_share: share } : { id })
      .then((res) => {
        if (!live) return;
        arrive.current?.(id);
        setGot({ key, cells: res.ok ? res.value : null });
      });
    return () => {
      live = false;
    };
  }, [client, id, share, key]);
  return got?.key === key ? got.cells : null;
}
