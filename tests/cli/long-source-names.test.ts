// A long source name in a table for a person: QA's 300-character name widened every line
// of `gex-desk sources` to 374 columns (580–632 with 1,240 sources), wrapping in a
// terminal. The source column is cut in its middle (io.ts, middleCut), counted in the
// columns a terminal draws; `--json` keeps the whole name. The real command, real files.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { middleCut, table, textWidth } from '../../electron/host/cli/io.ts';
import { SOURCE_WIDTH } from '../../electron/host/cli/sources.ts';
import { writeCboeCsv } from '../fixtures/option-chains.ts';
import { cliHome, runCli } from './run-cli.ts';

describe('long source names', () => {
  it('cuts a name in its middle to the columns given, keeping its start and its end', () => {
    expect(middleCut('acme', 10)).toBe('acme');
    expect(middleCut('abcdefghij', 10)).toBe('abcdefghij');
    expect(middleCut('vendor-eu-2026-region-feed-a', 11)).toBe('vendo…eed-a');
    expect(middleCut('vendor-eu-2026-region-feed-b', 11)).toBe('vendo…eed-b');
    // Wide characters count two columns; none is split, nor a sequence drawn as one emoji.
    const cjk = middleCut('東京東京東京東京東京', 9);
    expect(cjk).toBe('東京…東京');
    expect(textWidth(cjk)).toBeLessThanOrEqual(9);
    const emoji = middleCut('👩\u200d💻👩\u200d💻👩\u200d💻👩\u200d💻👩\u200d💻', 7);
    // 7 columns: one emoji (2) before the "…" (1), the room left after it (4).
    expect(emoji).toBe('👩\u200d💻…👩\u200d💻👩\u200d💻');
    expect(middleCut('Zu\u0308richZu\u0308richZu\u0308rich', 9)).toBe('Zu\u0308ri…rich');
  });

  it('keeps one long name from widening every line of a table', () => {
    const long = 'b'.repeat(300);
    const lines = table(
      ['source', 'completed'],
      [
        ['acme', 1],
        [long, 2],
        ['🚀'.repeat(40), 3],
      ],
      { widest: { source: 20 } },
    ).split('\n');
    expect(lines).toEqual([
      'source                completed',
      'acme                          1',
      `${'b'.repeat(10)}…${'b'.repeat(9)}          2`,
      // 19 columns: a tenth rocket (2) would overrun the 20.
      `${'🚀'.repeat(5)}…${'🚀'.repeat(4)}           3`,
    ]);
  });

  it(
    'writes `sources` in lines of one width whatever a name, the whole name in --json',
    { timeout: 120_000 },
    async () => {
      const { dir, args } = cliHome();
      const home = join(dir, 'home');
      const run = (xs: string[]) => runCli([...xs, ...args], { home });
      const chain = join(dir, 'chain.csv');
      writeCboeCsv(chain, { seed: 41, underlying: 'SPX', expiries: 1, strikesPerExpiry: 6 });
      const long = `vendor-${'b'.repeat(300)}-feed`;
      for (const source of ['acme', long])
        expect((await run(['ingest', chain, '--source', source, '--json'])).code).toBe(0);

      const shown = await run(['sources']);
      expect(shown.code, shown.stderr).toBe(0);
      const all = shown.stdout.trimEnd().split('\n');
      // The table, then the note on what the computed reliability counts.
      expect(all).toHaveLength(4);
      expect(all[3]).toMatch(/^computed = completed ÷ \(completed \+ failed\)/);
      const lines = all.slice(0, 3);
      const row = lines.find((l) => l.startsWith('vendor-'))!;
      expect(row).toMatch(/^vendor-b+…b+-feed +\d/);
      expect(row.indexOf('…')).toBeLessThan(SOURCE_WIDTH);
      // The columns after the source start where the header's do, on every line.
      const completed = lines[0]!.indexOf('completed');
      expect(completed).toBeLessThanOrEqual(SOURCE_WIDTH + 2);
      for (const l of lines) expect(l.length).toBeLessThan(SOURCE_WIDTH + 120);

      const json = await run(['sources', '--json']);
      expect(json.lines.map((s) => s.id)).toEqual(['acme', long]);
    },
  );
});
