// History's price chart's lines: spot, the flip and both walls of each point, in the
// formats every other view writes them (a spot always with its decimals, `spotPrice`:
// "5,120.00" beside "4,760.55", as the board and the workbench read it; before 2026-12-07
// History's readout wrote "spot 5,120; flip 4,729.50", QA wb F3). Pure: tests run it in Node.
import type { HistoryPoint } from '../../../../shared/api.ts';
import type { Series } from '../../components/plot/layout.ts';
import { price, spotPrice } from '../../text/numbers.ts';
import { MARK } from './marks.ts';

type Levels = Pick<HistoryPoint, 'spot' | 'zero_gamma' | 'call_wall' | 'put_wall'>;

export const levelSeries = (points: readonly Levels[]): Series[] => [
  {
    label: 'spot',
    values: points.map((p) => p.spot),
    kind: 'line',
    color: MARK.spot,
    unit: 'price',
    format: spotPrice,
  },
  {
    label: 'flip',
    values: points.map((p) => p.zero_gamma),
    kind: 'line',
    color: MARK.flip,
    unit: 'price',
    format: price,
  },
  {
    label: 'call wall',
    values: points.map((p) => p.call_wall),
    kind: 'line',
    color: MARK.call,
    unit: 'price',
    format: price,
  },
  {
    label: 'put wall',
    values: points.map((p) => p.put_wall),
    kind: 'line',
    color: MARK.put,
    unit: 'price',
    format: price,
  },
];
