// Time-axis tick labels: the date where the day changes in the data's offset, the time
// alone between, so that a day of snapshots reads "2024-01-07 10:00, 11:00, …".
import { describe, expect, it } from 'vitest';
import { timeTickFormat } from '../../renderer/src/components/plot/ticks.ts';

const at = (iso: string) => Date.parse(iso);

describe('timeTickFormat', () => {
  const label = timeTickFormat(-300); // New York in winter

  it('gives the date on the first tick and where the day changes in the offset, else the time', () => {
    expect(label(at('2024-01-07T15:00:00Z'), null)).toBe('2024-01-07 10:00');
    expect(label(at('2024-01-07T16:00:00Z'), at('2024-01-07T15:00:00Z'))).toBe('11:00');
    // 04:00 UTC on the 8th is still the 7th at −05:00: no date.
    expect(label(at('2024-01-08T04:00:00Z'), at('2024-01-07T23:00:00Z'))).toBe('23:00');
    // Midnight is the date alone, however far the previous tick.
    expect(label(at('2024-01-08T05:00:00Z'), at('2024-01-08T04:00:00Z'))).toBe('2024-01-08');
    expect(label(at('2024-01-09T05:00:00Z'), at('2024-01-08T05:00:00Z'))).toBe('2024-01-09');
    expect(label(at('2024-01-08T06:00:00Z'), at('2024-01-08T05:00:00Z'))).toBe('01:00');
  });

  it('counts days in the offset east of UTC too', () => {
    const tokyo = timeTickFormat(540);
    expect(tokyo(at('2024-01-07T15:00:00Z'), at('2024-01-07T14:00:00Z'))).toBe('2024-01-08');
    expect(tokyo(at('2024-01-07T15:30:00Z'), null)).toBe('2024-01-08 00:30');
    expect(tokyo(at('2024-01-07T16:00:00Z'), at('2024-01-07T15:00:00Z'))).toBe('01:00');
  });
});
