// The exposures beyond gamma (ANALYTICS.md) against closed forms and against an
// independent computation (exposures-oracle.ts) on generated chains: 0DTE, weekly and
// monthly expiries, missing gammas, IV 0, other rates and day counts. Figures are read
// back from the run's own output and its Parquet files, relative 1e-6.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pl from 'nodejs-polars';
import { describe, expect, it } from 'vitest';
import { runPipeline } from '../../electron/engine/pipeline/index.ts';
import type { GexConventions } from '../../shared/domain.ts';
import type { PipelineOutput } from '../../shared/pipeline.ts';
import { chainContracts, chainCsv, type GeneratedChain } from '../analytics/chains.ts';
import { compareWithOracle, expectClose } from './exposures-compare.ts';
import {
  greeks,
  oracle,
  Phi,
  phi,
  type OracleContract,
  type OracleConventions,
} from './exposures-oracle.ts';
import { conventions, tempDir } from './helpers.ts';

const dir = tempDir('gex-exposures-');
/** The pipeline on `text`, written as `<name>.csv`: its result and the file's path. */
async function attempt(name: string, text: string, conv: Partial<GexConventions> = {}) {
  const file = join(dir, `${name}.csv`);
  writeFileSync(file, text);
  const r = await runPipeline({
    file,
    dataDir: join(dir, 'data'),
    snapshotId: name,
    conventions: conventions(conv),
  });
  return { file, r };
}

async function run(
  name: string,
  text: string,
  conv: Partial<GexConventions> = {},
): Promise<PipelineOutput> {
  const { r } = await attempt(name, text, conv);
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return r.value;
}

/** The error the pipeline refuses `text` with, and the file's path. */
async function refusal(name: string, text: string) {
  const { file, r } = await attempt(name, text);
  expect(r.ok).toBe(false);
  if (r.ok) throw new Error('accepted');
  return { file, error: r.error };
}

const HEAD = 'underlying,as_of,spot,expiry,strike,option_type,open_interest,volume,iv,gamma\n';
// Monday 2024-01-08 → Monday 2024-01-22: 10 business days, 14 calendar days.
const AS_OF = '2024-01-08T10:00:00-05:00';
const row = (
  k: number,
  t: 'C' | 'P',
  oi: number,
  iv: number | '',
  gamma: number | '' = '',
  expiry = '2024-01-22',
) => `TEST,${AS_OF},100,${expiry},${k},${t},${oi},1,${iv},${gamma}\n`;

describe('one contract, by hand', () => {
  const t = 10 / 262;
  const S = 100;
  it('a call at the money: Δ = N(σ√T/2), vanna = φ(d1)·√T/2, charm = −φ(d1)·σ/(4√T) per year', async () => {
    const out = await run('atm-call', HEAD + row(100, 'C', 1000, 0.2, 0.04));
    const d1 = (0.2 * Math.sqrt(t)) / 2;
    const k = 1000 * 100 * S;
    expectClose(out.measures.exposures.gex, 0.04 * 1000 * 100 * S * S * 0.01, 'gex');
    expectClose(out.measures.exposures.dex, Phi(d1) * k, 'dex');
    expectClose(out.measures.exposures.vex, phi(d1) * (Math.sqrt(t) / 2) * k * 0.01, 'vex');
    expectClose(
      out.measures.exposures.cex,
      ((-phi(d1) * 0.2) / (4 * Math.sqrt(t)) / 262) * k,
      'cex',
    );
    expect(out.measures.absolute_gamma_strike).toBe(100);
    expect(out.snapshot.quality.partial).toEqual([]);
  });

  it('put-call relations with r = q = 0: Δc − Δp = 1, equal vanna and charm (so puts-negative cancels them)', async () => {
    const call = await run('pc-call', HEAD + row(95, 'C', 700, 0.25));
    const put = await run('pc-put', HEAD + row(95, 'P', 700, 0.25));
    const both = await run('pc-both', HEAD + row(95, 'C', 700, 0.25) + row(95, 'P', 700, 0.25));
    expectClose(call.measures.exposures.dex - put.measures.exposures.dex, 700 * 100 * S, 'Δc − Δp');
    expect(put.measures.exposures.dex).toBeLessThan(0);
    expectClose(call.measures.exposures.vex, -put.measures.exposures.vex, 'vanna');
    expectClose(call.measures.exposures.cex, -put.measures.exposures.cex, 'charm');
    expect(Math.abs(both.measures.exposures.vex)).toBeLessThan(
      1e-9 * Math.abs(call.measures.exposures.vex),
    );
    expect(Math.abs(both.measures.exposures.cex)).toBeLessThan(
      1e-9 * Math.abs(call.measures.exposures.cex),
    );
    // GEX with BS gamma from IV: the same gamma for both, puts negative; the snapshot says so.
    expectClose(call.measures.exposures.gex, -put.measures.exposures.gex, 'gamma');
    expect(both.snapshot.quality.partial).toEqual([
      { reason: 'no gamma in the file: Black-Scholes gamma from iv', rows: 2 },
    ]);
  });

  it('with r and q: Δc − Δp = e^{−qT}, charm_c − charm_p = q·e^{−qT} per year; act-365 counts days ÷ 365', async () => {
    const conv = { rate: 0.05, dividend_yield: 0.02, day_count: 'act-365' as const };
    const T = 14 / 365;
    const call = await run('rq-call', HEAD + row(105, 'C', 400, 0.3), conv);
    const put = await run('rq-put', HEAD + row(105, 'P', 400, 0.3), conv);
    const k = 400 * 100 * S;
    expectClose(
      call.measures.exposures.dex - put.measures.exposures.dex,
      Math.exp(-0.02 * T) * k,
      'Δc − Δp',
    );
    // cex is puts-negative: cex_c + cex_p = (charm_c − charm_p)·k ÷ 365.
    expectClose(
      call.measures.exposures.cex + put.measures.exposures.cex,
      ((0.02 * Math.exp(-0.02 * T)) / 365) * k,
      'charm parity',
      Math.abs(call.measures.exposures.cex),
    );
    const g = greeks('C', S, 105, 0.3, T, 0.05, 0.02);
    expectClose(call.measures.exposures.vex, g.vanna * k * 0.01, 'vanna');
    expectClose(call.measures.exposures.cex, (g.charmPerYear / 365) * k, 'charm');
  });

  it('IV 0 gives no vanna and no charm, counted in quality.partial; delta at its σ → 0 limit', async () => {
    const out = await run(
      'zero-iv',
      HEAD +
        row(90, 'C', 100, 0, 0.01) +
        row(110, 'C', 100, 0, 0.01) +
        row(110, 'P', 100, 0, 0.01) +
        row(100, 'C', 50, 0.2, 0.03),
    );
    const atm = greeks('C', S, 100, 0.2, t, 0, 0);
    expectClose(
      out.measures.exposures.vex,
      atm.vanna * 50 * 100 * S * 0.01,
      'vex only from the σ > 0 contract',
    );
    expectClose(out.measures.exposures.cex, (atm.charmPerYear / 262) * 50 * 100 * S, 'cex');
    // 90C deep in the money: Δ 1; 110C out: 0; 110P in: −1.
    expectClose(
      out.measures.exposures.dex,
      (1 + 0 - 1) * 100 * 100 * S + atm.delta * 50 * 100 * S,
      'dex',
    );
    expect(out.snapshot.quality.partial).toEqual([
      { reason: 'iv 0 or missing: vanna and charm count 0', rows: 3 },
      { reason: 'no delta and iv 0 or missing: delta at its σ → 0 limit', rows: 3 },
    ]);
    expect(out.snapshot.quality.rows_used).toBe(4);
  });
});

describe('buckets and the absolute-gamma strike', () => {
  it('0DTE is the snapshot date in the exchange time zone, monthly the third Friday, weekly the rest', async () => {
    // 2024-01-19 is January's third Friday; 2024-02-16 February's. The as_of is given in UTC:
    // 2024-01-09T03:00Z is still 2024-01-08 in New York.
    const asOf = '2024-01-09T03:00:00Z';
    const text =
      HEAD +
      ['2024-01-08', '2024-01-12', '2024-01-19', '2024-02-16', '2024-02-23']
        .flatMap((e, i) => [
          row(100 + i, 'C', 100 * (i + 1), 0.2, 0.02, e),
          row(95 - i, 'P', 80 * (i + 1), 0.25, 0.02, e),
        ])
        .join('')
        .replaceAll(AS_OF, asOf);
    const out = await run('buckets', text);
    const expiries = pl.readParquet(out.expiriesParquet).toRecords() as {
      expiry: string;
      bucket: string;
      call_wall: number;
      put_wall: number;
    }[];
    // The expired check uses the same date (2024-01-08, not the 01-09 of the UTC offset):
    // 01-08 is the 0DTE expiry, not an expired one.
    expect(expiries.map((e) => [e.expiry, e.bucket])).toEqual([
      ['2024-01-08', '0dte'],
      ['2024-01-12', 'weekly'],
      ['2024-01-19', 'monthly'],
      ['2024-02-16', 'monthly'],
      ['2024-02-23', 'weekly'],
    ]);
    expect(out.measures.buckets.map((b) => b.bucket)).toEqual(['0dte', 'weekly', 'monthly']);
    expect(out.measures.buckets[0]).toMatchObject({ call_wall: 100, put_wall: 95 });
    expect(out.measures.buckets[2]).toMatchObject({ call_wall: 103, put_wall: 92 });
    expect(expiries[2]).toMatchObject({ call_wall: 102, put_wall: 93 });
    const local = await run('buckets-local', text.replaceAll(asOf, '2024-01-19T10:00:00-05:00'));
    expect(local.measures.buckets.map((b) => b.bucket)).toEqual(['0dte', 'weekly', 'monthly']);
    expect(local.measures.buckets[0]).toMatchObject({ call_wall: 102, put_wall: 93 });
  });

  it('the absolute-gamma strike is the largest call GEX + |put GEX|, not the largest net', async () => {
    const out = await run(
      'abs',
      HEAD +
        row(100, 'C', 1000, 0.2, 0.01) +
        row(100, 'P', 990, 0.2, 0.01) +
        row(105, 'C', 300, 0.2, 0.01),
    );
    expect(out.snapshot.call_wall).toBe(100);
    expect(out.measures.absolute_gamma_strike).toBe(100);
    const net = pl
      .readParquet(out.strikesParquet)
      .sort('net_gex', true)
      .getColumn('strike')
      .toArray();
    expect(net[0]).toBe(105);
  });
});

describe('generated chains against the independent computation', () => {
  const cases: [string, GeneratedChain, Partial<GexConventions>, OracleConventions][] = [
    [
      'default conventions, 0DTE on a third Friday, missing gammas, IV 0',
      {
        underlying: 'SPX',
        asOf: '2024-01-19T11:30:00-05:00',
        spot: 4803.21,
        expiries: [
          '2024-01-19',
          '2024-01-22',
          '2024-01-26',
          '2024-02-16',
          '2024-03-15',
          '2024-06-21',
        ],
        strikes: 41,
        seed: 3,
        missingGammaShare: 0.3,
        zeroIvShare: 0.05,
      },
      {},
      {
        multiplier: 100,
        move: 0.01,
        dayCount: 'business-262',
        r: 0,
        q: 0,
        timeZone: 'America/New_York',
      },
    ],
    [
      'r, q, act-365, multiplier 10, move 1%',
      {
        underlying: 'XSP',
        asOf: '2024-07-05T15:59:00-04:00',
        spot: 554.64,
        expiries: ['2024-07-05', '2024-07-12', '2024-07-19', '2024-12-20'],
        strikes: 31,
        step: 1,
        seed: 9,
        missingGammaShare: 1,
      },
      { rate: 0.053, dividend_yield: 0.013, day_count: 'act-365', contract_multiplier: 10 },
      {
        multiplier: 10,
        move: 0.01,
        dayCount: 'act-365',
        r: 0.053,
        q: 0.013,
        timeZone: 'America/New_York',
      },
    ],
  ];
  for (const [name, g, conv, oc] of cases) {
    it(name, async () => {
      const contracts = chainContracts(g);
      const out = await run(`gen-${g.underlying}`, chainCsv(g, contracts), conv);
      compareWithOracle(out, oracle(contracts, g.spot, g.asOf, oc), name);
    });
  }
});

describe('sparse cells', () => {
  it('expiries with strikes of their own (few cells beside expiries × strikes) sum the same as the oracle', async () => {
    // 40 expiries × 30 strikes each, no strike shared: 1,200 strikes, 48,000 possible cells,
    // 1,200 used: the rows are sorted into cells rather than indexed.
    const g: GeneratedChain = {
      underlying: 'SPRD',
      asOf: '2024-01-08T10:00:00-05:00',
      spot: 1050,
      expiries: [],
    };
    const contracts: OracleContract[] = [];
    let line = 2;
    for (let e = 0; e < 40; e++) {
      const expiry = new Date(Date.UTC(2024, 0, 9 + e * 37)).toISOString().slice(0, 10);
      for (let k = 0; k < 30; k++) {
        const strike = 1000 + e * 0.125 + k * 5;
        for (const type of ['C', 'P'] as const)
          contracts.push({
            line: line++,
            expiry,
            strike,
            type,
            open_interest: 10 + ((e * 31 + k * 7) % 500),
            volume: k,
            iv: 0.15 + (k % 9) / 100,
            gamma: k % 4 === 0 ? null : 0.001 + (e % 5) / 1000,
            delta: null,
          });
      }
    }
    const out = await run('sparse', chainCsv(g, contracts));
    compareWithOracle(out, oracle(contracts, g.spot, g.asOf), 'sparse');
    expect(pl.readParquet(out.strikesParquet).height).toBe(1200);
  });
});

describe('bounds', () => {
  it('refuses a chain whose every contract has expired (NO_ROWS, saying why): a snapshot of zeros would be its underlying’s latest', async () => {
    const { file, error } = await refusal(
      'all-expired',
      HEAD +
        row(100, 'C', 10, 0.2, 0.01, '2024-01-05') +
        row(100, 'P', 10, 0.2, 0.01, '2024-01-05') +
        row(105, 'C', 10, 0.2, 0.01, '2024-01-05'),
    );
    expect(error).toEqual({
      code: 'NO_ROWS',
      file,
      message: `${file}: none of its 3 option rows can be used (3 expired before 2024-01-08, the exchange's date of its as_of)`,
    });
  });

  it('refuses a chain no row of which has a gamma (none in the file, IV 0): NO_ROWS, not a snapshot of zeros', async () => {
    const { file, error } = await refusal(
      'no-gamma',
      HEAD + row(100, 'C', 10, 0, '') + row(100, 'P', 10, 0, ''),
    );
    expect(error).toEqual({
      code: 'NO_ROWS',
      file,
      message: `${file}: none of its 2 option rows can be used (2: no gamma in the file and iv 0)`,
    });
  });

  it('a total that overflows is BAD_VALUE naming the line, never INTERNAL', async () => {
    const { error } = await refusal(
      'huge',
      HEAD + row(100, 'C', 10, 0.2, 0.01) + row(100, 'C', 1e300, 0.2, 1e10),
    );
    expect(error.code).toBe('BAD_VALUE');
    expect(error.line).toBe(3);
    expect(error.message).toContain('line 3');
  });

  it('a 60,000-row file whose expiries spread over 1900–2200 runs in bounded memory (sparse cells)', async () => {
    const file = join(dir, 'spread.csv');
    const lines = [HEAD.trimEnd()];
    for (let i = 0; i < 30_000; i++) {
      const year = 1900 + (i % 300);
      const day = 1 + ((i * 7) % 28);
      const expiry = `${year}-${String(1 + (i % 12)).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
      const strike = 50 + (i % 20_000) * 0.5;
      for (const t of ['C', 'P'])
        lines.push(`WIDE,1900-01-01T10:00:00-05:00,100,${expiry},${strike},${t},1,1,0.2,0.001`);
    }
    writeFileSync(file, lines.join('\n') + '\n');
    const before = process.memoryUsage().rss;
    const r = await runPipeline({
      file,
      dataDir: join(dir, 'data'),
      snapshotId: 'spread',
      conventions: conventions(),
    });
    if (!r.ok) throw new Error(JSON.stringify(r.error));
    expect(r.value.snapshot.contracts).toBe(60_000);
    // A dense expiry × strike grid would ask for tens of gigabytes; the sparse cells take a few MB.
    expect(process.memoryUsage().rss - before).toBeLessThan(500 * 1024 * 1024);
    expect(pl.readParquet(r.value.strikesParquet).height).toBe(30_000);
  });
});
