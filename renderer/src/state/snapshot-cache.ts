// The snapshots of the Queue's rows on screen (their quality badges), whatever their age:
// the store's list holds only the newest 200 and those made since, and a desk's completed
// jobs soon pass that. Asked by id (`snapshots:many`) for the rows shown, asks made in the
// same moment going out as one call, so that 10,000 jobs cost the rows seen, not the list.
// A snapshot never changes once stored; one removed leaves the cache.
import type { GEXSnapshot } from '../../../shared/domain.ts';
import { byIdCache } from './by-id-cache.ts';

export const useSnapshotCache = byIdCache<GEXSnapshot>((client, ids) =>
  client.call('snapshots:many', { ids }),
);
