// Compares a pipeline run with the independent computation (exposures-oracle.ts): every
// figure, from the run's output and its Parquet files, relative 1e-6.
import pl from 'nodejs-polars';
import { expect } from 'vitest';
import { STRIKE_FIGURES } from '../../shared/domain.ts';
import type { PipelineOutput } from '../../shared/pipeline.ts';
import type { OracleResult } from './exposures-oracle.ts';

const REL = 1e-6;

/** |a − b| within 1e-6 of the larger magnitude (or of `scale` where a sum cancels to near 0). */
export function expectClose(
  actual: number | null | undefined,
  expected: number | null,
  what: string,
  scale = 0,
): void {
  if (expected === null) {
    expect(actual, what).toBeNull();
    return;
  }
  expect(typeof actual, what).toBe('number');
  const tol = REL * Math.max(Math.abs(expected), Math.abs(actual!), scale) + 1e-9;
  expect(Math.abs(actual! - expected), `${what}: ${actual} vs ${expected}`).toBeLessThanOrEqual(
    tol,
  );
}

/** Every figure of a run against the oracle: exposures, strikes (Parquet), expiries (Parquet), buckets, walls. */
export function compareWithOracle(out: PipelineOutput, want: OracleResult, label: string): void {
  const m = out.measures;
  // Sums that cancel are compared against the size of their terms.
  const scale = (k: 'gex' | 'dex' | 'vex' | 'cex') =>
    want.strikes.reduce(
      (n, s) => n + (k === 'gex' ? Math.abs(s.call_gex) + Math.abs(s.put_gex) : Math.abs(s[k])),
      0,
    ) * 1e-3;
  for (const k of ['gex', 'dex', 'vex', 'cex'] as const)
    expectClose(m.exposures[k], want.exposures[k], `${label} exposures.${k}`, scale(k));
  expect(m.absolute_gamma_strike, `${label} absolute_gamma_strike`).toBe(
    want.absolute_gamma_strike,
  );
  expect(out.snapshot.call_wall).toBe(want.call_wall);
  expect(out.snapshot.put_wall).toBe(want.put_wall);
  expect(m.buckets.map((b) => b.bucket)).toEqual(want.buckets.map((b) => b.bucket));
  m.buckets.forEach((b, i) => {
    const w = want.buckets[i]!;
    expectClose(b.net_gex, w.net_gex, `${label} bucket ${b.bucket} net_gex`, scale('gex'));
    expect([b.call_wall, b.put_wall], `${label} bucket ${b.bucket} walls`).toEqual([
      w.call_wall,
      w.put_wall,
    ]);
  });
  // Per strike over expiries, summed from the (expiry, strike) Parquet rows.
  const cells = pl.readParquet(out.strikesParquet);
  const byStrike = cells
    .groupBy('strike')
    .agg(...STRIKE_FIGURES.map((c) => pl.col(c).sum()))
    .sort('strike')
    .toRecords() as Record<string, number>[];
  expect(byStrike.map((s) => s.strike)).toEqual(want.strikes.map((s) => s.strike));
  byStrike.forEach((s, i) => {
    const w = want.strikes[i]!;
    for (const k of [
      'call_gex',
      'put_gex',
      'net_gex',
      'dex',
      'vex',
      'cex',
      'call_open_interest',
      'put_open_interest',
      'call_volume',
      'put_volume',
    ] as const)
      expectClose(
        s[k],
        w[k],
        `${label} strike ${s.strike} ${k}`,
        k.endsWith('gex')
          ? scale('gex') * 1e-3
          : k === 'dex' || k === 'vex' || k === 'cex'
            ? scale(k) * 1e-3
            : 0,
      );
  });
  const expiries = pl.readParquet(out.expiriesParquet).toRecords() as Record<
    string,
    number | string | null
  >[];
  expect(expiries.map((e) => [e.expiry, e.bucket])).toEqual(
    want.expiries.map((e) => [e.expiry, e.bucket]),
  );
  expiries.forEach((e, i) => {
    const w = want.expiries[i]!;
    for (const k of [
      'call_gex',
      'put_gex',
      'net_gex',
      'dex',
      'vex',
      'cex',
      'call_open_interest',
      'put_open_interest',
      'call_volume',
      'put_volume',
    ] as const)
      expectClose(
        e[k] as number,
        w[k],
        `${label} expiry ${e.expiry} ${k}`,
        k === 'dex' || k === 'vex' || k === 'cex' ? scale(k) * 1e-3 : 0,
      );
    expect([e.call_wall, e.put_wall], `${label} expiry ${e.expiry} walls`).toEqual([
      w.call_wall,
      w.put_wall,
    ]);
  });
}
