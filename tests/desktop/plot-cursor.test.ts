// A chart's cursor across a change of its x in place (cursor.ts; QA wb F2): the SPX strike
// chart's cursor at 4,715 with the 0DTE strikes, then the monthly ones. It stays on 4,715
// when that strike is still there, else the keys start at the strike nearest the window's
// centre (spot) — never at the index 4,715 had, which names another strike.
import { describe, expect, it } from 'vitest';
import {
  cursorIndex,
  cursorOf,
  keptIn,
  keyStart,
  sameCursor,
} from '../../renderer/src/components/plot/cursor.ts';
import type { PlotSpec } from '../../renderer/src/components/plot/layout.ts';

const spec = (x: number[], xKind: PlotSpec['xKind'] = 'number', labels?: string[]): PlotSpec => ({
  label: 'SPX Net GEX by strike',
  x,
  xTitle: 'Strike',
  xFormat: (v) => (labels ? (labels[Math.round(v)] ?? '') : v.toLocaleString('en-US')),
  xKind,
  yTitle: 'Bn',
  yTick: String,
  series: [],
});

const range = (lo: number, hi: number, step: number) =>
  Array.from({ length: (hi - lo) / step + 1 }, (_, i) => lo + i * step);

// Spot 4,712.24, the window spot ± 10 %.
const win = { lo: 4241.02, hi: 5183.46 };
// 0DTE: every 5 from 4,500 to 4,900. Monthly: every 25 from 1,000 to 6,200 (far more below).
const z = range(4500, 4900, 5);
const zeroDte = spec(z);
const monthly = spec(range(1000, 6200, 25));

describe('plot cursor', () => {
  it('keeps its strike when the strikes change and the strike is still there', () => {
    const c = cursorOf(zeroDte, z.indexOf(4725));
    expect(c).toEqual({ x: 4725, label: '4,725' });
    const i = cursorIndex(monthly, c);
    expect(monthly.x[i!]).toBe(4725);
    expect(keyStart(monthly, c, win)).toBe(i);
  });

  it('starts near the window’s centre when its strike is gone, never at its old index', () => {
    const c = cursorOf(zeroDte, z.indexOf(4715));
    expect(cursorIndex(monthly, c)).toBeNull();
    const at = keyStart(monthly, c, win);
    expect(monthly.x[at]).toBe(4700);
    // The index 4,715 had among the 0DTE strikes names 1,000 + 43 × 25 among the monthly.
    expect(monthly.x[z.indexOf(4715)]).toBe(2075);
  });

  it('has no cursor past the last of fewer strikes (was: clamped to the last, 6,200)', () => {
    const one = spec([4700, 4710, 6200]);
    expect(cursorIndex(one, cursorOf(zeroDte, z.indexOf(4720)))).toBeNull();
    expect(one.x[keyStart(one, null, win)]).toBe(4710);
  });

  it('names an expiry by its label on a category axis, not by its index', () => {
    const before = spec([0, 1, 2], 'category', ['2024-01-08 0DTE', '2024-01-09', '2024-01-19 M']);
    const after = spec([0, 1], 'category', ['2024-01-09', '2024-01-19 M']);
    const c = cursorOf(before, 1);
    expect(cursorIndex(after, c)).toBe(0);
    expect(cursorIndex(after, cursorOf(before, 0))).toBeNull();
  });

  it('is kept by a new starting window only when inside it', () => {
    const c = cursorOf(zeroDte, z.indexOf(4725));
    expect(keptIn(monthly, c, win)).toBe(c);
    expect(keptIn(monthly, c, { lo: 4800, hi: 5200 })).toBeNull();
    expect(keptIn(monthly, null, win)).toBeNull();
  });

  it('compares by position', () => {
    expect(sameCursor({ x: 1, label: '1' }, { x: 1, label: '1' })).toBe(true);
    expect(sameCursor({ x: 1, label: '1' }, null)).toBe(false);
    expect(sameCursor(null, null)).toBe(true);
  });
});
