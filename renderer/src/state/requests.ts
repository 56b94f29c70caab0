// Stored requests (file, author, the facts at arrival), fetched when a row needs
// them: the Queue asks for the rows on screen (its as-of column) and the job drawer
// for its job. A request is fetched once, and once more when its job's decision lands:
// the read that decides a job writes the request's facts (total volume and open
// interest, the derived age, freshness, impact) after a row may have asked for it.
// Asks made in the same moment go out as one call.
import type { RequestRecord } from '../../../shared/api.ts';
import { byIdCache } from './by-id-cache.ts';

export const useRequests = byIdCache<RequestRecord>((client, ids) =>
  client.call('requests:get', { ids }),
);

/** The as-of of a request's data, when its facts are known. */
export const asOfOf = (r: RequestRecord | undefined): string | null =>
  typeof r?.facts?.as_of === 'string' ? r.facts.as_of : null;
