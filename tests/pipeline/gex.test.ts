// GEX arithmetic on chains whose answers are known in closed form: Black-Scholes gamma
// against textbook values, day counts, the profile's zero-gamma level, walls, max pain.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bsGamma, yearFraction } from '../../electron/engine/pipeline/black-scholes.ts';
import { maxPain } from '../../electron/engine/pipeline/gex.ts';
import { runPipeline } from '../../electron/engine/pipeline/index.ts';
import { zeroGamma } from '../../electron/engine/pipeline/profile.ts';
import { businessDays, epochDay } from '../../electron/engine/pipeline/time.ts';
import type { GexConventions } from '../../shared/domain.ts';
import { conventions, tempDir } from './helpers.ts';

const dir = tempDir('gex-math-');
const HEAD = 'underlying,as_of,spot,expiry,strike,option_type,open_interest,volume,iv,gamma';
// Monday 2024-01-08 → Monday 2024-01-22: 10 business days, 14 calendar days.
const AS_OF = '2024-01-08T10:00:00-05:00';
const EXPIRY = '2024-01-22';

async function runRows(
  name: string,
  spot: number,
  rows: [number, 'C' | 'P', number, number, number | ''][],
  conv: Partial<GexConventions> = {},
  expiry = EXPIRY,
) {
  const file = join(dir, `${name}.csv`);
  writeFileSync(
    file,
    [
      HEAD,
      ...rows.map(
        ([k, t, oi, iv, g]) => `TEST,${AS_OF},${spot},${expiry},${k},${t},${oi},1,${iv},${g}`,
      ),
    ].join('\n') + '\n',
  );
  const r = await runPipeline({
    file,
    dataDir: join(dir, 'out'),
    snapshotId: name,
    conventions: conventions(conv),
  });
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return r.value;
}

describe('Black-Scholes gamma', () => {
  it('matches known values', () => {
    // S=K=100, σ=20%, T=1, r=q=0: d1 = 0.1, Γ = φ(0.1)/(100·0.2) = 0.0198476
    expect(bsGamma(100, 100, 0.2, 1, 0, 0)).toBeCloseTo(0.019847627, 8);
    // Hull's example: S=49, K=50, r=5%, σ=20%, T=20 weeks → Γ ≈ 0.066
    expect(bsGamma(49, 50, 0.2, 0.3846, 0.05, 0)).toBeCloseTo(0.0655, 3);
    // With a dividend yield: e^{-qT} φ(d1)/(Sσ√T), d1 = (ln(S/K) + (r−q+σ²/2)T)/(σ√T)
    const d1 = (Math.log(110 / 100) + (0.03 - 0.02 + 0.5 * 0.09) * 0.5) / (0.3 * Math.sqrt(0.5));
    const want =
      (Math.exp(-0.02 * 0.5) * Math.exp(-0.5 * d1 * d1)) /
      Math.sqrt(2 * Math.PI) /
      (110 * 0.3 * Math.sqrt(0.5));
    expect(bsGamma(110, 100, 0.3, 0.5, 0.03, 0.02)).toBeCloseTo(want, 12);
    expect(bsGamma(100, 100, 0, 1, 0, 0)).toBe(0);
  });

  it('counts business days like numpy busday_count and year fractions by convention', () => {
    expect(businessDays(epochDay('2024-01-07'), epochDay('2024-01-08'))).toBe(0); // Sunday → Monday
    expect(businessDays(epochDay('2024-01-08'), epochDay('2024-01-22'))).toBe(10);
    expect(businessDays(epochDay('2024-01-05'), epochDay('2024-01-08'))).toBe(1); // Friday → Monday
    expect(businessDays(epochDay('2024-01-01'), epochDay('2024-12-31'))).toBe(261);
    expect(yearFraction('2024-01-08', '2024-01-22', 'business-262')).toBe(10 / 262);
    expect(yearFraction('2024-01-08', '2024-01-22', 'act-365')).toBe(14 / 365);
    // Same-day expiry counts one day.
    expect(yearFraction('2024-01-08', '2024-01-08', 'business-262')).toBe(1 / 262);
    expect(yearFraction('2024-01-07', '2024-01-08', 'business-262')).toBe(1 / 262);
  });
});

describe('GEX, walls and max pain', () => {
  it('GEX = gamma × OI × 100 × spot² × 0.01, puts negative; walls and max pain by strike', async () => {
    const out = await runRows('walls', 100, [
      [90, 'P', 1000, 0.2, 0.01],
      [95, 'P', 3000, 0.2, 0.02],
      [100, 'C', 500, 0.2, 0.04],
      [100, 'P', 500, 0.2, 0.04],
      [105, 'C', 2000, 0.2, 0.03],
      [110, 'C', 800, 0.2, 0.01],
    ]);
    const s = out.snapshot;
    const k = 100 * 100 * 100 * 0.01;
    expect(s.call_gex).toBeCloseTo((500 * 0.04 + 2000 * 0.03 + 800 * 0.01) * k, 6);
    expect(s.put_gex).toBeCloseTo(-(1000 * 0.01 + 3000 * 0.02 + 500 * 0.04) * k, 6);
    expect(s.total_gex).toBeCloseTo(s.call_gex + s.put_gex, 6);
    expect(s.call_wall).toBe(105);
    expect(s.put_wall).toBe(95);
    expect(s.total_open_interest).toBe(7800);
    expect(s.total_volume).toBe(6);
    // Settling at 100 pays 100C, 100P nothing, 95P/90P nothing, 105C/110C nothing: pain 0.
    expect(s.max_pain).toBe(100);
  });

  it('rounds figures to the cent alike for both signs, and never to −0', async () => {
    // 0.5 × 1 × 100 × 1.5² × 0.01 = 1.125 USD a side: half a cent either way.
    const half = (
      await runRows('half-cent', 1.5, [
        [1.5, 'C', 1, 0.2, 0.5],
        [1.5, 'P', 1, 0.2, 0.5],
      ])
    ).snapshot;
    expect(Math.abs(half.call_gex)).toBeCloseTo(1.13, 10);
    expect(half.put_gex).toBe(-half.call_gex);
    expect(half.total_gex).toBe(half.call_gex + half.put_gex);
    // −0.004 USD is 0 to the cent, not −0 (which a Parquet reader shows as −0.0).
    const tiny = (await runRows('minus-zero', 1, [[1, 'P', 1, 0.2, 0.004]])).snapshot;
    expect(tiny.total_gex).toBe(0);
    expect(tiny.put_gex).toBe(0);
  });

  it('max pain by brute force agrees with the linear method', () => {
    const strikes = Float64Array.from([80, 85, 90, 95, 100, 105, 110, 115]);
    const callOi = Float64Array.from([5, 0, 100, 300, 50, 900, 20, 10]);
    const putOi = Float64Array.from([400, 800, 200, 100, 60, 10, 0, 5]);
    let best = 0;
    let bestPain = Infinity;
    for (const s of strikes) {
      let pain = 0;
      strikes.forEach((k, i) => {
        pain += callOi[i]! * Math.max(0, s - k) + putOi[i]! * Math.max(0, k - s);
      });
      if (pain < bestPain) {
        bestPain = pain;
        best = s;
      }
    }
    expect(maxPain(strikes, callOi, putOi)).toBe(best);
    // No open interest at all: every strike's pain is 0, none is max pain (as no wall).
    const none = new Float64Array(strikes.length);
    expect(maxPain(strikes, none, none)).toBeNull();
    // Open interest on one side only still has an answer.
    expect(maxPain(strikes, none, putOi)).toBe(115);
  });

  it('uses BS gamma from IV where the gamma cell is empty', async () => {
    const out = await runRows('from-iv', 100, [[100, 'C', 1000, 0.25, '']]);
    const t = 10 / 262;
    expect(out.snapshot.call_gex).toBeCloseTo(
      bsGamma(100, 100, 0.25, t, 0, 0) * 1000 * 100 * 100 * 100 * 0.01,
      1,
    ); // snapshot figures are in cents
    const act = await runRows('from-iv-365', 100, [[100, 'C', 1000, 0.25, '']], {
      day_count: 'act-365',
      rate: 0.05,
      contract_multiplier: 10,
      move: 1,
    });
    expect(act.snapshot.call_gex).toBeCloseTo(
      bsGamma(100, 100, 0.25, 14 / 365, 0.05, 0) * 1000 * 10 * 100 * 100 * 1,
      1,
    );
  });
});

describe("the snapshot's date", () => {
  it("is the exchange's, whatever offset as_of is written in", async () => {
    // One instant, Friday 2024-01-19 19:30 in New York, written three ways; the chain
    // has that Friday's expiry (0DTE: not expired) and the next Friday's.
    const run = async (name: string, asOf: string) => {
      const file = join(dir, `${name}.csv`);
      writeFileSync(
        file,
        [
          HEAD,
          ...['2024-01-19', '2024-01-26'].flatMap((e) => [
            `TEST,${asOf},100,${e},100,C,1000,1,0.25,`,
            `TEST,${asOf},100,${e},95,P,800,1,0.3,`,
          ]),
        ].join('\n') + '\n',
      );
      const r = await runPipeline({
        file,
        dataDir: join(dir, 'out'),
        snapshotId: name,
        conventions: conventions(),
      });
      if (!r.ok) throw new Error(JSON.stringify(r.error));
      return { ...r.value.snapshot, buckets: r.value.measures.buckets };
    };
    const ny = await run('date-ny', '2024-01-19T19:30:00-05:00');
    expect(ny.contracts).toBe(4);
    expect(ny.buckets.map((b) => b.bucket)).toContain('0dte');
    expect(ny.parquet).toContain(join('date=2024-01-19', 'date-ny.parquet'));
    for (const [name, asOf] of [
      ['date-utc', '2024-01-20T00:30:00Z'],
      ['date-tokyo', '2024-01-20T09:30:00+09:00'],
    ] as const) {
      const s = await run(name, asOf);
      expect(s.contracts).toBe(4);
      expect([s.total_gex, s.zero_gamma, s.call_wall, s.put_wall]).toEqual([
        ny.total_gex,
        ny.zero_gamma,
        ny.call_wall,
        ny.put_wall,
      ]);
      expect(s.buckets).toEqual(ny.buckets);
      expect(s.parquet).toContain(join('date=2024-01-19', `${name}.parquet`));
    }
  });
});

describe('gamma profile and zero gamma', () => {
  it('a call above and a put below spot cross zero at √(K₁K₂)·e^{−σ²T/2}', async () => {
    const iv = 0.3;
    const t = 10 / 262;
    const out = await runRows(
      'cross',
      100,
      [
        [110, 'C', 1000, iv, 0.01],
        [90, 'P', 1000, iv, 0.01],
      ],
      { profile_points: 2000, profile_low: 0.5, profile_high: 1.5 },
    );
    const want = Math.sqrt(110 * 90) * Math.exp((-iv * iv * t) / 2);
    expect(out.profile).toHaveLength(2000);
    expect(out.snapshot.zero_gamma).not.toBeNull();
    expect(Math.abs(out.snapshot.zero_gamma! - want)).toBeLessThan(0.01);
    // Below the crossing the put dominates (negative), above the call (positive).
    expect(out.profile[0]!.gex).toBeLessThan(0);
    expect(out.profile[1999]!.gex).toBeGreaterThan(0);
  });

  it('each profile point is Σ ±Γ(level)·OI·100·level²·0.01', async () => {
    const out = await runRows(
      'points',
      100,
      [
        [95, 'C', 700, 0.22, 0.01],
        [105, 'P', 300, 0.18, 0.01],
      ],
      { profile_points: 5 },
    );
    const t = 10 / 262;
    for (const p of out.profile) {
      const want =
        (bsGamma(p.level, 95, 0.22, t, 0, 0) * 700 - bsGamma(p.level, 105, 0.18, t, 0, 0) * 300) *
        100 *
        p.level *
        p.level *
        0.01;
      expect(p.gex).toBeCloseTo(want, 6);
    }
    expect(out.profile.map((p) => p.level)).toEqual([80, 90, 100, 110, 120]);
  });

  it('IV 0 contributes nothing to the profile; no sign change means zero gamma is null', async () => {
    const out = await runRows('no-cross', 100, [
      [100, 'C', 1000, 0.2, 0.01],
      [100, 'P', 5000, 0, 0.01],
    ]);
    expect(out.profile.every((p) => p.gex > 0)).toBe(true);
    expect(out.snapshot.zero_gamma).toBeNull();
    // The file's gamma still counts in the total.
    expect(out.snapshot.put_gex).toBeCloseTo(-5000 * 0.01 * 100 * 100 * 100 * 0.01, 6);
  });

  it('says that a contract with no gamma and IV 0 counts a gamma of 0, not one from its IV', async () => {
    const out = await runRows('no-gamma-iv0', 100, [
      [100, 'C', 50_000, 0, ''],
      [110, 'C', 20, 0.2, ''],
      [100, 'P', 10, 0.2, 0.05],
    ]);
    expect(out.snapshot.call_gex).toBeCloseTo(
      bsGamma(100, 110, 0.2, 10 / 262, 0, 0) * 20 * 100 * 100 * 100 * 0.01,
      2, // to the cent, as stored
    );
    expect(out.snapshot.quality.partial).toEqual(
      expect.arrayContaining([
        { reason: 'no gamma in the file: Black-Scholes gamma from iv', rows: 1 },
        { reason: 'no gamma in the file and iv 0: gamma counts 0', rows: 1 },
      ]),
    );
  });

  it('zeroGamma interpolates linearly and takes the first change', () => {
    const p = (pairs: [number, number][]) => pairs.map(([level, gex]) => ({ level, gex }));
    expect(
      zeroGamma(
        p([
          [1, -2],
          [2, 2],
          [3, -1],
        ]),
      ),
    ).toBe(1.5);
    expect(
      zeroGamma(
        p([
          [1, -3],
          [2, -1],
          [3, 1],
        ]),
      ),
    ).toBe(2.5);
    expect(
      zeroGamma(
        p([
          [1, 1],
          [2, 2],
        ]),
      ),
    ).toBeNull();
    expect(
      zeroGamma(
        p([
          [1, 0],
          [2, 0],
        ]),
      ),
    ).toBeNull();
  });

  it('zeroGamma sees no flip where the profile only leaves or reaches exactly 0', () => {
    const p = (gex: number[]) => gex.map((g, i) => ({ level: i + 1, gex: g }));
    // Gamma underflows to 0 far from every strike: 0 → positive → 0 never changes sign.
    expect(zeroGamma(p([0, 0, 3, 5, 2, 0]))).toBeNull();
    // 0 → negative → positive: the flip is where it goes from negative to positive.
    expect(zeroGamma(p([0, 0, -1, 3]))).toBe(3.25);
    // A level exactly at 0 between the two signs is the flip, as is the first of several.
    expect(zeroGamma(p([-2, 0, 4]))).toBe(2);
    expect(zeroGamma(p([-2, 0, 0, 4]))).toBe(2);
    expect(zeroGamma(p([5, 0, 0, 7, -1]))).toBe(4 + 7 / 8);
  });

  it('reports no zero gamma for a 0DTE calls-only chain whose profile is 0 far from its strike', async () => {
    const out = await runRows(
      'calls-only-0dte',
      100,
      [[100, 'C', 1000, 0.05, 0.3]],
      {},
      '2024-01-08',
    );
    expect(out.profile.some((p) => p.gex === 0)).toBe(true);
    expect(out.profile.every((p) => p.gex >= 0)).toBe(true);
    expect(out.snapshot.zero_gamma).toBeNull();
  });

  it('reads no zero gamma from the rounding noise of calls and puts that cancel exactly', async () => {
    // Calls and puts at 95 and 105, equal OI and IV: every level's terms cancel, leaving
    // ±1e-13 of noise against terms of about 1e3, whose signs change along the profile.
    const mirrored: [number, 'C' | 'P', number, number, number][] = [
      [95, 'C', 10, 0.3, 0.02],
      [105, 'C', 10, 0.3, 0.02],
      [95, 'P', 10, 0.3, 0.03],
      [105, 'P', 10, 0.3, 0.03],
    ];
    const out = await runRows('mirrored', 100, mirrored);
    expect(out.profile.some((p) => p.gex > 0) && out.profile.some((p) => p.gex < 0)).toBe(true);
    expect(Math.max(...out.profile.map((p) => Math.abs(p.gex)))).toBeLessThan(1e-9);
    expect(out.snapshot.zero_gamma).toBeNull();
    // One more call at 105 and one more put at 95 are a real profile: negative below 100,
    // positive above, its flip found between.
    const real = await runRows('mirrored-but-two', 100, [
      [95, 'C', 10, 0.3, 0.02],
      [105, 'C', 11, 0.3, 0.02],
      [95, 'P', 11, 0.3, 0.03],
      [105, 'P', 10, 0.3, 0.03],
    ]);
    expect(real.snapshot.zero_gamma).toBeCloseTo(zeroGamma(real.profile)!, 2); // to the cent
    expect(real.snapshot.zero_gamma).toBeGreaterThan(95);
    expect(real.snapshot.zero_gamma).toBeLessThan(105);
  });

  it("zeroGamma takes a point within 1e-9 of its terms' magnitudes as 0, and nothing above it", () => {
    const p = (gex: number[]) => gex.map((g, i) => ({ level: i + 1, gex: g }));
    const noise = p([2e-13, -1e-13, 3e-13, -2e-13]);
    expect(zeroGamma(noise)).toBe(1.6666666666666667); // without the scale: the noise's flip
    expect(zeroGamma(noise, [1e3, 1e3, 1e3, 1e3])).toBeNull();
    // Noise between two real signs is a level at 0: the flip is where it is reached.
    expect(zeroGamma(p([-5, 1e-13, 4]), [10, 1e3, 10])).toBe(2);
    // A small value of a small profile is no noise: 1e-6 against terms of 1.
    expect(zeroGamma(p([-1e-6, 1e-6]), [1, 1])).toBe(1.5);
    // A scale that overflowed says nothing.
    expect(zeroGamma(p([-1, 1]), [Infinity, Infinity])).toBe(1.5);
  });
});
