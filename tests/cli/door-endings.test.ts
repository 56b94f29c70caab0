// Requests that end at the door, before any run: a duplicate (its content is a snapshot
// already) and a file that cannot be read (missing, empty, a folder, binary, of no known
// format). Each ends when it was found to end — its file hashed, read and decided — not at
// its arrival: its latency is submission → answer, its audit trail is in time order; and
// one that no rule decided says so in the JSON (null level and rule), is counted as no
// level's work in the queue's statistics. The real command on real files.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { IngestLine, JobLine } from '../../shared/cli-lines.ts';
import { writeBadFiles, writeCboeCsv } from '../fixtures/option-chains.ts';
import { cliHome, runCli } from './run-cli.ts';

const ms = (iso: unknown) => Date.parse(String(iso));

async function jobsJson(args: string[]): Promise<JobLine[]> {
  const r = await runCli(['jobs', '--json', ...args]);
  expect(r.code, r.stderr).toBe(0);
  return r.lines.map((l) => JobLine.parse(l));
}

/** Files refused at arrival, each for another reason, the last large (its capture takes a while). */
function unreadableFiles(dir: string): { files: string[]; codes: string[] } {
  const bad = writeBadFiles(join(dir, 'bad'));
  const big = join(dir, 'big-notes.csv');
  writeFileSync(big, 'hello,world\n1,2\n'.repeat(1_000_000));
  const cases = ['missing', 'empty', 'directory', 'binary', 'unknown'] as const;
  const codes = [...cases.map((c) => bad[c]!.code), 'UNKNOWN_FORMAT'];
  expect(codes).toEqual([
    'FILE_NOT_FOUND',
    'EMPTY_FILE',
    'NOT_A_FILE',
    'BINARY_FILE',
    'UNKNOWN_FORMAT',
    'UNKNOWN_FORMAT',
  ]);
  return { files: [...cases.map((c) => bad[c]!.path), big], codes };
}

describe('requests that end at the door', () => {
  it('dates a duplicate’s end when it was found to be one: after its decision, with a latency that counts the finding', async () => {
    const { dir, args } = cliHome();
    // Large enough that hashing and reading its ends takes a measurable time.
    const file = join(dir, 'spx.csv');
    writeCboeCsv(file, { seed: 17, underlying: 'SPX', expiries: 24, strikesPerExpiry: 200 });
    const first = await runCli(['ingest', file, '--json', ...args]);
    expect(first.code, first.stderr).toBe(0);
    const second = await runCli(['ingest', file, '--json', ...args]);
    expect(second.code, second.stderr).toBe(0);
    const line = IngestLine.parse(second.lines[0]);
    expect(line.status).toBe('duplicate');
    expect(line.latency_ms).toBeGreaterThan(0);

    const job = (await jobsJson(args)).find((j) => j.request_id === line.request_id)!;
    expect(job.status).toBe('duplicate');
    expect(ms(job.finished_at)).toBeGreaterThan(ms(job.submitted_at));

    const trail = await runCli(['audit', '--request', line.request_id!, '--json', ...args]);
    const entries = trail.lines as { kind: string; at: string }[];
    expect(entries.map((e) => e.kind)).toEqual(['arrival', 'decision', 'completed']);
    const at = entries.map((e) => ms(e.at));
    // In time order, the end last: found a duplicate after (or as) it was decided.
    expect(at).toEqual([...at].sort((a, b) => a - b));
    expect(at[2]).toBeGreaterThan(at[0]!);
    expect(ms(job.finished_at)).toBe(at[2]);
    expect(ms(job.finished_at)).toBeGreaterThanOrEqual(at[1]!);
    // The command's latency counts to that end (from its own, earlier or equal, arrival).
    expect(line.latency_ms).toBeGreaterThanOrEqual(ms(job.finished_at) - ms(job.submitted_at));
  });

  it('ends a file that cannot be read when that was found, and dates its audit entry then', async () => {
    const { dir, args } = cliHome();
    const { files, codes } = unreadableFiles(dir);
    const r = await runCli(['ingest', ...files, '--json', ...args]);
    expect(r.code, r.stderr).toBe(1);
    r.lines.forEach((l, i) => {
      const line = IngestLine.parse(l);
      expect(line, files[i]).toMatchObject({ status: 'failed', error: { code: codes[i] } });
      expect(line.latency_ms, files[i]).toBeGreaterThan(0);
    });
    const jobs = await jobsJson(args);
    expect(jobs).toHaveLength(files.length);
    for (const job of jobs)
      expect(ms(job.finished_at), job.file).toBeGreaterThan(ms(job.submitted_at));
    // The big file's end comes after its capture, and its `failed` entry is dated then,
    // after its arrival's.
    const bigJob = jobs.find((j) => j.file === files.at(-1))!;
    const trail = await runCli(['audit', '--request', bigJob.request_id, '--json', ...args]);
    expect(trail.lines).toEqual([
      expect.objectContaining({ kind: 'arrival', priority: null }),
      expect.objectContaining({ kind: 'failed', priority: null }),
    ]);
    expect(ms(trail.lines[0]!.at)).toBe(ms(bigJob.submitted_at));
    expect(ms(trail.lines[1]!.at)).toBe(ms(bigJob.finished_at));
  });

  it('records a file that cannot be read as its arrival, then a failed entry by its sender, under the active rules', async () => {
    const { dir, args } = cliHome();
    const file = join(dir, 'empty.csv');
    writeFileSync(file, '');
    const r = await runCli([
      'ingest',
      file,
      '--source',
      'vendorE',
      '--author',
      'ivan',
      '--json',
      ...args,
    ]);
    expect(r.code, r.stderr).toBe(1);
    const line = IngestLine.parse(r.lines[0]);
    expect(line).toMatchObject({ status: 'failed', error: { code: 'EMPTY_FILE' } });
    const trail = await runCli(['audit', '--request', line.request_id!, '--json', ...args]);
    const version = 1; // the default rules, the only ones this home has activated
    expect(trail.lines).toEqual([
      expect.objectContaining({
        kind: 'arrival',
        actor: 'ivan',
        rule_version: version,
        priority: null,
        file,
        facts: { source: 'vendorE' },
      }),
      expect.objectContaining({
        kind: 'failed',
        actor: 'ivan',
        rule: 'unreadable',
        rule_version: version,
        priority: null,
        file,
        facts: { error: expect.objectContaining({ code: 'EMPTY_FILE', file }) },
      }),
    ]);
    // As `jobs` shows it and its source counts it: failed.
    const failed = await runCli(['audit', '--kind', 'failed', '--json', ...args]);
    expect(failed.lines.map((l) => (l as { request_id: string }).request_id)).toContain(
      line.request_id,
    );
  });

  it('gives a file that cannot be read no level, rule or decision time, requested or not, and no level counts it', async () => {
    const { dir, args } = cliHome();
    const { files, codes } = unreadableFiles(dir);
    // A requested level is never applied either: the file was not read.
    for (const manual of [[], ['--priority', 'HIGH', '--justification', 'FOMC']]) {
      const r = await runCli(['ingest', ...files, '--json', ...manual, ...args]);
      expect(r.code, r.stderr).toBe(1);
      r.lines.forEach((l, i) =>
        expect(IngestLine.parse(l), files[i]).toMatchObject({
          file: files[i],
          status: 'failed',
          priority: null,
          rule: null,
          error: { code: codes[i] },
        }),
      );
    }
    const jobs = await jobsJson(args);
    expect(jobs).toHaveLength(files.length * 2);
    for (const job of jobs)
      expect(job, job.file).toMatchObject({
        status: 'failed',
        priority: null,
        effective_priority: null,
        rule: null,
        decided_at: null,
      });
    // The queue counts them as failed, never as any level's work or latency.
    const queue = await runCli(['queue', '--json', ...args]);
    const stats = queue.lines[0] as {
      levels: { level: string; waiting: number; completed_in_window: number }[];
      totals: { failed: number; completed: number };
    };
    expect(stats.totals).toMatchObject({ failed: files.length * 2, completed: 0 });
    for (const l of stats.levels)
      expect([l.level, l.waiting, l.completed_in_window]).toEqual([l.level, 0, 0]);
  });
});
