// When the page says the engine is not answering (renderer/src/api/silence.ts): a call
// waiting 5 s with nothing answered since it was sent, counted from the oldest such call,
// never for a long call while the engine answers others beside it, and cleared by any
// answer. The clock is replaced: time is what this is about. The status bar's words
// (state/engine-silence.ts) fit the bar at 1024 px: "engine not answering for 12 s"; the
// live views' line says their figures are not current, as of the last answer, and the
// Queue's empty list never says "Nothing is waiting or running" meanwhile.
import { describe, expect, it } from 'vitest';
import { CallWatch, SILENT_AFTER_MS } from '../../renderer/src/api/silence.ts';
import {
  answeredWhen,
  notCurrentLine,
  notCurrentSaid,
  queueUnread,
  silenceFor,
  silenceOf,
  silentState,
  silentTitle,
} from '../../renderer/src/state/engine-silence.ts';
import { localClock } from '../../renderer/src/text/time.ts';

const clocked = () => {
  const clock = { now: 1_000_000 };
  const watch = new CallWatch(() => clock.now);
  const at = (ms: number) => (clock.now = 1_000_000 + ms);
  const since = () => {
    const s = watch.silentSince();
    return s === null ? null : s - 1_000_000;
  };
  return { watch, at, since };
};

describe('CallWatch', () => {
  it('says nothing while nothing is asked, however long since the last answer', () => {
    const { watch, at, since } = clocked();
    expect(since()).toBeNull();
    watch.answered(watch.sent());
    at(60_000);
    expect(since()).toBeNull();
  });

  it('is silent once a call has waited 5 s with no answer, since that call, until one answers', () => {
    const { watch, at, since } = clocked();
    watch.answered(watch.sent()); // answered at 0
    at(2000);
    const health = watch.sent(); // the engine stops answering here
    at(4000);
    const stats = watch.sent();
    at(2000 + SILENT_AFTER_MS - 1);
    expect(since()).toBeNull();
    at(2000 + SILENT_AFTER_MS);
    expect(since()).toBe(2000);
    at(14_000);
    expect(since()).toBe(2000); // "for 12 s"
    expect(silentState(watch.silentSince()!, 1_014_000)).toBe('engine not answering for 12 s');
    // It answers again: the oldest first, then all.
    watch.answered(health);
    expect(since()).toBeNull();
    watch.answered(stats);
    at(30_000);
    expect(since()).toBeNull();
  });

  it('never counts a long call while the engine answers others beside it', () => {
    const { watch, at, since } = clocked();
    const dryRun = watch.sent(); // a rules check or an export: 20 s
    for (let t = 0; t < 20_000; t += 2000) {
      at(t + 300);
      const health = watch.sent();
      at(t + 500);
      watch.answered(health); // the health poll, every 2 s
      at(t + 1900);
      expect(since()).toBeNull();
    }
    // The engine then stops answering: silent from the first call it left waiting.
    at(21_000);
    watch.sent();
    at(26_000);
    expect(since()).toBe(21_000);
    watch.answered(dryRun);
    expect(since()).toBeNull();
  });

  it('counts an error or a failed transport as an answer (the call settled)', () => {
    const { watch, at, since } = clocked();
    const t = watch.sent();
    at(6000);
    expect(since()).toBe(0);
    watch.answered(t);
    expect(since()).toBeNull();
    expect(watch.answeredAt).toBe(1_006_000);
  });
});

describe('the status bar’s words', () => {
  it('counts seconds, then minutes', () => {
    expect(silenceFor(5000)).toBe('5 s');
    expect(silenceFor(59_999)).toBe('59 s');
    expect(silenceFor(100_000)).toBe('1 min 40 s');
    expect(silenceFor(120_000)).toBe('2 min');
    expect(silenceFor(14 * 60_000 + 5000)).toBe('14 min');
  });

  it('says in the tooltip why and what to do', () => {
    expect(silentTitle('10:40:02', '10:40:00')).toBe(
      'The engine has not answered since 10:40:02: it is busy with something long, or stuck — most often on a network share it reads (the watched inbox, an attached folder) that stopped answering. What shows is as of 10:40:00, its last answer, and may be out of date. Nothing queued is lost, and this clears by itself once it answers; if it lasts minutes, check that those shares answer.',
    );
    expect(silentTitle('10:40:02', null)).toMatch(/What shows is as of the page’s load and/);
  });
});

describe('the live views’ “Not current” line', () => {
  const reached = { connected: true, healthError: null };

  it('is there while the engine, reached, answers nothing, as of its last answer, and goes once it answers', () => {
    const { watch, at } = clocked();
    const read = (now: number, reach: { connected: boolean; healthError: unknown } = reached) =>
      silenceOf(watch, 1_000_000 + now, reach);
    watch.answered(watch.sent()); // the last answer, at 0
    at(1000);
    const health = watch.sent();
    expect(read(1000 + SILENT_AFTER_MS - 1)).toBeNull();
    at(13_000);
    const s = read(13_000)!;
    expect(s).toEqual({ since: 1_001_000, answeredAt: 1_000_000, now: 1_013_000 });
    expect(notCurrentLine(s, '14:02:11')).toBe(
      'Not current: the engine has not answered for 12 s; these figures are from 14:02:11, its last answer.',
    );
    // Counted on, as the status bar counts.
    expect(notCurrentLine(read(101_000)!, '14:02:11')).toMatch(/not answered for 1 min 40 s;/);
    // A screen reader is told the same once, without the count that moves each second.
    expect(notCurrentSaid('14:02:11')).toBe(
      'Not current: the engine is not answering; these figures are from 14:02:11, its last answer.',
    );
    // Unreachable (the banner says so) or reconnecting (the bar says so): not this line.
    expect(read(13_000, { connected: false, healthError: null })).toBeNull();
    expect(read(13_000, { connected: true, healthError: { code: 'X' } })).toBeNull();
    // It answers: the line goes.
    watch.answered(health);
    expect(read(14_000)).toBeNull();
  });

  it('says when the last answer was, with its date when that was not today', () => {
    const now = Date.parse('2026-12-07T12:00:00Z');
    const answeredAt = now - 12_000;
    expect(answeredWhen({ since: answeredAt + 1000, answeredAt, now })).toBe(
      localClock(new Date(answeredAt).toISOString()),
    );
    const before = now - 3 * 86_400_000;
    expect(answeredWhen({ since: before + 1000, answeredAt: before, now })).toMatch(
      /^Dec \d+ \d\d:\d\d:\d\d$/,
    );
    // None since the page loaded.
    const none = { since: now - 6000, answeredAt: null, now };
    expect(answeredWhen(none)).toBeNull();
    expect(notCurrentLine(none, null)).toBe(
      'Not current: the engine has not answered for 6 s; nothing has been read from it since the page loaded.',
    );
  });

  it('never lets the Queue’s empty list say nothing is waiting or running', () => {
    expect(queueUnread('idle', '14:02:11')).toBe(
      'The engine is not answering: the queue cannot be read. When it last answered, at 14:02:11, nothing was waiting or running.',
    );
    expect(queueUnread('no jobs', '14:02:11')).toMatch(/, at 14:02:11, there were no jobs\.$/);
    expect(queueUnread('no match', '14:02:11')).toMatch(/, at 14:02:11, no job matched\.$/);
    expect(queueUnread('idle', null)).toBe(
      'The engine is not answering: the queue cannot be read.',
    );
  });
});
