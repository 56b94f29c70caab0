// `gex-desk ingest FILE... [--manifest FILE] [--source ID] [--priority LEVEL
// --justification TEXT] [--json]`: submits each file, waits until every request has
// ended, and reports one line per request in submission order (CONTRACTS.md). A
// manifest replays a recorded arrival pattern: each line is submitted `at_ms` after
// the command starts.
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { z } from 'zod';
import type { SubmitAck } from '../../../shared/api.ts';
import { PriorityLevel, TERMINAL_STATUSES, type ProcessingJob } from '../../../shared/domain.ts';
import type { AppError } from '../../../shared/result.ts';
import { startEngine, type Engine } from '../../engine/engine.ts';
import { getJob } from '../../engine/jobs/repository.ts';
import { getSnapshot } from '../../engine/store/snapshots.ts';
import { engineOptions, int, level, parse } from './args.ts';
import { bn, describeError, EXIT, exitFor, snapshotJson, UsageError, type ExitCode, type Output } from './io.ts';
import { INGEST_USAGE } from './usage.ts';


const ManifestLine = z.object({
  file: z.string().min(1),
  source: z.string().min(1).optional(),
  requested_priority: PriorityLevel.optional(),
  justification: z.string().optional(),
  author: z.string().optional(),
  at_ms: z.number().nonnegative().default(0),
});

interface Planned {
  file: string;
  source: string;
  requested_priority?: PriorityLevel;
  justification?: string;
  author?: string;
  at_ms: number;
  /** A manifest line that could not be read: reported as rejected, never submitted. */
  invalid?: AppError;
}

export interface IngestLine {
  file: string;
  request_id: string | null;
  status: 'completed' | 'duplicate' | 'failed' | 'rejected' | 'cancelled';
  priority: PriorityLevel | null;
  rule: string | null;
  latency_ms: number | null;
  job_id?: string | null;
  snapshot?: Record<string, unknown>;
  error?: AppError;
}

export async function ingestCommand(argv: string[], out: Output): Promise<ExitCode> {
  const { values, positionals } = parse(argv, {
    manifest: { type: 'string' },
    source: { type: 'string' },
    priority: { type: 'string' },
    justification: { type: 'string' },
    author: { type: 'string' },
    workers: { type: 'string' },
    json: { type: 'boolean' },
  });
  if (values.help) {
    out.line(INGEST_USAGE);
    return EXIT.ok;
  }
  const requested_priority = level(values.priority, '--priority');
  if (requested_priority && !(values.justification ?? '').trim())
    throw new UsageError('--priority needs a --justification that is not blank');
  if (positionals.length === 0 && !values.manifest) throw new UsageError('give at least one FILE or --manifest FILE');
  const source = values.source ?? 'cli';
  const planned: Planned[] = positionals.map((file) => ({
    file: resolve(file), source, requested_priority, justification: values.justification, author: values.author, at_ms: 0,
  }));
  if (values.manifest) planned.push(...readManifest(values.manifest, source));
  planned.sort((a, b) => a.at_ms - b.at_ms); // stable: ties keep their order

  // One worker starts at once (its start overlaps the engine's); the others when work waits.
  const started = await startEngine({ ...engineOptions(values), workers: int(values.workers, '--workers'), transport: 'http', prewarm: 1 });
  if (!started.ok) {
    out.error(describeError(started.error));
    return exitFor(started.error);
  }
  const engine = started.value;
  const stop = () => void engine.shutdown(5_000).then(() => process.exit(130));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    const t0 = Date.now();
    const results = planned.map((p) => delay(p.at_ms - (Date.now() - t0)).then(() => runOne(engine, p)));
    let worst: ExitCode = EXIT.ok;
    for (const pending of results) {
      const line = await pending; // in submission order
      if (values.json) out.json(line);
      else out.line(humanLine(line));
      if (line.status === 'failed' || line.status === 'rejected' || line.status === 'cancelled') worst = EXIT.rejected;
    }
    return worst;
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    await engine.shutdown();
  }
}

function readManifest(path: string, defaultSource: string): Planned[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new UsageError(`cannot read the manifest ${path}: ${(e as Error).message}`);
  }
  const base = dirname(resolve(path));
  const planned: Planned[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    if (!raw.trim()) return;
    const where = { file: path, line: i + 1 };
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch (e) {
      planned.push({ file: path, source: defaultSource, at_ms: 0, invalid: { code: 'VALIDATION', message: `manifest line ${i + 1} is not JSON: ${(e as Error).message}`, ...where } });
      return;
    }
    const parsed = ManifestLine.safeParse(value);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      planned.push({ file: path, source: defaultSource, at_ms: 0, invalid: { code: 'VALIDATION', message: `manifest line ${i + 1}: ${issue.path.join('.') || 'line'}: ${issue.message}`, field: issue.path.join('.'), ...where } });
      return;
    }
    const m = parsed.data;
    planned.push({
      file: resolve(base, m.file), source: m.source ?? defaultSource, requested_priority: m.requested_priority,
      justification: m.justification, author: m.author, at_ms: m.at_ms,
    });
  });
  return planned;
}

async function runOne(engine: Engine, p: Planned): Promise<IngestLine> {
  if (p.invalid) return { file: p.file, request_id: null, status: 'rejected', priority: null, rule: null, latency_ms: null, error: p.invalid };
  const submitted = Date.now();
  const r = await engine.handlers['ingest:submit']({
    file: p.file, source: p.source, requested_priority: p.requested_priority, justification: p.justification, author: p.author,
  });
  if (!r.ok) return { file: p.file, request_id: null, status: 'rejected', priority: null, rule: null, latency_ms: null, error: r.error };
  const ack = r.value;
  if (ack.status === 'rejected' || !ack.job_id) return fromAck(p.file, ack, Date.now() - submitted);
  const job = await waitForEnd(engine, ack.job_id);
  return fromJob(engine, p.file, ack, job, submitted);
}

function fromAck(file: string, ack: SubmitAck, latency: number): IngestLine {
  return {
    file, request_id: ack.request_id, status: ack.status === 'rejected' ? 'rejected' : 'failed',
    priority: ack.decision?.priority ?? null, rule: ack.decision?.rule ?? null, latency_ms: latency,
    ...(ack.error ? { error: ack.error } : {}),
  };
}

/** latency_ms: from this command's submission to the data being available (the job's end). */
async function fromJob(engine: Engine, file: string, ack: SubmitAck, job: ProcessingJob, submittedMs: number): Promise<IngestLine> {
  const latency = job.finished_at ? Math.max(0, Date.parse(job.finished_at) - submittedMs) : null;
  const line: IngestLine = {
    file, request_id: ack.request_id, job_id: job.id, status: job.status as IngestLine['status'],
    priority: job.priority, rule: job.rule, latency_ms: latency,
  };
  if (job.snapshot_id) {
    const s = await getSnapshot(engine.store, job.snapshot_id);
    if (s) line.snapshot = snapshotJson(s);
  }
  if (job.error) line.error = job.error;
  return line;
}


async function waitForEnd(engine: Engine, jobId: string): Promise<ProcessingJob> {
  return new Promise<ProcessingJob>((resolveJob) => {
    let done = false;
    const finish = (job: ProcessingJob) => {
      if (done || !TERMINAL_STATUSES.has(job.status)) return;
      done = true;
      off();
      resolveJob(job);
    };
    const off = engine.events.on('job:updated', (job) => {
      if (job.id === jobId) finish(job);
    });
    void getJob(engine.store, jobId).then((job) => job && finish(job));
  });
}

function humanLine(l: IngestLine): string {
  const mark = l.status === 'completed' || l.status === 'duplicate' ? '✓' : '✗';
  const head = `${mark} ${l.file}  ${l.status}${l.priority ? `  ${l.priority} (${l.rule})` : ''}`;
  if (l.error) return `${head}\n    ${describeError(l.error)}`;
  const s = l.snapshot;
  if (!s) return head;
  return `${head}  ${l.latency_ms ?? '—'} ms\n    ${s.underlying} ${s.as_of}  spot ${s.spot}  total GEX ${bn(s.total_gex as number)}  zero gamma ${s.zero_gamma ?? '—'}  call wall ${s.call_wall ?? '—'}  put wall ${s.put_wall ?? '—'}\n    ${s.parquet}`;
}

const delay = (ms: number) => (ms > 0 ? new Promise((r) => setTimeout(r, ms)) : Promise.resolve());
