// The heatmap's strike labels (column-labels.ts): each over its own strike's column however
// uneven the strikes, the roundest first, none over another or past the canvas.
import { describe, expect, it } from 'vitest';
import { columnLabels, roundness } from '../../renderer/src/components/plot/column-labels.ts';

describe('columnLabels', () => {
  it('rates a value by the largest 1, 2, 2.5 or 5 × 10ⁿ it is a multiple of', () => {
    expect([5000, 4000, 2500, 4750, 4725, 4710, 4705, 512.5, 0.3].map(roundness)).toEqual([
      5000, 2000, 2500, 250, 25, 10, 5, 2.5, 0.1,
    ]);
  });

  it('puts round strikes over their own columns, apart and inside the canvas', () => {
    // 5 apart near 4,700, 100 and then 1,000 apart further out: 10 px columns.
    const strikes = [
      1000,
      2000,
      3000,
      4000,
      4100,
      4200,
      4300,
      4400,
      4500,
      4600,
      ...Array.from({ length: 41 }, (_, i) => 4600 + 5 * (i + 1)),
      4900,
      5000,
      6000,
      8000,
      10000,
      12000,
    ];
    const labels = columnLabels(strikes, {
      format: (v) => v.toLocaleString('en-US'),
      measure: (t) => 6 * t.length,
      left: 100,
      columnWidth: 10,
      width: 100 + 10 * strikes.length + 12,
      gap: 20,
    });
    for (const l of labels) {
      expect(l.text).toBe(strikes[l.index]!.toLocaleString('en-US'));
      expect(l.x).toBe(100 + 10 * l.index + 5);
      expect(l.x - 3 * l.text.length).toBeGreaterThanOrEqual(0);
      expect(l.x + 3 * l.text.length).toBeLessThanOrEqual(100 + 10 * strikes.length + 12);
    }
    for (const [i, l] of labels.entries())
      if (i)
        expect(l.x - 3 * l.text.length - 20).toBeGreaterThanOrEqual(
          labels[i - 1]!.x + 3 * labels[i - 1]!.text.length,
        );
    // 2,000 takes the room of 1,000 and 4,000, 4,500 that of 4,600, 10,000 that of 5,000;
    // 12,000 would stick out. Near spot, every 25 (5 columns) has room.
    expect(labels.map((l) => l.text)).toEqual([
      '2,000',
      '4,500',
      '4,625',
      '4,650',
      '4,675',
      '4,700',
      '4,725',
      '4,750',
      '4,775',
      '4,800',
      '10,000',
    ]);
  });
});
