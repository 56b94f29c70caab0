// What the page says of an engine that has stopped answering (api/silence.ts): the status
// bar's words (how long, in words that fit the bar at 1024 px), its tooltip and the lines a
// screen reader is told, once as it falls silent and once as it answers again; and the line
// the live views put above their figures meanwhile (components/NotCurrent.tsx), which are
// as of its last answer.
import { SILENT_AFTER_MS } from '../api/silence.ts';
import { localWhen } from '../text/time.ts';

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

/** What the page knows of a silent engine: since when it was asked in vain, its last answer. */
export interface Silence {
  /** When the oldest call still waiting was sent (api/silence.ts's silentSince). */
  since: number;
  /** When a call was last answered: what shows is as of then (null: none since the load). */
  answeredAt: number | null;
  /** The moment this was read. */
  now: number;
}

/**
 * Whether the views' figures are not current: the engine is reached (the event socket up,
 * its last health call not failed: those are said by the status bar and the unreachable
 * banner) and has answered nothing though asked (`watch`, read at `now`).
 */
export function silenceOf(
  watch: { silentSince(now: number): number | null; readonly answeredAt: number | null },
  now: number,
  reach: { connected: boolean; healthError: unknown },
): Silence | null {
  const since = watch.silentSince(now);
  if (since === null || !reach.connected || reach.healthError) return null;
  return { since, answeredAt: watch.answeredAt, now };
}

/**
 * The line above a live view's figures while the engine is silent, counting on: "Not
 * current: the engine has not answered for 12 s; these figures are from 14:02:11, its last
 * answer." `answered` is that answer's time as the view writes it (null: none since the load).
 */
export const notCurrentLine = (s: Silence, answered: string | null): string =>
  `Not current: the engine has not answered for ${silenceFor(s.now - s.since)}; ` +
  (answered
    ? `these figures are from ${answered}, its last answer.`
    : 'nothing has been read from it since the page loaded.');

/**
 * The same for a screen reader, without the count (a live region read out again each
 * second would be a storm): said once as the engine falls silent.
 */
export const notCurrentSaid = (answered: string | null): string =>
  'Not current: the engine is not answering; ' +
  (answered
    ? `these figures are from ${answered}, its last answer.`
    : 'nothing has been read from it since the page loaded.');

/** What the Queue's list said when the engine last answered, with no row to show. */
export type EmptyQueue = 'no jobs' | 'idle' | 'no match';

/**
 * The Queue's empty list while the engine is silent: it never says "Nothing is waiting or
 * running", which it cannot know; what it read at the last answer is said as of then.
 */
export function queueUnread(was: EmptyQueue, answered: string | null): string {
  const head = 'The engine is not answering: the queue cannot be read.';
  if (!answered) return head;
  const then =
    was === 'no jobs'
      ? 'there were no jobs'
      : was === 'idle'
        ? 'nothing was waiting or running'
        : 'no job matched';
  return `${head} When it last answered, at ${answered}, ${then}.`;
}

/** The last answer's time as the views write times: "14:02:11", with its date if not today's. */
export const answeredWhen = (s: Silence): string | null =>
  s.answeredAt === null ? null : localWhen(new Date(s.answeredAt).toISOString(), s.now);
