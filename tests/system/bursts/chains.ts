// Option chains with chosen totals, for bursts whose levels the rules decide from content:
// a fixture chain (tests/fixtures) whose call and put open interest and volume are scaled
// so that its total open interest, volume and total GEX land where a burst needs them, and
// the totals computed here, independently of the engine (GEX of a contract = gamma × OI ×
// 100 × spot² × 0.01, puts negative, from the file's own gammas; no row is expired).
// Also the exchange wall-clock time of an instant, for formats without an offset.
import { writeFileSync } from 'node:fs';
import {
  cboeCsvText,
  cboeJsonText,
  longCsvText,
  makeChain,
  type ChainOptions,
  type FixtureChain,
} from '../../fixtures/option-chains.ts';

export interface Totals {
  gex: number;
  openInterest: number;
  volume: number;
  contracts: number;
}

/** Scales applied to a generated chain: call OI × calls, put OI × puts, volume × volume. */
export interface Scales {
  calls: number;
  puts: number;
  volume: number;
}

export const UNIT: Scales = { calls: 1, puts: 1, volume: 1 };

interface Sums {
  callGex: number;
  putGex: number;
  callOi: number;
  putOi: number;
  volume: number;
}

function sums(chain: FixtureChain): Sums {
  const k = 100 * chain.spot * chain.spot * 0.01;
  const s: Sums = { callGex: 0, putGex: 0, callOi: 0, putOi: 0, volume: 0 };
  for (const c of chain.contracts) {
    const g = (c.gamma ?? 0) * c.open_interest * k;
    if (c.option_type === 'C') {
      s.callGex += g;
      s.callOi += c.open_interest;
    } else {
      s.putGex -= g;
      s.putOi += c.open_interest;
    }
    s.volume += c.volume;
  }
  return s;
}

export function totalsOf(chain: FixtureChain): Totals {
  const s = sums(chain);
  return {
    gex: s.callGex + s.putGex,
    openInterest: s.callOi + s.putOi,
    volume: s.volume,
    contracts: chain.contracts.length,
  };
}

/** The chain with its open interest and volume scaled (and rounded to whole contracts). */
export function applyScales(chain: FixtureChain, s: Scales): FixtureChain {
  if (s === UNIT) return chain;
  return {
    ...chain,
    contracts: chain.contracts.map((c) => ({
      ...c,
      open_interest: Math.round(c.open_interest * (c.option_type === 'C' ? s.calls : s.puts)),
      volume: Math.round(c.volume * s.volume),
    })),
  };
}

/**
 * The scales that give `chain` the wanted total GEX and open interest (and volume):
 * calls × a and puts × b with a·callGex + b·putGex = gex and a·callOi + b·putOi = oi,
 * corrected for rounding over a few rounds. Throws when the target cannot be reached.
 */
export function scalesFor(
  chain: FixtureChain,
  want: { gex: number; openInterest: number; volume?: number },
): Scales {
  const s = sums(chain);
  const volume = want.volume === undefined ? 1 : want.volume / s.volume;
  let target = want.gex;
  let best: Scales | null = null;
  let bestErr = Infinity;
  for (let round = 0; round < 6; round++) {
    const det = s.callGex * s.putOi - s.putGex * s.callOi;
    const calls = (target * s.putOi - s.putGex * want.openInterest) / det;
    const puts = (s.callGex * want.openInterest - target * s.callOi) / det;
    if (!(calls > 0 && puts > 0))
      throw new Error(
        `total GEX ${want.gex} with open interest ${want.openInterest} is out of reach for this chain`,
      );
    const scales = { calls, puts, volume };
    const got = totalsOf(applyScales(chain, scales)).gex;
    const miss = Math.abs(got / want.gex - 1);
    if (miss < bestErr) [best, bestErr] = [scales, miss];
    if (miss < 1e-4) break;
    target += want.gex - got;
  }
  return best!;
}

/** A chain as the burst writes it: generated, then scaled. */
export function chainFor(opts: ChainOptions, scales: Scales): FixtureChain {
  return applyScales(makeChain(opts), scales);
}

export type ChainFormat = 'cboe-csv' | 'cboe-json' | 'long-csv';

/** Writes the chain in `format`; `offset` is the as_of offset the long format carries. */
export function writeChain(
  path: string,
  chain: FixtureChain,
  format: ChainFormat,
  offset: string,
): void {
  const text =
    format === 'cboe-csv'
      ? cboeCsvText(chain)
      : format === 'cboe-json'
        ? cboeJsonText(chain)
        : longCsvText(chain, { offset });
  writeFileSync(path, text);
}

const nyParts = new Intl.DateTimeFormat('en-US', {
  timeZone: 'America/New_York',
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

/** New York wall-clock time of an instant (whole seconds) and its UTC offset, e.g. -05:00. */
export function newYorkTime(ms: number): { wall: string; offset: string } {
  const at = Math.floor(ms / 1000) * 1000;
  const p = Object.fromEntries(nyParts.formatToParts(new Date(at)).map((x) => [x.type, x.value]));
  const wall = `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}:${p.second}`;
  const minutes = Math.round((Date.parse(`${wall}Z`) - at) / 60000);
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  const offset = `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
  return { wall, offset };
}
