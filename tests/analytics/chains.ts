// Generated option chains in the long CSV format for the measures' and analytics' tests,
// with the expiries a test asks for (0DTE, weeklies, third-Friday monthlies, far dates),
// deterministic from a seed. Each writer returns the contracts as the oracle reads them
// (tests/pipeline/exposures-oracle.ts), with the file line of each.
import { writeFileSync } from 'node:fs';
import { rng } from '../fixtures/option-chains.ts';
import type { OracleContract } from '../pipeline/exposures-oracle.ts';

export type GeneratedChain = {
  underlying: string;
  /** ISO-8601 with offset, as written in the file. */
  asOf: string;
  spot: number;
  expiries: string[];
  /** Strikes per expiry around spot. */
  strikes?: number;
  step?: number;
  seed?: number;
  /** Share of contracts whose gamma cell is empty (the engine takes BS gamma from IV). */
  missingGammaShare?: number;
  /** Share of contracts with IV 0. */
  zeroIvShare?: number;
  /** Multiplies every open interest (e.g. to move a wall between two snapshots). */
  oiScale?: (expiry: string, strike: number, type: 'C' | 'P') => number;
};

const HEADER = 'underlying,as_of,spot,expiry,strike,option_type,open_interest,volume,iv,gamma';

export function chainContracts(g: GeneratedChain): OracleContract[] {
  const rand = rng(g.seed ?? 1);
  const n = g.strikes ?? 21;
  const step = g.step ?? 5;
  const center = Math.round(g.spot / step) * step;
  const out: OracleContract[] = [];
  let line = 2;
  for (const expiry of g.expiries) {
    for (let j = 0; j < n; j++) {
      const strike = center + (j - Math.floor(n / 2)) * step;
      const m = Math.log(strike / g.spot);
      for (const type of ['C', 'P'] as const) {
        const iv =
          rand() < (g.zeroIvShare ?? 0)
            ? 0
            : Math.round((0.12 + 0.3 * m * m + 0.05 * rand()) * 1e4) / 1e4;
        const gamma =
          rand() < (g.missingGammaShare ?? 0)
            ? null
            : Number((0.001 + 0.02 * Math.exp(-40 * m * m) * rand()).toPrecision(5));
        const scale = g.oiScale?.(expiry, strike, type) ?? 1;
        const open_interest = Math.round(
          (10 + Math.floor(rand() * 5000 * Math.exp(-20 * Math.abs(m)))) * scale,
        );
        const volume = Math.floor(rand() * 900);
        out.push({
          line: line++,
          expiry,
          strike,
          type,
          open_interest,
          volume,
          iv,
          gamma,
          delta: null,
        });
      }
    }
  }
  return out;
}

export function chainCsv(g: GeneratedChain, contracts = chainContracts(g)): string {
  const rows = contracts.map((c) =>
    [
      g.underlying,
      g.asOf,
      g.spot,
      c.expiry,
      c.strike,
      c.type,
      c.open_interest,
      c.volume,
      c.iv ?? '',
      c.gamma ?? '',
    ].join(','),
  );
  return [HEADER, ...rows].join('\n') + '\n';
}

export function writeChain(path: string, g: GeneratedChain): OracleContract[] {
  const contracts = chainContracts(g);
  writeFileSync(path, chainCsv(g, contracts));
  return contracts;
}

/**
 * The smallest chain of an underlying (any text: quoted as CSV quotes it): a call and a put
 * at strike 400, spot 400, OI 10, iv 0.3, gamma 0.01, expiring 2024-03-22, as of 10:30
 * New York time on `date`.
 */
export function writeTinyChain(path: string, underlying: string, date = '2024-03-15'): void {
  const u = /[",\r\n]/.test(underlying) ? `"${underlying.replaceAll('"', '""')}"` : underlying;
  const rows = ['C', 'P'].map(
    (t) => `${u},${date}T10:30:00-04:00,400,2024-03-22,400,${t},10,1,0.3,0.01`,
  );
  writeFileSync(path, [HEADER, ...rows].join('\n') + '\n');
}
