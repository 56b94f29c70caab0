// The one rule a GEX figure is written by in a table's column (shared/gex-scale.ts
// cellFigure; the board, All snapshots, the Submissions panel, the command line's tables),
// checked over magnitudes from cents to hundreds of billions, each sign, in each scale:
// no non-zero figure reads 0, each keeps two significant digits (or is written in its own
// scale, named), a larger figure never has fewer significant digits than a smaller one in
// the same column, and the app and the command line write the same digits for it (QA day
// F1: 6.45 M read "0.01" Bn beside 1.08 M's "0.0011"; F2: -$432,946 read "-0.00" on the
// board, "-0.00043" in All snapshots).
import { describe, expect, it } from 'vitest';
import { BN, M, USD, gexCell, gexScale, type GexScale } from '../../renderer/src/text/scale.ts';
import { usdIn } from '../../electron/host/cli/io.ts';

/** Significant digits of a written figure: "-0.00043" 2, "0.0065" 2, "-11.00" 4, "3,013 USD" 4. */
function significant(text: string): number {
  const digits = text.replace(/[^\d.]/g, '');
  const [whole = '', frac = ''] = digits.split('.');
  const all = (whole + frac).replace(/^0+/, '');
  return all.length;
}

/** The figure a text reads, in its scale's units. */
const value = (text: string): number => Number(text.replace(/[^\d.-]/g, ''));

/** Magnitudes from $0.01 to $900 Bn: every power of ten times 1…9.99 in uneven steps, both signs. */
function magnitudes(): number[] {
  let seed = 7;
  const rand = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
  const out: number[] = [];
  for (let p = -2; p <= 11; p++)
    for (const m of [1, 1.004, 1.08, 2.5, 4.95, 5.62, 6.45, 9.94, 9.96, 9.996, 9.9996])
      out.push(m * 10 ** p);
  for (let i = 0; i < 2000; i++) out.push(10 ** (-2 + rand() * 13.9));
  return [...out, ...out.map((v) => -v)];
}

const SCALES: [string, GexScale][] = [
  ['Bn', BN],
  ['M', M],
  ['USD', USD],
];

describe('a GEX figure in a table’s column', () => {
  for (const [name, scale] of SCALES) {
    // In USD a figure is never under what the scale picks it for (under 1 M), in M under 1 Bn.
    const top = scale === BN ? Infinity : scale === M ? 999e6 : 999_000;
    const figures = magnitudes().filter((v) => Math.abs(v) < top);

    it(`${name}: never reads 0, keeps two significant digits or is in its own scale`, () => {
      for (const v of figures) {
        const { text } = gexCell(v, scale);
        const own = / (Bn|M|USD)$/.test(text);
        if (!own) expect(significant(text), `${v} → ${text}`).toBeGreaterThanOrEqual(2);
        expect(value(text), `${v} → ${text}`).not.toBe(0);
        expect(Math.sign(value(text)), `${v} → ${text}`).toBe(Math.sign(v));
        // And reads its figure within half its last digit (no "0.01" for 6.45 M: 55 % high).
        if (!own) {
          const decimals = text.split('.')[1]?.length ?? 0;
          expect(Math.abs(value(text) - v / scale.div), `${v} → ${text}`).toBeLessThanOrEqual(
            0.5 * 10 ** -decimals * 1.0000001,
          );
        }
      }
    });

    it(`${name}: a larger figure never has fewer significant digits than a smaller one`, () => {
      const inScale = figures
        .map((v) => ({ v, text: gexCell(v, scale).text }))
        .filter(({ text }) => !/ (Bn|M|USD)$/.test(text))
        .sort((a, b) => Math.abs(a.v) - Math.abs(b.v));
      expect(inScale.length).toBeGreaterThan(100);
      for (let i = 1; i < inScale.length; i++) {
        const [a, b] = [inScale[i - 1]!, inScale[i]!];
        expect(
          significant(b.text),
          `${b.v} → ${b.text} after ${a.v} → ${a.text}`,
        ).toBeGreaterThanOrEqual(significant(a.text));
      }
    });

    it(`${name}: the command line's column writes the app's digits`, () => {
      for (const v of figures) {
        // A column holding the scale's figure and this one: the scale is `scale`.
        const column = [scale === BN ? 2e9 : scale === M ? 2e6 : 2, v];
        expect(gexScale(column)).toBe(scale);
        const cli = usdIn(column)(v).replace(/ (Bn|M)$/, '');
        const app = gexCell(v, scale).text;
        expect(cli, `${v}`).toBe(app);
      }
    });
  }

  it('reads QA day’s totals beside SPX as their sizes: none ±0.01, none -0.00', () => {
    const totals = [
      -10_998_709_390.13, 1_084_594, -1_314_444, -5_621_701, 6_452_489, -12_158_800, 6_298_848,
      -432_945.71,
    ];
    const scale = gexScale(totals);
    expect(totals.map((v) => gexCell(v, scale).text)).toEqual([
      '-11.00',
      '0.0011',
      '-0.0013',
      '-0.0056',
      '0.0065',
      '-0.012',
      '0.0063',
      '-0.00043',
    ]);
  });
});
