// The facts reads in words, one phrase for the status bar and `gex-desk queue`. A request
// the rules cannot decide at its arrival waits for a worker to read its file's facts (open
// interest, volume, GEX change; docs/scheduler.md, "Deciding"); the workers figure alone
// said "0/1 (+1)", nothing busy, while those reads ran and the files stayed "deciding".

/**
 * `reading` of the `deciding` files (waiting for or in their facts read) hold a worker now:
 * "reading 3 files", "reading 1 of 3 files", "3 files to read" (none read now: a paused
 * queue, a wait for an earlier file of their underlying, a retry); null when none waits.
 */
export function readsPhrase(reading: number, deciding: number): string | null {
  if (deciding <= 0) return null;
  const files = `${deciding.toLocaleString('en-US')} ${deciding === 1 ? 'file' : 'files'}`;
  const now = Math.min(Math.max(reading, 0), deciding);
  if (now === 0) return `${files} to read`;
  if (now === deciding) return `reading ${files}`;
  return `reading ${now.toLocaleString('en-US')} of ${files}`;
}

/** Why a file is read before its job runs, as a title or a command's note says it. */
export const READS_WHY = "a file's facts are read before the rules can give its level";
