// Requests that end at the door, before any run: a file that cannot be read (missing,
// empty, a folder, binary, of no known format). One that no rule decided says so in the
// JSON (null level and rule), and is counted as no level's work in the queue's
// statistics. The real command on real files.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { IngestLine, JobLine } from '../../shared/cli-lines.ts';
import { writeBadFiles } from '../fixtures/option-chains.ts';
import { cliHome, runCli } from './run-cli.ts';

async function jobsJson(args: string[]): Promise<JobLine[]> {
  const r = await runCli(['jobs', '--json', ...args]);
  expect(r.code, r.stderr).toBe(0);
  return r.lines.map((l) => JobLine.parse(l));
}

/** Files refused at arrival, each for another reason, the last large. */
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
