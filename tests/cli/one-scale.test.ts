// The command line's tables write each column of dollar figures in one scale, that of its
// largest figure (shared/gex-scale.ts, as the app does): `levels`, `snapshots` and `history`
// used to write "-345.40 Bn", "2.31 M" and "197799" one under another. --json keeps the
// raw figures (CONTRACTS.md).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { money, table } from '../../electron/host/cli/io.ts';
import { cliHome, runCli } from './run-cli.ts';

const HEAD = 'underlying,as_of,spot,expiry,strike,option_type,open_interest,volume,iv,gamma';

/** A call at spot and a put 5 % below, each with `oi` contracts. */
function chain(dir: string, u: string, asOf: string, spot: number, oi: number): string {
  const file = join(dir, `${u}-${oi}.csv`);
  const rows = [
    `${u},${asOf},${spot},2024-01-19,${spot},C,${oi},1,0.2,`,
    `${u},${asOf},${spot},2024-01-19,${spot * 0.95},P,${oi},1,0.2,`,
  ];
  writeFileSync(file, [HEAD, ...rows].join('\n') + '\n');
  return file;
}

/** The cells of a column, by its header's first word, in a table's text. */
function column(text: string, header: string, words = 1): string[] {
  const [head, ...rows] = text.trimEnd().split('\n');
  const start = head!.indexOf(header);
  // Right-aligned under a header: the cell ends where the header does, or further.
  return rows.map((r) => {
    const tail = r.slice(0, start + header.length).trimEnd();
    return tail.split(/\s+/).slice(-words).join(' ');
  });
}

describe('one scale per column', () => {
  it('writes a column of figures of three sizes in the scale of the largest', () => {
    expect(
      table(
        ['u', 'total GEX'],
        [
          ['SPX', money(-345_400_000_000)],
          ['X', money(2_310_000)],
          ['Y', money(197_799)],
          ['Z', money(null)],
        ],
      ),
    ).toBe(
      [
        'u     total GEX',
        'SPX  -345.40 Bn',
        'X     0.0023 Bn',
        'Y    0.00020 Bn',
        'Z             —',
      ].join('\n'),
    );
    // Under 1 M, whole dollars; millions from 1 M; a non-zero figure that would round to
    // nothing keeps two significant digits and its sign, as in the app; only 0 reads 0.
    expect(table(['VEX'], [[money(788_615)], [money(-0.3)], [money(0)]])).toBe(
      ['    VEX', '788,615', '  -0.30', '      0'].join('\n'),
    );
    expect(table(['VEX'], [[money(788_615)], [money(1_030_000)]])).toBe(
      ['   VEX', '0.79 M', '1.03 M'].join('\n'),
    );
    // The column that would read "1000.00 M" is in billions.
    expect(table(['g'], [[money(999_999_999)]])).toBe(['      g', '1.00 Bn'].join('\n'));
  });

  it('levels, snapshots and history: each dollar column in one scale; --json raw', async () => {
    const home = cliHome();
    const T = [...home.args, '--data-dir', join(home.dir, 'data')];
    const files = [
      chain(home.dir, 'BIG', '2024-01-10T10:30:00-05:00', 5000, 100_000),
      chain(home.dir, 'MID', '2024-01-10T10:30:00-05:00', 100, 10_000),
      chain(home.dir, 'SML', '2024-01-10T10:30:00-05:00', 100, 50),
      chain(home.dir, 'MID', '2024-01-11T10:30:00-05:00', 100, 60),
    ];
    const ingest = await runCli(['ingest', ...files, '--json', ...T]);
    expect(ingest.code, ingest.stderr).toBe(0);
    const unit = (cells: string[]) => new Set(cells.map((c) => c.split(' ')[1] ?? ''));

    const levels = await runCli(['levels', ...T]);
    expect(levels.code, levels.stderr).toBe(0);
    const totals = column(levels.stdout, 'total GEX USD/1%', 2);
    expect(totals).toHaveLength(3);
    expect(unit(totals)).toEqual(new Set(['Bn']));
    const json = await runCli(['levels', '--json', ...T]);
    const raw = json.lines.map((l) => l.total_gex as number);
    // The figures, in billions, are the raw ones (to the text's decimals).
    totals.forEach((t, i) => {
      const n = Number(t.split(' ')[0]);
      const digits = t.split(' ')[0]!.split('.')[1]!.length;
      expect(n).toBe(Number((raw[i]! / 1e9).toFixed(digits)));
    });
    expect(raw.every((v) => Number.isFinite(v) && typeof v === 'number')).toBe(true);

    const list = await runCli(['snapshots', ...T]);
    expect(list.code, list.stderr).toBe(0);
    expect(unit(column(list.stdout, 'total GEX USD/1%', 2))).toEqual(new Set(['Bn']));

    // MID's history: 8.73 M and a figure under 1 M, both in millions.
    const history = await runCli(['history', 'MID', ...T]);
    expect(history.code, history.stderr).toBe(0);
    const mid = column(history.stdout, 'total GEX USD/1%', 2);
    expect(mid).toHaveLength(2);
    expect(unit(mid)).toEqual(new Set(['M']));
  });
});
