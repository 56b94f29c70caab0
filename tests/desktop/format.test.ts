// The UI's number formats: what an analyst reads must be exact and consistent.
import { describe, expect, it } from 'vitest';
import {
  bn,
  bytes,
  compact,
  duration,
  int,
  num,
  price,
  stamp,
  basename,
} from '../../renderer/src/format.ts';

describe('number formats', () => {
  it('shows GEX in billions with two decimals and a sign', () => {
    expect(bn(-10998709390.13)).toBe('-11.00 Bn');
    expect(bn(111530700336.23)).toBe('111.53 Bn');
    expect(bn(625_000_000)).toBe('0.63 Bn');
    expect(bn(null)).toBe('—');
    expect(bn(Number.NaN)).toBe('—');
  });

  it('formats prices, integers and fixed decimals with separators', () => {
    expect(price(4697.2402)).toBe('4,697.24');
    expect(price(4800)).toBe('4,800');
    expect(price(null)).toBe('—');
    expect(int(20592)).toBe('20,592');
    expect(num(0.979, 1)).toBe('1.0');
  });

  it('keeps axis labels short', () => {
    expect(compact(2_000_000_000)).toBe('2.0B');
    expect(compact(-25_000_000_000)).toBe('-25B');
    expect(compact(350_000_000)).toBe('350M');
    expect(compact(12_000)).toBe('12K');
    expect(compact(0)).toBe('0');
  });

  it('writes durations compactly', () => {
    expect(duration(840)).toBe('840 ms');
    expect(duration(12_400)).toBe('12.4 s');
    expect(duration(185_000)).toBe('3m 05s');
    expect(duration(7_260_000)).toBe('2h 01m');
    expect(duration(-5)).toBe('0 ms');
    expect(duration(null)).toBe('—');
  });

  it('shows timestamps in their own offset, sizes and file names', () => {
    expect(stamp('2024-01-07T10:52:00-05:00')).toBe('2024-01-07 10:52:00');
    expect(bytes(1_578_085)).toBe('1.5 MB');
    expect(bytes(40)).toBe('40 B');
    expect(basename('/tmp/a/b/spx.csv')).toBe('spx.csv');
    expect(basename('C:\\data\\meta.json')).toBe('meta.json');
  });
});
