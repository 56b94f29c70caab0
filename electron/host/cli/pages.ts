// A list longer than one API call may return (jobs, snapshots, the audit trail), read a
// page at a time: each call goes on after the last item of the one before.
import { ok, type Result } from '../../../shared/result.ts';

/** What one call may list (the API's own bound on `limit`). */
const PAGE = 10_000;

/**
 * A whole list, or its first `limit` items, read a page at a time (each page `after` the
 * last one's id) and handed to `take` as it comes: a desk's year of jobs or snapshots is
 * listed whole, never cut at one call's bound.
 */
export async function eachPage<T extends { id: string | number }>(
  call: (page: number, after: T['id'] | undefined) => Promise<Result<T[]>>,
  limit: number | undefined,
  take: (items: T[]) => void,
): Promise<Result<void>> {
  let after: T['id'] | undefined;
  for (let left = limit ?? Infinity; left > 0;) {
    const page = Math.min(PAGE, left);
    const r = await call(page, after);
    if (!r.ok) return r;
    take(r.value);
    if (r.value.length < page) break;
    left -= r.value.length;
    after = r.value.at(-1)!.id;
  }
  return ok(undefined);
}
