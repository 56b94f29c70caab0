// Names and comments from outside (file names, sources, rule authors, audit text) shown by
// a command for a person: a control or format character in them must not act on the
// terminal (`\e]0;…\a` retitles it, `\e[2J` clears the screen, `\r` writes over a row,
// U+202E reverses what follows). Every table cell and every line written for a person
// shows them escaped; JSON lines keep the text as it is. The real command, a real file.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { table, textWidth } from '../../electron/host/cli/io.ts';
import { visible, visibleLines } from '../../shared/visible.ts';
import { writeCboeCsv } from '../fixtures/option-chains.ts';
import { cliHome, runCli } from './run-cli.ts';

/** Any control or format character but a line break. */
const ACTING = /[\p{Cc}\p{Cf}\u2028\u2029]/u;
const acting = (text: string) => text.split('\n').some((l) => ACTING.test(l));

describe('text shown to a person', () => {
  it('escapes control and format characters in every table cell, a row staying one row', () => {
    const shown = table(
      ['FILE', 'SOURCE\u0007'],
      [
        ['title\u001b]0;pwned\u0007.csv', 'vendor\u202eLIAF'],
        ['clear\u001b[2J\r  0.99', 'zero\u200bwidth\nnext\ttab'],
        ['csi\u009b2J', 'plain'],
      ],
    );
    expect(shown.split('\n')).toEqual([
      'FILE                       SOURCE\\x07',
      'title\\x1b]0;pwned\\x07.csv  vendor\\u202eLIAF',
      'clear\\x1b[2J\\r  0.99       zero\\u200bwidth\\nnext\\ttab',
      'csi\\x9b2J                  plain',
    ]);
    expect(visible('a\u{e0001}b')).toBe('a\\u{e0001}b');
  });

  it('lines up emoji as terminals draw them: two columns each, a sequence drawn as one emoji two in all', () => {
    expect(textWidth('🚀 rockets')).toBe(10); // U+1F680–1F6FF
    expect(textWidth('✅ vetted')).toBe(9); // U+2705, emoji presentation in U+2600–27BF
    expect(textWidth('🪙')).toBe(2); // U+1FA70–1FAFF
    expect(textWidth('🤖 📈 🌧')).toBe(8);
    expect(textWidth('🇨🇭')).toBe(2); // a flag: two regional indicators, one glyph
    expect(textWidth('👩\u200d💻')).toBe(2); // ZWJ
    expect(textWidth('❤\ufe0f')).toBe(2); // text-default, VS16 draws it as an emoji
    expect(textWidth('👍🏽')).toBe(2); // skin tone
    expect(textWidth('1\ufe0f\u20e3')).toBe(2); // keycap
    expect(textWidth('☺ ✓')).toBe(3); // text presentation: one each
    expect(textWidth('Zu\u0308rich 東京')).toBe(11);
    const lines = table(
      ['source', 'completed'],
      [
        ['🚀 rockets', 1],
        ['✅ vetted', 2],
        ['plain', 3],
      ],
    ).split('\n');
    expect(lines).toEqual([
      'source      completed',
      '🚀 rockets          1',
      '✅ vetted           2',
      'plain               3',
    ]);
  });

  it('keeps line breaks and tabs of lines, and shows a lone carriage return', () => {
    expect(visibleLines('one\r\ntwo\tthree\nfour\rFAKE\u001b[2J')).toBe(
      'one\r\ntwo\tthree\nfour\\rFAKE\\x1b[2J',
    );
  });

  it(
    'gex-desk ingest and jobs show a file name with an escape sequence escaped; --json keeps it',
    { timeout: 120_000 },
    async () => {
      const { dir, args } = cliHome();
      const home = join(dir, 'home');
      const name = 'evil\u001b]0;pwned\u0007\u001b[2J\rfake.csv';
      const file = join(dir, name);
      writeCboeCsv(file, { seed: 7, underlying: 'SPX', expiries: 1, strikesPerExpiry: 5 });
      const ingested = await runCli(['ingest', file, ...args], { home });
      expect(ingested.code).toBe(0);
      expect(acting(ingested.stdout + ingested.stderr)).toBe(false);
      const escaped = 'evil\\x1b]0;pwned\\x07\\x1b[2J\\rfake.csv';
      const listed = await runCli(['jobs', ...args], { home });
      expect(listed.code).toBe(0);
      expect(acting(listed.stdout)).toBe(false);
      expect(listed.stdout).toContain(escaped);
      const audit = await runCli(['audit', ...args], { home });
      expect(acting(audit.stdout)).toBe(false);
      const json = await runCli(['jobs', '--json', ...args], { home });
      expect(json.lines.map((j) => j.file)).toEqual([file]);
    },
  );

  it(
    'gex-desk ingest shows a line break in a file name escaped: no line of its own that reads as a result',
    { timeout: 120_000 },
    async () => {
      const { dir, args } = cliHome();
      const home = join(dir, 'home');
      const forged = 'a\n✓ fake.csv  completed  CRITICAL (G3)  12 ms\nb.csv';
      const file = join(dir, forged);
      writeCboeCsv(file, { seed: 8, underlying: 'SPX', expiries: 1, strikesPerExpiry: 5 });
      const missing = join(dir, 'gone\n✓ x.csv');
      const r = await runCli(['ingest', file, missing, ...args], { home });
      expect(r.code).toBe(1);
      const lines = r.stdout.split('\n');
      expect(lines.filter((l) => /^[✓✗] /.test(l))).toEqual([
        expect.stringMatching(
          /^✓ .*a\\n✓ fake\.csv {2}completed {2}CRITICAL \(G3\) {2}12 ms\\nb\.csv {2}completed /,
        ),
        expect.stringMatching(/^✗ .*gone\\n✓ x\.csv {2}failed /),
      ]);
      expect(lines.some((l) => l.startsWith('✓ fake.csv'))).toBe(false);
      expect(r.stdout).toContain(`FILE_NOT_FOUND: ${visible(missing)} does not exist`);
      const json = await runCli(['ingest', missing, '--json', ...args], { home });
      expect(json.lines.map((l) => l.file)).toEqual([missing]);
    },
  );
});
