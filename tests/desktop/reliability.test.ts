// A source's reliability is read and typed exactly: the figure shown is never on the other
// side of a rule's threshold (0.7999 was "0.80" beside G4's `< 0.8`), and only a plain
// decimal from 0 to 1 is taken (Number() also took "0x1", "1e0", " 1 ", "Infinity").
import { describe, expect, it } from 'vitest';
import { parseReliability, reliabilityInput, reliabilityText } from '../../shared/reliability.ts';

describe('reliability', () => {
  it('reads with two decimals at least, four when it has them, and a cut figure with "…"', () => {
    expect(reliabilityText(0.5)).toBe('0.50');
    expect(reliabilityText(1)).toBe('1.00');
    expect(reliabilityText(0)).toBe('0.00');
    expect(reliabilityText(0.499)).toBe('0.499');
    expect(reliabilityText(0.7999)).toBe('0.7999');
    expect(reliabilityText(0.29)).toBe('0.29');
    expect(reliabilityText(2 / 3)).toBe('0.6666…');
    expect(reliabilityText(0.49999)).toBe('0.4999…');
    expect(reliabilityText(0.79999999)).toBe('0.7999…');
    expect(reliabilityText(0.50001)).toBe('0.5000…');
  });

  it('never reads on the other side of a threshold of up to four decimals (“…”: a little more)', () => {
    const thresholds = [0.5, 0.8, 0.75, 0.1234];
    for (let i = 0; i <= 20_000; i++) {
      const x = i / 20_000 + (i % 7) * 1e-7;
      if (x > 1) continue;
      // "0.1234…" reads as a little more than 0.1234 (under 0.1235).
      const text = reliabilityText(x);
      const shown = text.endsWith('…') ? Number(text.slice(0, -1)) + 0.00005 : Number(text);
      for (const t of thresholds) {
        expect([x, t, shown < t]).toEqual([x, t, x < t]);
        expect([x, t, shown <= t]).toEqual([x, t, x <= t]);
      }
    }
  });

  it('fills a field with the exact figure, so that saving it again changes nothing', () => {
    for (const x of [0.499, 0.7999, 2 / 3, 0.5, 1]) {
      const again = parseReliability(reliabilityInput(x));
      expect(again).toEqual({ ok: true, value: x });
    }
  });

  it('takes plain decimals from 0 to 1 only', () => {
    for (const [text, value] of [
      ['0', 0],
      ['1', 1],
      ['0.499', 0.499],
      ['.5', 0.5],
      ['1.0', 1],
      ['0.', 0],
    ] as const)
      expect(parseReliability(text)).toEqual({ ok: true, value });
    for (const text of [
      '0x1',
      '1e0',
      ' 1 ',
      '1 ',
      'Infinity',
      '',
      '-0',
      '1.01',
      '2',
      'NaN',
      '0,5',
      '+1',
      '0b1',
    ])
      expect(parseReliability(text)).toMatchObject({
        ok: false,
        error: { code: 'VALIDATION', field: 'reliability' },
      });
  });
});
