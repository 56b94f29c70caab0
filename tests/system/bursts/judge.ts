// Judging a burst from what the command itself reports: latency from submission
// (`ingest --json`'s latency_ms) per level, completions, the levels decided against the
// guidelines' (expected) levels, and priority inversions judged from ARRIVAL.
//
// Inversions. A job is WAITING
//   - from its arrival until its facts read starts, at the highest level it could still
//     get (the level of its `arrival` audit entry), when it was not decided at arrival;
//   - from its decision (decided_at) until its run starts, at its decided level;
//   - from a preemption or requeue until its run starts again.
// While its facts read or its run is in progress it is in service, not waiting. A job
// START is a run starting (an audit `started` entry) or a facts read starting. An
// inversion is a start of a job at level L while another job of a higher level had been
// waiting for more than `graceMs` (the dispatcher's reaction time). Also counted with
// every job ranked by the level it ended with instead (the harm to the user, whatever
// the engine believed while deciding).
//
// The engine records no facts read's start; it is observed from outside: the staged
// blob's first read (see observe.ts). Where it was not observed, the read is taken to
// have lasted the median observed read, ending at decided_at; an inversion that rests on
// such an estimate is counted apart as "possible", never as proven.
import { levelRank, PRIORITY_LEVELS, type PriorityLevel } from '../../../shared/domain.ts';
import type { IngestLine, JobRecord, TrailEntry } from './command.ts';
import type { StagedBlob } from './observe.ts';
import { expectedLevel, type Burst, type PlannedFile } from './plan.ts';

export interface JudgeInput {
  burst: Burst;
  /** as_of as written, by path; the planned reference (the moment submitting should start). */
  asOfMs: Map<string, number>;
  referenceMs: number;
  /** When the plan's at_ms 0 was due: the command's start and the manifest's lead (run.ts). */
  commandStartMs: number;
  lines: IngestLine[];
  jobs: JobRecord[];
  trail: TrailEntry[];
  /** Acknowledgements (request.accepted in the log): job id → time. */
  acks: Map<string, number>;
  blobs: Map<string, StagedBlob>;
  graceMs?: number;
}

export interface Stats {
  n: number;
  p50: number;
  p99: number;
  max: number;
}

export interface Inversion {
  started: string;
  startedLevel: PriorityLevel;
  phase: 'read' | 'run';
  waiting: string;
  waitingLevel: PriorityLevel;
  waitedMs: number;
  atMs: number;
  certain: boolean;
  /** What the waiting job was waiting for: to be acknowledged (staged and stored), its facts read, or its run. */
  waitingFor: 'ack' | 'read' | 'run';
}

export interface Verdict {
  planned: number;
  reported: number;
  completed: number;
  failed: { file: string; status: string; code: string | null }[];
  /** Latency from submission (ingest --json), per expected level and per decided level. */
  latency: Record<PriorityLevel, Stats>;
  latencyByDecided: Record<PriorityLevel, Stats>;
  /** CRITICAL by expectation or by the engine's decision: the worst latencies. */
  critical: { n: number; latencies: number[]; worst: number };
  mismatches: {
    file: string;
    category: string;
    expected: PriorityLevel;
    atArrival: PriorityLevel;
    decided: string | null;
    rule: string | null;
  }[];
  /** Files whose expected level changed because they arrived later or earlier than planned. */
  driftChanged: number;
  inversions: {
    certain: number;
    possible: number;
    startsInvolved: number;
    byWaitingFor: Record<Inversion['waitingFor'], number>;
    /** Pairs where the waiting job's final level is above the starting job's final level. */
    byFinalLevel: number;
    /** The longest waits first. */
    all: Inversion[];
    examples: Inversion[];
  };
  wallMs: number;
  drift: { startMs: number; submit: Stats; realTimeAge: Stats };
  readStarts: { observed: number; estimated: number; medianReadMs: number };
  /** Per expected level: where the time went (ms), medians and p99 over the level's jobs. */
  breakdown: Record<PriorityLevel, Record<Segment, Stats>>;
  preemptions: number;
  /** How many requests had reached each step, at moments after the first arrival. */
  progress: Progress[];
}

export interface Progress {
  atS: number;
  arrived: number;
  staged: number;
  acknowledged: number;
  read: number;
  decided: number;
  started: number;
  finished: number;
}

const PROGRESS_AT_S = [1, 2, 5, 10, 20, 40, 80, 160, 320, 640];

export type Segment =
  | 'arrival→staged'
  | 'staged→ack'
  | 'ack→read'
  | 'read'
  | 'decided→start'
  | 'run'
  | 'restarts'
  | 'total';
export const SEGMENTS: Segment[] = [
  'arrival→staged',
  'staged→ack',
  'ack→read',
  'read',
  'decided→start',
  'run',
  'restarts',
  'total',
];

const pct = (sorted: number[], p: number) =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]! : NaN;
export function stats(values: number[]): Stats {
  const s = values.filter(Number.isFinite).sort((a, b) => a - b);
  return { n: s.length, p50: pct(s, 0.5), p99: pct(s, 0.99), max: s.at(-1) ?? NaN };
}
const perLevel = <T>(make: (l: PriorityLevel) => T) =>
  Object.fromEntries(PRIORITY_LEVELS.map((l) => [l, make(l)])) as Record<PriorityLevel, T>;
const ms = (iso: string | null | undefined) => (iso ? Date.parse(iso) : NaN);

interface Waiting {
  job: string;
  from: number;
  to: number;
  level: PriorityLevel;
  certain: boolean;
  for: 'read' | 'run';
}

interface Start {
  job: string;
  at: number;
  level: PriorityLevel;
  phase: 'read' | 'run';
}

interface Timeline {
  waits: Waiting[];
  starts: Start[];
  readStart: number | null;
  readObserved: boolean;
  firstStart: number;
  lastStart: number;
  preempted: number;
  /** Run time lost to preemptions and requeues (work thrown away). */
  lostMs: number;
}

function timeline(
  j: JobRecord,
  trail: TrailEntry[],
  blob: StagedBlob | undefined,
  readMs: number,
): Timeline {
  const arrival = ms(j.submitted_at);
  const decided = ms(j.decided_at);
  const end = Number.isFinite(ms(j.finished_at)) ? ms(j.finished_at) : Infinity;
  const arrived = trail.find((e) => e.kind === 'arrival');
  const waits: Waiting[] = [];
  const starts: Start[] = [];
  let readStart: number | null = null;
  let readObserved = false;
  if (Number.isFinite(decided) && decided > arrival) {
    const upper = (arrived?.priority ?? 'CRITICAL') as PriorityLevel;
    // The engine records when the facts read started (on the decision); else, what the
    // staging folder showed of it.
    const recorded = trail.find((e) => e.readStartedAtMs !== null)?.readStartedAtMs ?? null;
    const seen = recorded ?? blob?.readAtMs ?? null;
    readObserved = seen !== null && seen >= arrival && seen <= decided + 5;
    readStart = readObserved ? seen! : Math.max(arrival, decided - readMs);
    waits.push({
      job: j.id,
      from: arrival,
      to: readStart,
      level: upper,
      certain: readObserved,
      for: 'read',
    });
    if (readObserved) starts.push({ job: j.id, at: readStart, level: upper, phase: 'read' });
  }
  // Waiting for a run: from the decision, and again after each preemption or requeue.
  let waitingSince: number | null = Number.isFinite(decided) ? decided : arrival;
  let level = (j.priority as PriorityLevel) ?? 'LOW';
  let firstStart = NaN;
  let lastStart = NaN;
  let preempted = 0;
  let lostMs = 0;
  for (const e of trail) {
    if (e.kind === 'escalation' && waitingSince !== null) {
      waits.push({ job: j.id, from: waitingSince, to: e.atMs, level, certain: true, for: 'run' });
      waitingSince = e.atMs;
      level = (e.priority as PriorityLevel) ?? level;
    } else if (e.kind === 'started') {
      if (waitingSince !== null)
        waits.push({ job: j.id, from: waitingSince, to: e.atMs, level, certain: true, for: 'run' });
      waitingSince = null;
      level = (e.priority as PriorityLevel) ?? level;
      starts.push({ job: j.id, at: e.atMs, level, phase: 'run' });
      if (!Number.isFinite(firstStart)) firstStart = e.atMs;
      lastStart = e.atMs;
    } else if (e.kind === 'preempted' || e.kind === 'requeued') {
      if (e.kind === 'preempted') preempted++;
      if (Number.isFinite(lastStart)) lostMs += e.atMs - lastStart;
      waitingSince = e.atMs;
    }
  }
  if (waitingSince !== null)
    waits.push({ job: j.id, from: waitingSince, to: end, level, certain: true, for: 'run' });
  return { waits, starts, readStart, readObserved, firstStart, lastStart, preempted, lostMs };
}

export function judge(input: JudgeInput): Verdict {
  const grace = input.graceMs ?? 50;
  const lineOf = new Map(input.lines.map((l) => [l.file, l]));
  const jobById = new Map(input.jobs.map((j) => [j.id, j]));
  const trailOf = new Map<string, TrailEntry[]>();
  for (const e of input.trail) trailOf.set(e.job_id, [...(trailOf.get(e.job_id) ?? []), e]);
  const mine = input.burst.files.map((f) => {
    const line = lineOf.get(f.path);
    const job = line?.job_id ? jobById.get(line.job_id) : undefined;
    return { f, line, job };
  });
  const withJob = mine.filter(
    (m): m is { f: PlannedFile; line: IngestLine; job: JobRecord } => !!m.job && !!m.line,
  );

  // Reads observed from the staging folder give the median read; the rest are estimated with it.
  const observedReads = withJob
    .map(({ job }) => {
      const b = job.content_hash ? input.blobs.get(job.content_hash) : undefined;
      const d = ms(job.decided_at);
      return b?.readAtMs && b.readAtMs >= ms(job.submitted_at) && b.readAtMs <= d + 5
        ? d - b.readAtMs
        : NaN;
    })
    .filter(Number.isFinite);
  const medianReadMs = stats(observedReads).p50 || 0;

  const lines = new Map<string, Timeline>();
  for (const { job } of withJob) {
    const blob = job.content_hash ? input.blobs.get(job.content_hash) : undefined;
    lines.set(job.id, timeline(job, trailOf.get(job.id) ?? [], blob, medianReadMs));
  }

  // Inversions: every start against every job waiting at a higher level at that moment.
  const allWaits = [...lines.values()].flatMap((t) => t.waits);
  const inversions: Inversion[] = [];
  const startsInvolved = new Set<string>();
  // The same, with every job ranked by the level it ended with (what it really was), not
  // by the highest level it could still get while deciding.
  const finalLevel = new Map(withJob.map(({ job }) => [job.id, job.priority as PriorityLevel]));
  let byFinalLevel = 0;
  for (const t of lines.values()) {
    for (const s of t.starts) {
      const startedFinal = finalLevel.get(s.job)!;
      for (const w of allWaits) {
        if (w.job === s.job || !(w.from + grace <= s.at && s.at < w.to)) continue;
        if (levelRank(finalLevel.get(w.job)!) < levelRank(startedFinal)) byFinalLevel++;
        if (levelRank(w.level) >= levelRank(s.level)) continue;
        const acked = input.acks.get(w.job) ?? -Infinity;
        const waitingFor = w.for === 'run' ? 'run' : s.at < acked ? 'ack' : 'read';
        inversions.push({
          started: s.job,
          startedLevel: s.level,
          phase: s.phase,
          waiting: w.job,
          waitingLevel: w.level,
          waitedMs: s.at - w.from,
          atMs: s.at,
          certain: w.certain,
          waitingFor,
        });
        startsInvolved.add(`${s.job}@${s.at}`);
      }
    }
  }

  const expectedOf = (f: PlannedFile, job: JobRecord | undefined): PriorityLevel => {
    const asOf = input.asOfMs.get(f.path);
    if (!job || asOf === undefined) return f.expected;
    return expectedLevel(f, asOf, ms(job.submitted_at));
  };
  const latencyOf = (m: { line?: IngestLine }) => m.line?.latency_ms ?? NaN;
  const latency = perLevel((l) => stats(mine.filter((m) => m.f.expected === l).map(latencyOf)));
  const latencyByDecided = perLevel((l) =>
    stats(withJob.filter((m) => m.job.priority === l).map(latencyOf)),
  );
  const criticalOnes = mine.filter(
    (m) => m.f.expected === 'CRITICAL' || m.job?.priority === 'CRITICAL',
  );
  const criticalLat = criticalOnes
    .map((m) => latencyOf(m) ?? Infinity)
    .map((v) => (Number.isFinite(v) ? v : Infinity));

  const mismatches: Verdict['mismatches'] = [];
  let driftChanged = 0;
  for (const { f, job, line } of mine) {
    const atArrival = expectedOf(f, job);
    if (atArrival !== f.expected) driftChanged++;
    const decided = job?.priority ?? line?.priority ?? null;
    if (decided !== atArrival)
      mismatches.push({
        file: f.path,
        category: f.category,
        expected: f.expected,
        atArrival,
        decided,
        rule: job?.rule ?? line?.rule ?? null,
      });
  }

  const breakdown = perLevel((l) => {
    const rows = withJob
      .filter((m) => m.f.expected === l)
      .map(({ job }) => {
        const t = lines.get(job.id)!;
        const arrival = ms(job.submitted_at);
        const ack = input.acks.get(job.id) ?? NaN;
        const decided = ms(job.decided_at);
        const read = t.readStart ?? NaN;
        const staged =
          (job.content_hash ? input.blobs.get(job.content_hash)?.stagedAtMs : undefined) ?? NaN;
        return {
          'arrival→staged': staged - arrival,
          'staged→ack': ack - staged,
          'ack→read': read - ack,
          read: decided - read,
          'decided→start': t.firstStart - decided,
          run: ms(job.finished_at) - t.lastStart,
          // From its first start to the start of the run that finished: work lost and waited again.
          restarts: t.lastStart - t.firstStart,
          total: ms(job.finished_at) - arrival,
        } satisfies Record<Segment, number>;
      });
    return Object.fromEntries(SEGMENTS.map((s) => [s, stats(rows.map((r) => r[s]))])) as Record<
      Segment,
      Stats
    >;
  });

  const arrivals = withJob.map((m) => ms(m.job.submitted_at));
  const first = Math.min(...arrivals);
  const steps = withJob.map(({ job }) => {
    const t = lines.get(job.id)!;
    return {
      arrived: ms(job.submitted_at),
      staged: (job.content_hash ? input.blobs.get(job.content_hash)?.stagedAtMs : undefined) ?? NaN,
      acknowledged: input.acks.get(job.id) ?? NaN,
      read: t.readStart ?? NaN,
      decided: ms(job.decided_at),
      started: t.firstStart,
      finished: ms(job.finished_at),
    };
  });
  const upTo = (k: keyof (typeof steps)[number], at: number) =>
    steps.filter((x) => x[k] <= at).length;
  const last = Math.max(...steps.map((x) => x.finished).filter(Number.isFinite));
  const progress: Progress[] = PROGRESS_AT_S.filter(
    (s, i) => i === 0 || first + PROGRESS_AT_S[i - 1]! * 1000 < last,
  ).map((atS) => {
    const at = first + atS * 1000;
    return {
      atS,
      arrived: upTo('arrived', at),
      staged: upTo('staged', at),
      acknowledged: upTo('acknowledged', at),
      read: upTo('read', at),
      decided: upTo('decided', at),
      started: upTo('started', at),
      finished: upTo('finished', at),
    };
  });
  const ends = withJob.map((m) => ms(m.job.finished_at)).filter(Number.isFinite);
  const realTime = withJob.filter(
    (m) => 'afterArrivalMs' in m.f.asOf && m.f.asOf.afterArrivalMs >= 0,
  );
  return {
    planned: input.burst.files.length,
    reported: input.lines.length,
    completed: withJob.filter((m) => m.job.status === 'completed').length,
    failed: mine
      .filter((m) => m.job?.status !== 'completed')
      .map((m) => ({
        file: m.f.path,
        status: m.job?.status ?? m.line?.status ?? 'missing',
        code: m.job?.error?.code ?? m.line?.error?.code ?? null,
      })),
    latency,
    latencyByDecided,
    critical: {
      n: criticalOnes.length,
      latencies: criticalLat,
      worst: Math.max(...criticalLat, -Infinity),
    },
    mismatches,
    driftChanged,
    inversions: {
      certain: inversions.filter((i) => i.certain).length,
      possible: inversions.filter((i) => !i.certain).length,
      startsInvolved: startsInvolved.size,
      byFinalLevel,
      byWaitingFor: {
        ack: inversions.filter((i) => i.waitingFor === 'ack').length,
        read: inversions.filter((i) => i.waitingFor === 'read').length,
        run: inversions.filter((i) => i.waitingFor === 'run').length,
      },
      all: inversions.sort((a, b) => b.waitedMs - a.waitedMs),
      examples: inversions.slice(0, 5),
    },
    wallMs: Math.max(...ends) - Math.min(...arrivals),
    drift: {
      startMs: input.commandStartMs - input.referenceMs,
      submit: stats(withJob.map((m) => ms(m.job.submitted_at) - (input.commandStartMs + m.f.atMs))),
      realTimeAge: stats(realTime.map((m) => ms(m.job.submitted_at) - input.asOfMs.get(m.f.path)!)),
    },
    readStarts: {
      observed: [...lines.values()].filter((t) => t.readObserved).length,
      estimated: [...lines.values()].filter((t) => t.readStart !== null && !t.readObserved).length,
      medianReadMs,
    },
    breakdown,
    preemptions: [...lines.values()].reduce((n, t) => n + t.preempted, 0),
    progress,
  };
}
