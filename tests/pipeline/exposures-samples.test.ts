// The real samples against the independent computation (exposures-oracle.ts): the oracle
// takes the contracts as the readers normalise them (the inputs: expiry, strike, type, OI,
// volume, IV, gamma, and the file's delta where a reader gives it) and computes every
// measure itself; the run's output and Parquet files must agree, relative 1e-6.
import { describe, expect, it } from 'vitest';
import type { Chain } from '../../electron/engine/pipeline/chain.ts';
import { computeGex, selectContracts } from '../../electron/engine/pipeline/gex.ts';
import { readChain, runPipeline } from '../../electron/engine/pipeline/index.ts';
import { compareWithOracle } from './exposures-compare.ts';
import { DEFAULT_ORACLE, oracle, type OracleContract } from './exposures-oracle.ts';
import { conventions, META_SAMPLE, runSampleTests, SPX_SAMPLE, tempDir } from './helpers.ts';

const orNull = (v: number): number | null => (Number.isNaN(v) ? null : v);

export function oracleContracts(chain: Chain): OracleContract[] {
  const c = chain.contracts;
  return Array.from({ length: c.n }, (_, i) => ({
    line: c.line[i]!,
    expiry: c.expiries[c.expiry[i]!]!,
    strike: c.strike[i]!,
    type: c.call[i] ? ('C' as const) : ('P' as const),
    open_interest: c.open_interest[i]!,
    volume: c.volume[i]!,
    iv: orNull(c.iv[i]!),
    gamma: orNull(c.gamma[i]!),
    delta: orNull(c.delta[i]!),
  }));
}

describe.skipIf(!runSampleTests)('real samples against the independent computation', () => {
  for (const [name, file] of [
    ['SPX CSV', SPX_SAMPLE],
    ['META JSON', META_SAMPLE],
  ] as const) {
    it(`${name}: exposures, strikes, expiries, buckets, absolute-gamma strike`, async () => {
      const conv = conventions();
      const chain = await readChain(file, conv);
      if (!chain.ok) throw new Error(chain.error.message);
      const want = oracle(
        oracleContracts(chain.value),
        chain.value.spot,
        chain.value.as_of,
        DEFAULT_ORACLE,
      );
      const r = await runPipeline({
        file,
        dataDir: tempDir(),
        snapshotId: `oracle-${name.split(' ')[0]}`,
        conventions: conv,
      });
      if (!r.ok) throw new Error(JSON.stringify(r.error));
      compareWithOracle(r.value, want, name);
      const noVol =
        r.value.snapshot.quality.partial?.find((p) => p.reason.startsWith('iv 0'))?.rows ?? 0;
      expect(noVol).toBe(want.no_vol_rows);
      expect(r.value.snapshot.quality.rows_used).toBe(want.used_rows);
    });
  }

  it("SPX: the file's delta, where a reader gives one, is used instead of Black-Scholes", async () => {
    const conv = conventions();
    const chain = await readChain(SPX_SAMPLE, conv);
    if (!chain.ok) throw new Error(chain.error.message);
    const c = chain.value.contracts;
    // Give every tenth contract a delta of its own (as a reader of a file with a Delta column does).
    for (let i = 0; i < c.n; i += 10)
      c.delta[i] = c.call[i] ? 0.5 + (i % 7) / 100 : -0.5 + (i % 5) / 100;
    const want = oracle(
      oracleContracts(chain.value),
      chain.value.spot,
      chain.value.as_of,
      DEFAULT_ORACLE,
    );
    const got = computeGex(chain.value, selectContracts(chain.value, conv), conv);
    if (!got.ok) throw new Error(got.error.message);
    const rel =
      Math.abs(got.value.exposures.dex - want.exposures.dex) / Math.abs(want.exposures.dex);
    expect(rel).toBeLessThan(1e-6);
    for (let i = 0; i < c.n; i += 10) c.delta[i] = NaN;
    const bs = computeGex(chain.value, selectContracts(chain.value, conv), conv);
    if (!bs.ok) throw new Error(bs.error.message);
    expect(
      Math.abs(bs.value.exposures.dex - want.exposures.dex) / Math.abs(want.exposures.dex),
    ).toBeGreaterThan(1e-4);
  });
});
