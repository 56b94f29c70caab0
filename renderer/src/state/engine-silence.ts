// What the status bar says of an engine that has stopped answering (api/silence.ts):
// how long, in words that fit the bar at 1024 px, and the tooltip and the lines a screen
// reader is told, once as it falls silent and once as it answers again.
import { SILENT_AFTER_MS } from '../api/silence.ts';

/** "12 s", "1 min 40 s" up to 10 minutes, then "14 min". */
export function silenceFor(ms: number): string {
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  return m < 10 && s % 60 ? `${m} min ${s % 60} s` : `${m} min`;
}

/** The status bar's words while the engine does not answer. */
export const silentState = (since: number, now: number): string =>
  `engine not answering for ${silenceFor(now - since)}`;

/**
 * Its tooltip: what it means, what shows meanwhile, what the analyst can do. `asked` is
 * when the engine was asked and gave nothing back, `answered` its last answer (null: none
 * since the page loaded), both as the window's clock reads them.
 */
export const silentTitle = (asked: string, answered: string | null): string =>
  `The engine has not answered since ${asked}: it is busy with something long, or stuck — ` +
  'most often on a network share it reads (the watched inbox, an attached folder) that ' +
  'stopped answering. What shows is as of ' +
  (answered ? `${answered}, its last answer,` : 'the page’s load') +
  ' and may be out of date. Nothing queued is lost, and this clears by itself once it ' +
  'answers; if it lasts minutes, check that those shares answer.';

/** Told to a screen reader as the engine falls silent. */
export const silentLine = (): string =>
  `The engine has not answered for ${SILENT_AFTER_MS / 1000} seconds: it is busy or stuck. ` +
  'What shows may be out of date until it answers.';

/** Told as it answers again. */
export const answersLine = (): string => 'The engine answers again.';
