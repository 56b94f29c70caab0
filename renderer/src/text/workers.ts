// The status bar's workers figure, and the facts reads beside it, in words. Workers run
// jobs and also read files' facts (a request the rules cannot decide at its arrival waits
// for that read: docs/scheduler.md, "Deciding"); the figure counted jobs only, and during a
// burst of such files said "0/1 (+1)", nothing busy, while they were read and waited.
import { readsPhrase } from '../../../shared/facts-reads.ts';
import { plural } from './words.ts';

export interface WorkersNow {
  /** The pool's workers, the spare included (`queue:stats` `workers`). */
  workers: number;
  /** Of them, those kept for CRITICAL work only (0: none known). */
  spare: number;
  /** Jobs computing now (the job list's running ones). */
  running: number;
  /** Facts reads holding a worker now (`queue:stats` `totals.reading`). */
  reading: number;
}

/**
 * Busy workers of those the workers setting gives, the spare apart: "0/1 (+1)" under
 * `--workers 1`, never "0/2"; "1/1 (+1 busy)" with a CRITICAL job or read on the spare too.
 */
export function workersFigure(w: WorkersNow): { text: string; title: string } {
  const spare = Math.min(Math.max(w.spare, 0), w.workers);
  const set = w.workers - spare;
  const busy = Math.min(w.workers, w.running + w.reading);
  const spareBusy = Math.max(0, busy - set);
  const doing = "Workers computing a job or reading a file's facts now";
  if (spare === 0) return { text: `${busy}/${w.workers}`, title: `${doing}, of all workers` };
  const onSpare =
    spareBusy === 0
      ? ''
      : spareBusy === spare
        ? ' busy'
        : ` ${spareBusy.toLocaleString('en-US')} busy`;
  return {
    text: `${busy - spareBusy}/${set} (+${spare}${onSpare})`,
    title: `${doing}, of the ${set} set by --workers (or the workers setting); (+${spare}): the ${spare} spare kept for CRITICAL work only`,
  };
}

/**
 * The files waiting for their facts read, `reading` of them on a worker now: "reading 1
 * of 3 files", and a title saying why they are read and what the others wait for; null
 * when no file waits for one.
 */
export function readsFigure(
  reading: number,
  deciding: number,
): { text: string; title: string } | null {
  const text = readsPhrase(reading, deciding);
  if (text === null) return null;
  const now = Math.min(Math.max(reading, 0), deciding);
  const rest = deciding - now;
  const what = `${plural(deciding, 'file')} ${deciding === 1 ? 'waits' : 'wait'} for ${deciding === 1 ? 'its' : 'their'} level: a file's facts (open interest, volume, GEX change) are read by a worker before the rules can give its level`;
  const split = [
    now > 0 ? `${now.toLocaleString('en-US')} being read now` : '',
    rest > 0
      ? `${rest.toLocaleString('en-US')} waiting for a worker, or for an earlier file of ${rest === 1 ? 'its' : 'their'} underlying to be read first`
      : '',
  ].filter(Boolean);
  return {
    text,
    title: `${what}. ${split.join('; ')}. ${deciding === 1 ? 'Its job shows' : 'Their jobs show'} as deciding in the Queue.`,
  };
}
