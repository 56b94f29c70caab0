// Ids as an analyst types them: the start of one, as git takes the start of a commit's.
// The tables print ids in full (36 characters); a person types the first few. Written
// once for snapshots (analytics) and jobs, so that both take the same starts and say an
// ambiguous one the same way.
import { err, ok, type Result } from '../../../shared/result.ts';
import { echoed } from '../../../shared/visible.ts';

/** The fewest characters of an id taken as its start. */
export const MIN_ID_START = 4;
/**
 * An id as it is looked up: the app's ids are UUIDs, written in lower case, and an analyst's
 * may come in capitals (Excel, Windows and .NET GUID tools write them so) or with a space
 * copied from a terminal or a mail around it. Every lookup of an id or its start an analyst
 * gives (jobNamed, the analytics' snapshots, a request's audit trail) takes this form of it,
 * so that the app, serve and the command line find the same; messages name the id as given.
 */
export const idKey = (given: string): string => given.trim().toLowerCase();

/** Ids read to tell one from several, and named in the message when a start is ambiguous. */
export const AMBIGUOUS_SHOWN = 5;

/**
 * The one id among those that begin with `start` (at most AMBIGUOUS_SHOWN of them, read
 * in id order); undefined when none does; VALIDATION naming them when several do.
 */
export function onlyId(
  start: string,
  ids: Iterable<string>,
  noun: string,
): Result<string> | undefined {
  const [only, ...others] = [...new Set(ids)].sort();
  if (only === undefined) return undefined;
  if (others.length === 0) return ok(only);
  const n = others.length + 1;
  return err(
    'VALIDATION',
    `${echoed(start)} begins the ids of ${n >= AMBIGUOUS_SHOWN ? `${AMBIGUOUS_SHOWN} or more` : n} ${noun}s (${[only, ...others].slice(0, AMBIGUOUS_SHOWN).join(', ')}); give more of the id.`,
    { field: 'id' },
  );
}
