// The level a request should get, computed straight from the firm's written guidelines
// (../shared/GUIDELINES.md, version 2) and NOT from the engine's rule engine, so that a
// burst's expected levels are an independent check of what the engine decided.
import type { PriorityLevel } from '../../../shared/domain.ts';

export interface GuidelineFacts {
  requested?: PriorityLevel;
  justification?: string;
  /** When the data was observed, and when the request arrived (epoch ms). */
  asOfMs: number;
  arrivalMs: number;
  totalVolume: number;
  totalOpenInterest: number;
  /** |total − previous| ÷ |previous|; null when there is no previous (or it was 0). */
  gexChange: number | null;
  sourceReliability?: number;
}

export type Freshness = 'real-time' | 'fresh' | 'stale';

const ORDER: PriorityLevel[] = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW'];
const demote = (l: PriorityLevel): PriorityLevel => ORDER[Math.min(3, ORDER.indexOf(l) + 1)]!;

/** age_s with the −60 s clock-skew tolerance; null when the data is further in the future. */
export function ageSeconds(asOfMs: number, arrivalMs: number): number | null {
  const age = (arrivalMs - asOfMs) / 1000;
  if (age < -60) return null;
  return Math.max(0, age);
}

export function freshness(age: number): Freshness {
  return age < 5 ? 'real-time' : age < 300 ? 'fresh' : 'stale';
}

export function gexChange(total: number, previous: number | null): number | null {
  return previous === null || previous === 0
    ? null
    : Math.abs(total - previous) / Math.abs(previous);
}

/** G1–G4; 'invalid' where the guidelines reject the request. */
export function guidelineLevel(f: GuidelineFacts): PriorityLevel | 'invalid' {
  if (f.requested) return (f.justification ?? '').trim() ? f.requested : 'invalid';
  const age = ageSeconds(f.asOfMs, f.arrivalMs);
  if (age === null) return 'invalid';
  const fresh = freshness(age);
  if (fresh === 'stale') return 'LOW';
  const impact =
    f.totalVolume > 50_000 || f.totalOpenInterest > 100_000
      ? 2
      : f.totalVolume >= 10_000 || f.totalOpenInterest >= 25_000
        ? 1
        : 0;
  const g = f.gexChange;
  const change = g === null || g > 0.1 ? 2 : g >= 0.05 ? 1 : 0;
  const realTime = fresh === 'real-time';
  let level: PriorityLevel = 'LOW';
  if (impact === 2 && change === 2 && realTime) level = 'CRITICAL';
  else if ((impact === 2 && realTime) || (impact >= 1 && change === 2)) level = 'HIGH';
  else if (impact >= 1 || (change === 2 && realTime)) level = 'MEDIUM';
  return (f.sourceReliability ?? 1) < 0.8 ? demote(level) : level;
}
