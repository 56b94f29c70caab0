// The four exposures of each contract a run uses (ANALYTICS.md), in one pass over the
// normalised chain's typed arrays:
//   gex = Γ × OI × m × S² × move, puts negative (the file's gamma, else Black-Scholes from σ);
//   dex = Δ × OI × m × S (the file's delta, puts negative there; else Black-Scholes);
//   vex = vanna × OI × m × S × 0.01 (one vol point), puts negative;
//   cex = charm per day of the day count × OI × m × S, puts negative.
// A contract with σ 0 or missing gives no vanna and no charm (0), and, without a delta of
// its own, the σ → 0 limit of delta; both are counted for the data-quality figures, as is
// a gamma the file did not give (taken from σ, so the figures rest on the model; with σ 0
// there is none to take, and its gamma counts 0).
import type { DroppedRows, GexConventions } from '../../../shared/domain.ts';
import { bsGamma, bsGreeks, daysPerYear, intrinsicDelta, type Greeks } from './black-scholes.ts';
import type { Chain } from './chain.ts';
import type { UsedContracts } from './gex.ts';

/** One vol point: vex is quoted per 0.01 of σ. */
export const VOL_POINT = 0.01;

export const PARTIAL_NO_VOL = 'iv 0 or missing: vanna and charm count 0';
export const PARTIAL_INTRINSIC_DELTA = 'no delta and iv 0 or missing: delta at its σ → 0 limit';
export const PARTIAL_MODEL_GAMMA = 'no gamma in the file: Black-Scholes gamma from iv';
export const PARTIAL_NO_GAMMA = 'no gamma in the file and iv 0: gamma counts 0';

/** Per used row (index j into used.rows), signed as they are summed. */
export type ContractExposures = {
  gex: Float64Array;
  dex: Float64Array;
  vex: Float64Array;
  cex: Float64Array;
  partial: DroppedRows[];
};

export function contractExposures(
  chain: Chain,
  used: UsedContracts,
  conv: GexConventions,
): ContractExposures {
  const c = chain.contracts;
  const spot = chain.spot;
  const m = used.rows.length;
  const r = conv.rate;
  const q = conv.dividend_yield;
  const gexScale = conv.contract_multiplier * spot * spot * conv.move;
  const deltaScale = conv.contract_multiplier * spot;
  const vexScale = deltaScale * VOL_POINT;
  const cexScale = deltaScale / daysPerYear(conv.day_count);
  const out: ContractExposures = {
    gex: new Float64Array(m),
    dex: new Float64Array(m),
    vex: new Float64Array(m),
    cex: new Float64Array(m),
    partial: [],
  };
  const g: Greeks = { delta: 0, vanna: 0, charm: 0 };
  let noVol = 0;
  let intrinsic = 0;
  let modelGamma = 0;
  let noGamma = 0;
  for (let j = 0; j < m; j++) {
    const i = used.rows[j]!;
    const strike = c.strike[i]!;
    const iv = c.iv[i]!;
    const t = used.t[i]!;
    const oi = c.open_interest[i]!;
    const call = c.call[i] === 1;
    const sign = call ? 1 : -1;
    let gamma = c.gamma[i]!;
    if (Number.isNaN(gamma)) {
      // A row with neither is dropped (gex.ts); IV 0 gives no model gamma to take.
      if (iv > 0) {
        gamma = bsGamma(spot, strike, iv, t, r, q);
        modelGamma++;
      } else {
        gamma = 0;
        noGamma++;
      }
    }
    let delta = c.delta[i]!;
    if (iv > 0) {
      bsGreeks(call, spot, strike, iv, t, r, q, g);
      if (Number.isNaN(delta)) delta = g.delta;
      out.vex[j] = sign * g.vanna * oi * vexScale;
      out.cex[j] = sign * g.charm * oi * cexScale;
    } else {
      noVol++;
      if (Number.isNaN(delta)) {
        delta = intrinsicDelta(call, spot, strike, t, r, q);
        intrinsic++;
      }
    }
    out.gex[j] = sign * gamma * oi * gexScale;
    out.dex[j] = delta * oi * deltaScale;
  }
  if (modelGamma > 0) out.partial.push({ reason: PARTIAL_MODEL_GAMMA, rows: modelGamma });
  if (noGamma > 0) out.partial.push({ reason: PARTIAL_NO_GAMMA, rows: noGamma });
  if (noVol > 0) out.partial.push({ reason: PARTIAL_NO_VOL, rows: noVol });
  if (intrinsic > 0) out.partial.push({ reason: PARTIAL_INTRINSIC_DELTA, rows: intrinsic });
  return out;
}
