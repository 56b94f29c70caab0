// Ids as a link gives them: in full, or their first characters (as the engine and the
// command line take them, electron/engine/store/id-start.ts). The views that complete a
// start, or say why it names no snapshot, tell the two apart by length.

/** The length of an id in full (a UUID): anything shorter is its first characters. */
export const FULL_ID = 36;
/** The fewest first characters taken as an id's start (the engine's MIN_ID_START). */
export const MIN_ID_START = 4;
