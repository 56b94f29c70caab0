// One burst end to end, shared by the system tests and `npm run bench -- bursts`: plan
// it, ingest its seeds (the stored history its repeats compare with), write its files
// with as_of set from the moment the command will begin submitting, replay it through
// the real `gex-desk ingest --manifest FILE --json`, and judge it from the command's
// output (plus the database file it left, read once it has exited).
//
// The reference. A manifest's at_ms counts from the command's start, and a line due before
// its engine has started is submitted when it has (dated when it was due). So that the
// burst keeps its shape, the manifest's lines carry a lead: the command's start-up time
// (measured on the seed ingest just before) and a margin, added to every at_ms. Real-time
// files must carry an as_of equal to their planned arrival, so the reference R (when the
// plan's at_ms 0 is due) is chosen before they are written (after an estimate of the
// writing time), and the command is started at R − lead − 1 s (arriving early keeps
// real-time data real-time; arriving 5 s late would not). The judge reports how far the
// real start and each submission drifted from that plan.
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import {
  newHome,
  readOutcome,
  startCommand,
  type Exited,
  type Home,
  type Outcome,
} from './command.ts';
import { newYorkTime } from './chains.ts';
import { judge, type Verdict } from './judge.ts';
import type { StagedBlob } from './observe.ts';
import {
  requestedLevelBurst,
  ruleDecidedBurst,
  type Burst,
  type BurstKind,
  type BurstOptions,
} from './plan.ts';
import { writeBurst, writeSeeds, type Written } from './write.ts';

/** The burst's shape (its folder and date are the run's own). */
export interface BurstRunOptions extends Omit<BurstOptions, 'dir' | 'day'> {
  kind: BurstKind;
  /** Extra environment for the command (none: the user's defaults). */
  env?: NodeJS.ProcessEnv;
  /** Progress notes (the bench prints them). */
  note?: (text: string) => void;
  /** Keep the files and database (their folder is in the result). */
  keep?: boolean;
}

export interface BurstRun {
  burst: Burst;
  home: Home;
  written: Written;
  exit: Exited;
  outcome: Outcome;
  verdict: Verdict;
  /** What was observed while it ran: acknowledgements (job → time) and staged blobs. */
  observed: { acks: Map<string, number>; blobs: Map<string, StagedBlob>; commandStartMs: number };
  /** 1-minute load average of the machine: before, during (max), after. */
  load: { before: number; max: number; after: number; cores: number };
  times: { planMs: number; writeMs: number; startupMs: number };
}

const EARLY_MS = 1000;
/** Beyond the command's measured start-up, before the first line is due (a slower start). */
const LEAD_MARGIN_MS = 500;
const loadAvg = () => Number(readFileSync('/proc/loadavg', 'utf8').split(' ')[0]);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, Math.max(0, ms)));

export async function runBurst(o: BurstRunOptions): Promise<BurstRun> {
  const note = o.note ?? (() => undefined);
  const home = newHome(`gex-${o.kind}-`);
  const dir = join(home.dir, 'files');
  mkdirSync(dir);
  const day = newYorkTime(Date.now() + 10 * 60_000).wall.slice(0, 10);
  let t = Date.now();
  const opts = {
    dir,
    files: o.files,
    perWave: o.perWave,
    waveGapMs: o.waveGapMs,
    expiries: o.expiries,
    strikesPerExpiry: o.strikesPerExpiry,
    seed: o.seed,
    day,
  };
  const burst = o.kind === 'requested-level' ? requestedLevelBurst(opts) : ruleDecidedBurst(opts);
  const planMs = Date.now() - t;
  note(`planned ${burst.files.length} files in ${(planMs / 1000).toFixed(1)} s`);
  try {
    // The seeds: their ingest also measures how long the command takes to start.
    let startupMs = 1500;
    const seeds = writeSeeds(burst);
    if (seeds) {
      const run = startCommand(home, ['ingest', '--manifest', seeds, '--json'], { env: o.env });
      const done = await run.exited;
      const started = run.log.of(run.child.pid, 'engine.started')[0];
      if (done.code !== 0 || !started)
        throw new Error(`the seed ingest failed (${done.code}): ${done.stderr}`);
      startupMs = Date.parse(started.t) - run.spawnedAtMs;
      note(`seeds ingested; the command starts in ${startupMs} ms`);
    }
    t = Date.now();
    const leadMs = startupMs + LEAD_MARGIN_MS;
    const written = writeBurst(burst, leadMs);
    const writeMs = Date.now() - t;
    const late = Date.now() - (written.referenceMs - leadMs);
    note(
      `wrote the files in ${(writeMs / 1000).toFixed(1)} s${late > 0 ? `, ${late} ms later than planned` : ''}`,
    );
    // Started a little early: a real-time file arriving before its as_of is still 0 s old
    // (up to 60 s ahead), one arriving 5 s late is not real-time any more.
    await sleep(written.referenceMs - leadMs - EARLY_MS - Date.now());

    const load = { before: loadAvg(), max: 0, after: 0, cores: 0 };
    const sampler = setInterval(() => (load.max = Math.max(load.max, loadAvg())), 2000);
    const run = startCommand(home, ['ingest', '--manifest', written.manifest, '--json'], {
      env: o.env,
    });
    const exit = await run.exited;
    clearInterval(sampler);
    load.after = loadAvg();
    load.max = Math.max(load.max, load.before, load.after);
    load.cores = (await import('node:os')).availableParallelism();
    const started = run.log.of(run.child.pid, 'engine.started')[0];
    if (!started)
      throw new Error(`the command never started its engine (exit ${exit.code}): ${exit.stderr}`);
    // When the plan's at_ms 0 was due: the lead after the command's start.
    const commandStartMs = run.spawnedAtMs + leadMs;
    const acks = new Map(
      run.log
        .of(run.child.pid, 'request.accepted')
        .map((e) => [e.job_id as string, Date.parse(e.t)]),
    );
    const outcome = await readOutcome(home);
    const verdict = judge({
      burst,
      asOfMs: written.asOfMs,
      referenceMs: o.kind === 'rule-decided' ? written.referenceMs : commandStartMs,
      commandStartMs,
      lines: exit.lines,
      jobs: outcome.jobs,
      trail: outcome.trail,
      acks,
      blobs: run.staging.blobs,
    });
    const observed = { acks, blobs: run.staging.blobs, commandStartMs };
    return {
      burst,
      home,
      written,
      exit,
      outcome,
      verdict,
      observed,
      load,
      times: { planMs, writeMs, startupMs },
    };
  } finally {
    if (!o.keep) rmSync(home.dir, { recursive: true, force: true });
  }
}
