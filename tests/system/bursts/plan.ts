// The two bursts of issue 8, planned: which file arrives when (`at_ms` from the moment
// the command starts submitting), with what content and request, and the level the
// guidelines give it (computed here, independently of the engine).
//
// - Requested-level: SPX-size chains, each with a requested level and a justification.
// - Rule-decided: no requested level; the content decides. Real-time first snapshots of
//   new underlyings with high open interest (CRITICAL), real-time repeats of one
//   underlying with a large GEX move (CRITICAL) or a small one (HIGH), real-time repeats
//   with medium open interest and a small move (MEDIUM) or a large one (HIGH), and stale
//   files (LOW). Repeats with a small move compare with a stored snapshot of their
//   underlying (a seed, ingested before the burst) or any earlier request of it, and
//   large moves are at least 20 % from every other value of their underlying, so the
//   expected level does not depend on which earlier request was read first. A file whose
//   level could depend on that is a design error (thrown).
//
// Real-time files carry an as_of that depends on the moment the burst starts (the
// reference), so a plan is written in two steps: planned (contents and totals), then
// written with the reference (bursts/write.ts).
import { join } from 'node:path';
import { PRIORITY_LEVELS, type PriorityLevel } from '../../../shared/domain.ts';
import {
  makeChain,
  rng,
  type ChainOptions,
  type FixtureChain,
} from '../../fixtures/option-chains.ts';
import {
  scalesFor,
  totalsOf,
  applyScales,
  UNIT,
  type ChainFormat,
  type Scales,
  type Totals,
} from './chains.ts';
import { gexChange, guidelineLevel } from './guidelines.ts';

export type BurstKind = 'requested-level' | 'rule-decided';

export interface PlannedFile {
  index: number;
  path: string;
  /** When it is submitted, from the reference; seeds are submitted before the burst. */
  atMs: number;
  format: ChainFormat;
  category: string;
  source: string;
  requested?: PriorityLevel;
  justification?: string;
  /** How it is generated (its as_of is set when written); expiries follow `chainDay`. */
  chain: Omit<ChainOptions, 'asOf'>;
  chainDay: string;
  scales: Scales;
  /** as_of: fixed (epoch ms), or relative to its planned arrival (reference + atMs + ms). */
  asOf: { fixedMs: number } | { afterArrivalMs: number };
  /** Its totals (exact: computed from the contracts written). */
  totals: Totals;
  /** The totals a `gex_change` may compare it with (null: none yet), by arrival order. */
  previous: (number | null)[];
  /** The guidelines' level at the planned arrival (for every possible previous). */
  expected: PriorityLevel;
}

export interface Burst {
  kind: BurstKind;
  dir: string;
  files: PlannedFile[];
  /** Ingested (and completed) before the burst: the stored history repeats compare with. */
  seeds: PlannedFile[];
  waves: number;
  waveGapMs: number;
  /** The date (New York) the chains were planned for: expiries follow it. */
  day: string;
}

export interface BurstOptions {
  dir: string;
  files: number;
  perWave: number;
  waveGapMs: number;
  /** Chain size: SPX-size is 55 expiries × 192 strikes (21,120 contracts, as the SPX sample). */
  expiries: number;
  strikesPerExpiry: number;
  seed?: number;
  /** The New York date the reference will fall on (YYYY-MM-DD). */
  day: string;
}

export const SPX_SIZE = { expiries: 55, strikesPerExpiry: 192 };

const shuffle = <T>(a: T[], rand: () => number): T[] => {
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a;
};

/** The chain of a planned file, as written (before its as_of is set). */
export function generate(f: Pick<PlannedFile, 'chain' | 'chainDay' | 'scales'>): FixtureChain {
  return applyScales(makeChain({ ...f.chain, asOf: `${f.chainDay}T10:00:00` }), f.scales);
}

const pad = (i: number) => String(i).padStart(4, '0');
const ext = (f: ChainFormat) => (f === 'cboe-json' ? 'json' : 'csv');

/** 600 SPX-size chains, 5 % CRITICAL, 20 % HIGH, 35 % MEDIUM, 40 % LOW, each justified. */
export function requestedLevelBurst(o: BurstOptions): Burst {
  const rand = rng(o.seed ?? 8);
  const shares: [PriorityLevel, number][] = [
    ['CRITICAL', 0.05],
    ['HIGH', 0.2],
    ['MEDIUM', 0.35],
    ['LOW', 0.4],
  ];
  const levels: PriorityLevel[] = [];
  for (const [level, share] of shares)
    for (let i = 0; i < Math.round(share * o.files); i++) levels.push(level);
  while (levels.length < o.files) levels.push('LOW');
  shuffle(levels, rand);
  const formats: ChainFormat[] = ['cboe-csv', 'cboe-json', 'long-csv'];
  const base = Date.parse('2024-03-04T14:30:00Z');
  const files = levels.map((requested, i): PlannedFile => {
    const format = formats[i % 3]!;
    const chain = {
      seed: 80_000 + i,
      underlying: 'SPX',
      spot: 4700 + Math.round(rand() * 4000) / 100,
      ...size(o),
    };
    const asOfMs = base + i * 7 * 60_000;
    const chainDay = new Date(asOfMs).toISOString().slice(0, 10);
    return {
      index: i,
      path: join(o.dir, `chain-${pad(i)}.${ext(format)}`),
      atMs: Math.floor(i / o.perWave) * o.waveGapMs,
      format,
      category: `requested ${requested}`,
      source: 'desk',
      requested,
      justification: `analyst asks for ${requested}`,
      chain,
      chainDay,
      scales: UNIT,
      asOf: { fixedMs: asOfMs },
      totals: totalsOf(generate({ chain, chainDay, scales: UNIT })),
      previous: [],
      expected: requested,
    };
  });
  return {
    kind: 'requested-level',
    dir: o.dir,
    files,
    seeds: [],
    waves: Math.ceil(o.files / o.perWave),
    waveGapMs: o.waveGapMs,
    day: o.day,
  };
}

const size = (o: BurstOptions) => ({ expiries: o.expiries, strikesPerExpiry: o.strikesPerExpiry });

/** Per wave of 50: how many of each kind (scaled for other wave sizes). */
const MIX: [string, number][] = [
  ['new', 3],
  ['move-high', 1],
  ['repeat-high', 12],
  ['repeat-medium', 10],
  ['move-medium', 4],
  ['stale', 20],
];

const STALE_TICKERS = [
  'AAPL',
  'MSFT',
  'TSLA',
  'NVDA',
  'AMZN',
  'META',
  'GOOGL',
  'IWM',
  'QQQ',
  'DIA',
];
const MOVERS = ['XLF', 'XLE', 'SMH', 'GLD'];
const REAL_TIME_LAG_MS = 0;
const STALE_AGE_MS = 2 * 3_600_000;

interface Group {
  underlying: string;
  spot: number;
  /** Open interest per file: the chain's own (high) or a medium total. */
  openInterest: 'own' | [number, number];
  /** Total GEX of each member: near a base (small moves) or from a ladder (large moves). */
  values: 'band' | 'ladder' | 'free';
  base: number;
  seeded: boolean;
  ladder: number[];
}

/** Rule-decided burst: the guidelines decide each file's level from its content and age. */
export function ruleDecidedBurst(o: BurstOptions): Burst {
  const rand = rng(o.seed ?? 9);
  const waves = Math.ceil(o.files / o.perWave);
  const scale = o.perWave / 50;
  const counts = MIX.map(([k, n]) => [k, Math.max(1, Math.round(n * scale))] as [string, number]);
  const sum = counts.reduce((s, [, n]) => s + n, 0);
  counts[counts.length - 1]![1] += o.perWave - sum; // the rest are stale
  const chainOf = (g: Group, seed: number): ChainOptions => ({
    seed,
    underlying: g.underlying,
    spot: g.spot,
    ...size(o),
    asOf: `${o.day}T10:00:00`,
  });
  // The GEX a unit of open interest carries when it is all calls (the scale of a group's values).
  const unit = (g: Group, oi: number): number => {
    const c = makeChain(chainOf(g, 1));
    const t = totalsOf(applyScales(c, { calls: 1, puts: 0, volume: 1 }));
    return (t.gex / t.openInterest) * (oi === 0 ? totalsOf(c).openInterest : oi);
  };
  const ladder = (base: number) =>
    shuffle(
      [0, 1, 2, 3, 4, 5].flatMap((m) => [base * 1.25 ** -m, -base * 1.25 ** -m]),
      rand,
    );
  const group = (
    underlying: string,
    spot: number,
    oi: Group['openInterest'],
    values: Group['values'],
    share: number,
    seeded: boolean,
  ): Group => {
    const g: Group = { underlying, spot, openInterest: oi, values, base: 0, seeded, ladder: [] };
    g.base = share === 0 ? 0 : share * unit(g, oi === 'own' ? 0 : oi[0]);
    g.ladder = values === 'ladder' ? ladder(g.base) : [];
    return g;
  };
  const spx = group('SPX', 4700, 'own', 'band', 0.12, true);
  const ndx = group('NDX', 17000, 'own', 'ladder', 0.3, false);
  const rut = group('RUT', 2000, [40_000, 80_000], 'band', 0.2, true);
  const movers = MOVERS.map((u, i) =>
    group(u, 1200 + 300 * i, [40_000, 80_000], 'ladder', 0.3, false),
  );
  const formats: ChainFormat[] = ['cboe-json', 'long-csv'];

  const files: PlannedFile[] = [];
  const seeds: PlannedFile[] = [];
  // Stale files are two hours old when planned (whole minutes: CBOE CSV dates have no seconds).
  const plannedAt = Math.floor(Date.now() / 60_000) * 60_000;
  const totalsByUnderlying = new Map<string, number[]>();
  let newCount = 0;
  let n = 0;
  const plan = (
    g: Group,
    value: number | null,
    atMs: number,
    category: string,
    format: ChainFormat,
    stale: boolean,
  ): PlannedFile => {
    const index = n++;
    const chain = chainOf(
      { ...g, spot: Math.round(g.spot * (1 + (rand() - 0.5) * 0.004) * 100) / 100 },
      90_000 + index,
    );
    const generated = makeChain(chain);
    const oi =
      g.openInterest === 'own'
        ? totalsOf(generated).openInterest
        : g.openInterest[0] + rand() * (g.openInterest[1] - g.openInterest[0]);
    // A file with no chosen total keeps the chain's own open interest and GEX.
    const scales =
      value === null
        ? UNIT
        : scalesFor(generated, {
            gex: value,
            openInterest: oi,
            ...(g.openInterest === 'own' ? {} : { volume: 4000 }),
          });
    const { asOf: _asOf, ...rest } = chain;
    return {
      index,
      path: join(o.dir, `${category}-${pad(index)}.${ext(format)}`),
      atMs,
      format,
      category,
      source: stale ? 'archive' : 'feed',
      chain: rest,
      chainDay: o.day,
      scales,
      asOf: stale
        ? { fixedMs: plannedAt + atMs - STALE_AGE_MS }
        : { afterArrivalMs: REAL_TIME_LAG_MS },
      totals: totalsOf(applyScales(generated, scales)),
      previous: [],
      expected: 'LOW',
    };
  };
  // Seeds: stale snapshots of the repeated underlyings, at the base of their band.
  for (const g of [spx, rut]) seeds.push(plan(g, g.base, 0, 'seed', 'long-csv', true));

  const moverSlot = new Map<string, number>();
  for (let w = 0; w < waves; w++) {
    const slots = shuffle(
      counts.flatMap(([k, c]) => Array.from({ length: c }, (_, i) => [k, i] as const)),
      rand,
    );
    for (const [kind, i] of slots) {
      if (files.length >= o.files) break;
      const atMs = w * o.waveGapMs;
      const f = (() => {
        switch (kind) {
          case 'new': {
            const g = group(
              `NEW${newCount++}`,
              1000 + Math.round(rand() * 2000),
              'own',
              'free',
              0,
              false,
            );
            return plan(g, null, atMs, 'new', formats[newCount % 2]!, false);
          }
          case 'move-high':
            return plan(
              ndx,
              ndx.ladder[w % ndx.ladder.length]!,
              atMs,
              'move-high',
              formats[w % 2]!,
              false,
            );
          case 'repeat-high':
            return plan(
              spx,
              spx.base * (1 + (rand() - 0.5) * 0.024),
              atMs,
              'repeat-high',
              formats[(w + i) % 2]!,
              false,
            );
          case 'repeat-medium':
            return plan(
              rut,
              rut.base * (1 + (rand() - 0.5) * 0.024),
              atMs,
              'repeat-medium',
              formats[(w + i) % 2]!,
              false,
            );
          case 'move-medium': {
            const g = movers[i % movers.length]!;
            const k = moverSlot.get(g.underlying) ?? 0;
            moverSlot.set(g.underlying, k + 1);
            return plan(g, g.ladder[k % g.ladder.length]!, atMs, 'move-medium', 'long-csv', false);
          }
          default: {
            const u = STALE_TICKERS[(w * 7 + i) % STALE_TICKERS.length]!;
            const g = group(u, 600 + 150 * STALE_TICKERS.indexOf(u), 'own', 'free', 0, false);
            return plan(g, null, atMs, 'stale', i % 4 === 3 ? 'cboe-json' : 'cboe-csv', true);
          }
        }
      })();
      files.push(f);
    }
  }
  // Expected levels, over every total a file's gex_change may compare with.
  for (const s of seeds) totalsByUnderlying.set(s.chain.underlying!, [s.totals.gex]);
  for (const f of files) {
    const u = f.chain.underlying!.toUpperCase();
    const earlier = totalsByUnderlying.get(u) ?? [];
    const seeded = seeds.some((s) => s.chain.underlying === u);
    f.previous = seeded ? [...earlier] : [null, ...earlier];
    f.expected = expectedLevel(f, plannedAsOf(f, plannedAt), plannedAt + f.atMs);
    totalsByUnderlying.set(u, [...earlier, f.totals.gex]);
  }
  for (const s of seeds) s.expected = 'LOW';
  return {
    kind: 'rule-decided',
    dir: o.dir,
    files,
    seeds,
    waves,
    waveGapMs: o.waveGapMs,
    day: o.day,
  };
}

/** Its as_of when the burst's reference (the moment submitting starts) is `referenceMs`. */
export function plannedAsOf(f: PlannedFile, referenceMs: number): number {
  return 'fixedMs' in f.asOf ? f.asOf.fixedMs : referenceMs + f.atMs + f.asOf.afterArrivalMs;
}

/**
 * The guidelines' level for a file with this as_of arriving at `arrivalMs`, whatever
 * earlier total its gex_change compares with; throws when that choice would matter.
 */
export function expectedLevel(f: PlannedFile, asOfMs: number, arrivalMs: number): PriorityLevel {
  if (f.requested) return f.requested;
  const levels = new Set<PriorityLevel | 'invalid'>();
  for (const previous of f.previous.length ? f.previous : [null]) {
    levels.add(
      guidelineLevel({
        asOfMs,
        arrivalMs,
        totalVolume: f.totals.volume,
        totalOpenInterest: f.totals.openInterest,
        gexChange: gexChange(f.totals.gex, previous),
      }),
    );
  }
  const [level, ...others] = [...levels];
  if (others.length > 0 || level === 'invalid' || level === undefined)
    throw new Error(
      `${f.path}: its level would depend on which earlier request was read first (${[...levels].join(', ')})`,
    );
  return level;
}

export const levelCounts = (files: PlannedFile[]): Record<PriorityLevel, number> =>
  Object.fromEntries(
    PRIORITY_LEVELS.map((l) => [l, files.filter((f) => f.expected === l).length]),
  ) as Record<PriorityLevel, number>;
