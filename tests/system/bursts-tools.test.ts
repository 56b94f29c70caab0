// The measuring tools of issue 8's bursts, checked on their own so that a burst's figures
// can be trusted: the independent guidelines (GUIDELINES.md's own examples), the chains
// with chosen totals (against the engine's real facts read), the plans (levels robust to
// which earlier request was read first), and the judge (waiting and in-service intervals
// from arrival, on hand-made timelines).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { readFacts } from '../../electron/engine/pipeline/index.ts';
import { makeChain } from '../fixtures/option-chains.ts';
import { conventions } from '../pipeline/helpers.ts';
import { applyScales, scalesFor, totalsOf, writeChain } from './bursts/chains.ts';
import type { IngestLine, JobRecord, TrailEntry } from './bursts/command.ts';
import { guidelineLevel } from './bursts/guidelines.ts';
import { judge } from './bursts/judge.ts';
import type { StagedBlob } from './bursts/observe.ts';
import {
  levelCounts,
  requestedLevelBurst,
  ruleDecidedBurst,
  type Burst,
  type PlannedFile,
} from './bursts/plan.ts';

describe('the guidelines, computed independently of the engine', () => {
  const now = Date.parse('2026-12-02T15:00:00Z');
  const f = (age: number, volume: number, oi: number, change: number | null, extra = {}) =>
    guidelineLevel({
      asOfMs: now - age * 1000,
      arrivalMs: now,
      totalVolume: volume,
      totalOpenInterest: oi,
      gexChange: change,
      ...extra,
    });

  it('gives the levels of GUIDELINES.md’s examples', () => {
    expect(f(2, 80_000, 300_000, 0.25)).toBe('CRITICAL');
    expect(f(2, 80_000, 300_000, 0.02)).toBe('HIGH');
    expect(f(40, 80_000, 300_000, 0.25)).toBe('HIGH');
    expect(f(40, 80_000, 300_000, 0.02)).toBe('MEDIUM');
    expect(f(2, 500, 1_000, null)).toBe('MEDIUM');
    expect(f(40, 500, 1_000, 0.5)).toBe('LOW');
    expect(f(2, 80_000, 300_000, 0.25, { sourceReliability: 0.6 })).toBe('HIGH');
    expect(f(400, 80_000, 300_000, 0.25)).toBe('LOW');
    expect(f(400, 10, 10, 0, { requested: 'HIGH', justification: 'FOMC' })).toBe('HIGH');
    expect(f(2, 10, 10, 0, { requested: 'HIGH' })).toBe('invalid');
  });

  it('counts a future as_of up to 60 s as age 0, and refuses one further ahead', () => {
    expect(f(-59, 80_000, 300_000, null)).toBe('CRITICAL');
    expect(f(-61, 80_000, 300_000, null)).toBe('invalid');
    expect(f(4.9, 80_000, 300_000, null)).toBe('CRITICAL');
    expect(f(5, 80_000, 300_000, null)).toBe('HIGH');
  });
});

describe('chains with chosen totals', () => {
  it('reach the total GEX and open interest asked for, as the engine’s facts read finds them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gex-chains-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const base = makeChain({
      seed: 4,
      underlying: 'RUT',
      spot: 2000,
      expiries: 8,
      strikesPerExpiry: 40,
      asOf: '2026-12-02T10:00:00',
    });
    for (const [i, want] of [
      { gex: 2e8, openInterest: 60_000, volume: 4_000 },
      { gex: -1.5e8, openInterest: 45_000, volume: 4_000 },
    ].entries()) {
      const chain = applyScales(base, scalesFor(base, want));
      const t = totalsOf(chain);
      expect(Math.abs(t.gex / want.gex - 1)).toBeLessThan(1e-3);
      expect(Math.abs(t.openInterest / want.openInterest - 1)).toBeLessThan(0.01);
      for (const format of ['long-csv', 'cboe-json'] as const) {
        const file = join(dir, `c-${i}-${format}`);
        writeChain(file, chain, format, '-05:00');
        const read = await readFacts(file, conventions());
        if (!read.ok) throw new Error(read.error.message);
        expect(read.value.total_open_interest).toBe(t.openInterest);
        expect(read.value.total_volume).toBe(t.volume);
        expect(Math.abs(read.value.total_gex - t.gex)).toBeLessThan(1);
      }
    }
  });
});

describe('burst plans', () => {
  const opts = {
    dir: '/tmp/not-written',
    files: 60,
    perWave: 10,
    waveGapMs: 700,
    expiries: 6,
    strikesPerExpiry: 30,
    day: '2026-12-02',
  };

  it('requested-level: 5 % CRITICAL, 20 % HIGH, 35 % MEDIUM, 40 % LOW, all justified', () => {
    const b = requestedLevelBurst({
      ...opts,
      files: 600,
      perWave: 50,
      expiries: 1,
      strikesPerExpiry: 4,
    });
    expect(levelCounts(b.files)).toEqual({ CRITICAL: 30, HIGH: 120, MEDIUM: 210, LOW: 240 });
    expect(b.files.every((f) => f.requested && f.justification?.trim())).toBe(true);
    expect(new Set(b.files.map((f) => f.atMs)).size).toBe(12);
  });

  it('rule-decided: every level, each robust to which earlier request was read first', () => {
    // ruleDecidedBurst throws when a file's level could depend on it.
    const b = ruleDecidedBurst(opts);
    const counts = levelCounts(b.files);
    expect(Object.values(counts).every((n) => n > 0)).toBe(true);
    expect(b.files.every((f) => !f.requested)).toBe(true);
    expect(
      b.files.filter((f) => f.category === 'new').every((f) => f.expected === 'CRITICAL'),
    ).toBe(true);
    expect(b.files.filter((f) => f.category === 'stale').every((f) => f.expected === 'LOW')).toBe(
      true,
    );
    expect(b.seeds.map((s) => s.chain.underlying)).toEqual(['SPX', 'RUT']);
  });
});

describe('the judge, from arrival', () => {
  const T = Date.parse('2026-12-02T15:00:00Z');
  const iso = (ms: number) => new Date(T + ms).toISOString();
  const file = (i: number, expected: PlannedFile['expected']): PlannedFile => ({
    index: i,
    path: `/f${i}`,
    atMs: 0,
    format: 'long-csv',
    category: 'test',
    source: 's',
    requested: expected,
    justification: 'x',
    chain: {},
    chainDay: '2026-12-02',
    scales: { calls: 1, puts: 1, volume: 1 },
    asOf: { fixedMs: T },
    totals: { gex: 1, openInterest: 1, volume: 1, contracts: 1 },
    previous: [],
    expected,
  });
  const job = (
    id: string,
    level: string,
    t: { decided: number; started: number; finished: number },
  ): JobRecord => ({
    id,
    request_id: `r-${id}`,
    file: `/${id}`,
    underlying: 'X',
    priority: level,
    effective_priority: level,
    status: 'completed',
    submitted_at: iso(0),
    decided_at: iso(t.decided),
    started_at: iso(t.started),
    finished_at: iso(t.finished),
    attempts: 1,
    rule: 'G1',
    error: null,
    snapshot_id: 's',
    content_hash: `h-${id}`,
  });
  const line = (id: string, latency: number): IngestLine => ({
    file: `/${id}`,
    request_id: `r-${id}`,
    job_id: id,
    status: 'completed',
    priority: null,
    rule: null,
    latency_ms: latency,
  });
  const blob = (readAtMs: number | null): StagedBlob => ({
    seenAtMs: T,
    stagedAtMs: T + 5,
    readAtMs: readAtMs === null ? null : T + readAtMs,
    chainSeenAtMs: null,
    goneAtMs: null,
  });

  /** f1: CRITICAL, read from `readAt` until its decision at 300; f2: LOW, decided at arrival, started at 150. */
  const run = (readAt: number | null) => {
    const burst: Burst = {
      kind: 'requested-level',
      dir: '/',
      files: [file(1, 'CRITICAL'), file(2, 'LOW')],
      seeds: [],
      waves: 1,
      waveGapMs: 0,
      day: '2026-12-02',
    };
    const jobs = [
      job('f1', 'CRITICAL', { decided: 300, started: 310, finished: 500 }),
      job('f2', 'LOW', { decided: 0, started: 150, finished: 400 }),
    ];
    const trail: TrailEntry[] = [
      { job_id: 'f1', kind: 'arrival', atMs: T, priority: 'CRITICAL', readStartedAtMs: null },
      { job_id: 'f1', kind: 'started', atMs: T + 310, priority: 'CRITICAL', readStartedAtMs: null },
      { job_id: 'f2', kind: 'arrival', atMs: T, priority: 'LOW', readStartedAtMs: null },
      { job_id: 'f2', kind: 'started', atMs: T + 150, priority: 'LOW', readStartedAtMs: null },
    ];
    return judge({
      burst,
      asOfMs: new Map(),
      referenceMs: T,
      commandStartMs: T,
      lines: [line('f1', 500), line('f2', 400)],
      jobs,
      trail,
      acks: new Map([
        ['f1', T + 20],
        ['f2', T + 20],
      ]),
      blobs: new Map([
        ['h-f1', blob(readAt)],
        ['h-f2', blob(null)],
      ]),
    });
  };

  it('counts a job whose facts read is in progress as in service, not waiting', () => {
    const v = run(100);
    expect(v.inversions.all).toEqual([]);
    expect(v.readStarts).toEqual({ observed: 1, estimated: 0, medianReadMs: 200 });
  });

  it('counts a job waiting for its facts read as waiting, at the highest level it could get', () => {
    const v = run(200);
    expect(v.inversions.all).toMatchObject([
      {
        started: 'f2',
        startedLevel: 'LOW',
        waiting: 'f1',
        waitingLevel: 'CRITICAL',
        waitedMs: 150,
        waitingFor: 'read',
        certain: true,
      },
    ]);
    expect(v.latency.CRITICAL).toMatchObject({ n: 1, p50: 500 });
    expect(v.completed).toBe(2);
  });

  it('marks an inversion resting on an estimated read start as possible, not proven', () => {
    const v = run(null);
    expect(v.readStarts.estimated).toBe(1);
    expect(v.inversions.certain).toBe(0);
  });
});
