// What a chart says to a screen reader of its content (chart-summary.ts, QA wb F1): the
// largest and most negative figure and where along strikes or levels, first → last and
// the direction over time, the levels marked, in the chart's own formats with units.
import { describe, expect, it } from 'vitest';
import {
  chartSummary,
  gridSummary,
  sparkSummary,
} from '../../renderer/src/components/plot/chart-summary.ts';
import type { PlotSpec } from '../../renderer/src/components/plot/layout.ts';
import { price, spotPrice } from '../../renderer/src/text/numbers.ts';
import { BN, gex, gexReadout } from '../../renderer/src/text/scale.ts';

const fmt = (v: number) => gexReadout(v, BN, '$ per 1 % move');
const spec = (over: Partial<PlotSpec>): PlotSpec => ({
  label: 'SPX Net GEX by strike, all expiries',
  x: [4500, 4600, 4700, 4800],
  xTitle: 'Strike',
  xFormat: price,
  xKind: 'number',
  yTitle: 'Bn',
  yTick: String,
  series: [
    {
      label: 'Net GEX',
      values: [-2.3e9, 0.5e9, null, 3e9],
      kind: 'bar',
      color: '#fff',
      unit: 'USD',
      format: fmt,
    },
  ],
  ...over,
});

describe('chart summaries', () => {
  it('names the largest and most negative bar with their strikes, and the levels marked', () => {
    const s = chartSummary(
      spec({
        markers: [
          { x: 4750.1, label: 'spot 4,750.10', color: '#fff' },
          { x: 4800, label: 'call wall 4,800', color: '#fff' },
        ],
      }),
    );
    expect(s).toBe(
      '4 strikes, 4,500 to 4,800. Net GEX largest 3.00 Bn $ per 1 % move at strike 4,800, ' +
        'most negative -2.30 Bn $ per 1 % move at strike 4,500. Marked: spot 4,750.10; call wall 4,800.',
    );
  });

  it('a gamma profile: where total GEX is highest and lowest, and the flip marked', () => {
    const s = chartSummary(
      spec({
        label: 'SPX gamma profile',
        x: [4600, 4700, 4800],
        xTitle: 'Spot level',
        series: [
          { ...spec({}).series[0]!, label: 'total GEX', kind: 'line', values: [-4e9, -1e9, 2e9] },
        ],
        markers: [{ x: 4735.72, label: 'flip 4,735.72', color: '#fff', kind: 'flip' }],
      }),
    );
    expect(s).toContain('3 spot levels, 4,600 to 4,800.');
    expect(s).toContain('total GEX largest 2.00 Bn $ per 1 % move at spot level 4,800');
    expect(s).toContain('most negative -4.00 Bn $ per 1 % move at spot level 4,600');
    expect(s).toContain('Marked: flip 4,735.72.');
  });

  it('a time series: first → last and the direction, over how many snapshots, its holes', () => {
    const D = 86_400_000;
    const s = chartSummary(
      spec({
        label: 'SPX spot, flip and walls over time',
        x: [0, D / 4, 64 * D],
        xTitle: 'As of',
        xFormat: (v) => `day ${v / D}`,
        xKind: 'time',
        xBreak: 4 * D,
        series: [
          {
            ...spec({}).series[0]!,
            label: 'spot',
            kind: 'line',
            values: [4750.1, 4760.55, 5120],
            format: spotPrice,
          },
          {
            ...spec({}).series[0]!,
            label: 'flip',
            kind: 'line',
            values: [null, 4729.5, 4704.96],
            format: price,
          },
          {
            ...spec({}).series[0]!,
            label: 'call wall',
            kind: 'line',
            values: [4800, 4800, 4800],
            format: price,
          },
        ],
      }),
    );
    expect(s).toBe(
      '3 snapshots, day 0 to day 64 (1 hole of days with none). spot from 4,750.10 to 5,120.00, up 369.90; ' +
        'flip from 4,729.50 to 4,704.96, down 24.54; call wall from 4,800 to 4,800, unchanged.',
    );
  });

  it('a sparkline: from X to Y over N snapshots, up or down by how much', () => {
    const f = (v: number) => gex(v, BN);
    expect(sparkSummary([-8.98e9, 1e9, 3.02e9], f)).toBe(
      'from -8.98 Bn to 3.02 Bn over 3 snapshots, up 12.00 Bn',
    );
    expect(sparkSummary([2e9, 0.5e9], f)).toBe(
      'from 2.00 Bn to 0.50 Bn over 2 snapshots, down 1.50 Bn',
    );
  });
});

describe('strike × expiry map summary', () => {
  it('names its size, and its largest and most negative cell with strike and expiry', () => {
    const g = {
      expiries: ['2024-01-08', '2024-01-19'],
      strikes: [4700, 4800],
      net: new Float64Array([-0.8e9, NaN, 0.2e9, 1.2e9]),
    };
    expect(gridSummary(g, fmt, price)).toBe(
      '2 expiries × 2 strikes, 4,700 to 4,800. Net GEX largest cell 1.20 Bn $ per 1 % move at strike 4,800, expiry 2024-01-19; ' +
        'most negative -0.800 Bn $ per 1 % move at strike 4,700, expiry 2024-01-08.',
    );
  });
});
