// History's price chart writes each figure as the other views do (history-series.ts): a
// spot with its decimals even when whole, strikes and walls without (QA wb F3: "spot 5,120;
// flip 4,729.50" in one readout, where the board read "5,120.00").
import { describe, expect, it } from 'vitest';
import { levelSeries } from '../../renderer/src/views/snapshots/history-series.ts';
import { spotPrice } from '../../renderer/src/text/numbers.ts';

describe("History's levels", () => {
  it('writes a round spot with its decimals, as the board does, and walls as strikes', () => {
    const [spot, flip, call] = levelSeries([
      { spot: 5120, zero_gamma: 4729.5, call_wall: 5000, put_wall: 5000 },
    ]);
    expect(spot!.format(5120)).toBe('5,120.00');
    expect(spot!.format(5120)).toBe(spotPrice(5120));
    expect(flip!.format(4729.5)).toBe('4,729.50');
    expect(call!.format(5000)).toBe('5,000');
  });
});
