// An id a request names (a job's, a request's, a snapshot's, or the start of one): the
// app's ids are UUIDs (36 characters), typed as their first few hex characters. Bounded
// here, where the request enters the engine, so that a huge "id" (5 MB) is refused before
// any work instead of being looked up and echoed. IdShape is the stricter form an id has
// wherever the app writes one (a link, an address): the renderer checks an address's id
// against it before asking the engine, so that a link carrying a sentence is never sent.
import { z } from 'zod';

/** The longest id taken: far beyond a UUID, short of a text. */
export const ID_MAX = 200;

/** An id as a request gives it: at most ID_MAX characters (VALIDATION beyond). */
export const IdText = z.string().max(ID_MAX, `an id has at most ${ID_MAX} characters`);

/** A non-empty id as a request gives it. */
export const Id = IdText.min(1);

/** The length of an id in full (a UUID): anything shorter is its first characters. */
export const FULL_ID = 36;
/** The fewest first characters taken as an id's start (the engine's MIN_ID_START). */
export const MIN_ID_START = 4;
/** The longest text taken as an id's shape: room beyond a UUID for ids stored otherwise. */
export const ID_SHAPE_MAX = 64;

/**
 * An id or its start as the app writes them (a job's, a request's, a snapshot's): at least
 * MIN_ID_START hex digits, then hex digits and dashes (no sentence can be written so), at
 * most ID_SHAPE_MAX characters. Not FULL_ID at most: an id stored longer than a UUID
 * (`c001-<uuid>`, `<uuid>-2`, as tests copy rows) stays one.
 */
export const IdShape = z
  .string()
  .max(ID_SHAPE_MAX)
  .regex(new RegExp(`^[0-9a-f]{${MIN_ID_START}}[0-9a-f-]*$`, 'i'));
