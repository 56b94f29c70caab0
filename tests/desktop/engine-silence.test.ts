// When the page says the engine is not answering (renderer/src/api/silence.ts): a call
// waiting 5 s with nothing answered since it was sent, counted from the oldest such call,
// never for a long call while the engine answers others beside it, and cleared by any
// answer. The clock is replaced: time is what this is about. The status bar's words
// (state/engine-silence.ts) fit the bar at 1024 px: "engine not answering for 12 s".
import { describe, expect, it } from 'vitest';
import { CallWatch, SILENT_AFTER_MS } from '../../renderer/src/api/silence.ts';
import { silenceFor, silentState, silentTitle } from '../../renderer/src/state/engine-silence.ts';

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
