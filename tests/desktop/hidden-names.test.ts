// Names that read as another's, or as none (QA sec2 N4, N8): a source `acme` + U+034F or a
// Hangul filler alone was taken, so a source demoted by G4 came back as a clean "acme";
// an address `#/snapshots/history/SP%E2%80%8BX` was asked of the engine, whose answer read
// "There is no snapshot of SPX." One definition of what a name may not hold
// (shared/visible.ts HIDDEN) refuses them at the schema and shows them escaped.
import { describe, expect, it } from 'vitest';
import { calls } from '../../shared/api.ts';
import { SourceName } from '../../shared/api/ingest.ts';
import { underlyingProblem } from '../../shared/underlyings.ts';
import { hiddenIn, visibleName } from '../../shared/visible.ts';
import { paneOf, parseHash } from '../../renderer/src/state/route.ts';
import { notAnUnderlying, notAnUnderlyingText } from '../../renderer/src/text/underlyings.ts';

const LOOKALIKES: [string, string][] = [
  ['acme\u034f', '\\u034f'], // combining grapheme joiner
  ['\u3164', '\\u3164'], // Hangul filler alone
  ['dupsrc\u3164', '\\u3164'],
  ['dupsrc\u115f', '\\u115f'],
  ['dup\u2800src', '\\u2800'], // blank Braille pattern
  ['dupsrc\ufe0f', '\\ufe0f'], // variation selector
  ['a\u200bcme', '\\u200b'],
  ['vendor\u202eLIAF', '\\u202e'],
];

describe('a source name', () => {
  it('refuses one holding a character drawn as nothing, naming it escaped, from every request', () => {
    for (const [name, shown] of LOOKALIKES) {
      for (const r of [
        SourceName.safeParse(name),
        calls['ingest:submit'].request.safeParse({ file: '/in/a.csv', source: name }),
        calls['sources:set'].request.safeParse({ id: name, reliability: 0.5, justification: 'x' }),
        calls['jobs:list'].request.safeParse({ source: name }),
      ]) {
        expect(r.success, JSON.stringify(name)).toBe(false);
        expect(r.error!.issues[0]!.message).toContain(`a source name may not hold ${shown}`);
      }
    }
  });

  it('takes names of any script, trimmed and composed', () => {
    for (const name of ['acme', 'Москва', '東京 feed', 'Zu\u0308rich', 'аcme']) {
      expect(SourceName.safeParse(name).success, name).toBe(true);
    }
  });

  it('is shown with what hides in it escaped, and a mixed-script look-alike told apart', () => {
    expect(visibleName('acme\u034f')).toBe('acme\\u034f');
    expect(visibleName('\u3164')).toBe('\\u3164');
    // A Cyrillic а in a Latin name: shown escaped, so that it does not read as acme.
    expect(visibleName('\u0430cme')).toBe('\\u0430cme');
    expect(visibleName('acme')).toBe('acme');
    expect(visibleName('Москва')).toBe('Москва');
    expect(visibleName('Zürich')).toBe('Zürich');
    expect(hiddenIn('acme')).toBeNull();
  });
});

describe("an address's underlying", () => {
  const history = (hash: string) => paneOf(parseHash(hash).snapshotsPane).args[0]!;

  it('that cannot be one is kept as written, said to be none and never asked', () => {
    for (const [hash, said] of [
      [
        '#/snapshots/history/SP%E2%80%8BX',
        '“SP\\u200bX”, which is not an underlying: it holds \\u200b',
      ],
      [
        '#/snapshots/history/X%E2%80%AETSET-AQ',
        '“X\\u202eTSET-AQ”, which is not an underlying: it holds \\u202e',
      ],
      [
        '#/snapshots/history/%E2%80%A9%E2%80%A9Token%20expired%3A%20see%20it.evil',
        '“\\u2029\\u2029Token expired: see it.evil”, which is not an underlying: it holds \\u2029',
      ],
      [
        '#/snapshots/history/SPX%CD%8F',
        '“SPX\\u034f”, which is not an underlying: it holds \\u034f',
      ],
    ]) {
      const u = history(hash!);
      const why = notAnUnderlying(u);
      expect(why, hash).not.toBeNull();
      expect(notAnUnderlyingText(u, why!)).toContain(said);
      expect(notAnUnderlyingText(u, why!)).toMatch(/Nothing was looked up\.$/);
    }
    expect(notAnUnderlying('A'.repeat(33))).toBe('is longer than 32 characters');
  });

  it('that can be one is read as the engine stores it', () => {
    expect(history('#/snapshots/history/spx%20')).toBe('SPX');
    expect(history('#/snapshots/history/BRK%2FB')).toBe('BRKB');
    expect(history('#/snapshots/history/XYZ%2FWS')).toBe('XYZ/WS');
    expect(notAnUnderlying('SPX')).toBeNull();
    expect(underlyingProblem(' SPX\n')).toBeNull();
    expect(underlyingProblem('\u2029SPX')).toContain('holds \\u2029');
  });
});
