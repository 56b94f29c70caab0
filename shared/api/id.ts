// An id a request names (a job's, a request's, a snapshot's, or the start of one): the
// app's ids are UUIDs (36 characters), typed as their first few hex characters. Bounded
// here, where the request enters the engine, so that a huge "id" (5 MB) is refused before
// any work instead of being looked up and echoed.
import { z } from 'zod';

/** The longest id taken: far beyond a UUID, short of a text. */
export const ID_MAX = 200;

/** An id as a request gives it: at most ID_MAX characters (VALIDATION beyond). */
export const IdText = z.string().max(ID_MAX, `an id has at most ${ID_MAX} characters`);

/** A non-empty id as a request gives it. */
export const Id = IdText.min(1);
