// The underlyings on the levels board, each with its latest snapshot: what the History
// and Compare views offer to choose from.
import { useEffect, useState } from 'react';
import type { LevelsRow } from '../../../../shared/api.ts';
import { useApp } from '../../state/store.ts';

export function useLevels(): LevelsRow[] {
  const client = useApp((s) => s.client);
  const [rows, setRows] = useState<LevelsRow[]>([]);
  useEffect(() => {
    if (!client) return;
    void client.call('snapshots:levels', {}).then((r) => r.ok && setRows(r.value));
  }, [client]);
  return rows;
}
