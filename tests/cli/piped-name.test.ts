// A chain piped in (`ingest -`) is named "-" wherever its request and job are kept — the
// jobs, the audit trail, a removal's entry — as the ingest's own line names it. Its job
// named the command's temporary copy (/tmp/gex-desk-stdin-…/stdin), deleted when the
// command ended, which every later listing then showed.
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeCboeCsv } from '../fixtures/option-chains.ts';
import { cliHome, runCli } from './run-cli.ts';
import { ingestPipedSlowly } from './slow-pipe.ts';

describe('a chain piped in, after the command', () => {
  it('is "-" in the jobs, the audit trail and a removal, never the copy the command deleted', async () => {
    const { dir, args } = cliHome();
    const f = join(dir, 'chain.csv');
    writeCboeCsv(f, { seed: 21, expiries: 2, strikesPerExpiry: 6 });
    const tmp = join(dir, 'tmp');
    mkdirSync(tmp);
    const env = { TMPDIR: tmp };
    const piped = await runCli(['ingest', '-', '--json', ...args], {
      input: readFileSync(f, 'utf8'),
      env,
    });
    expect(piped.code, piped.stderr).toBe(0);
    expect(piped.lines[0]).toMatchObject({ file: '-', status: 'completed' });
    const jobId = piped.lines[0]!.job_id as string;
    // One that cannot be read: stored as a failed job, its error naming it "-" too.
    const bad = await runCli(['ingest', '-', '--json', ...args], { input: 'not,a\nchain\n', env });
    expect(bad.code).toBe(1);
    expect(bad.lines[0]).toMatchObject({ file: '-', status: 'failed' });
    expect((bad.lines[0]!.error as { message: string }).message).toMatch(/^the chain piped in /);

    const jobs = await runCli(['jobs', '--json', ...args]);
    expect(jobs.lines.map((j) => j.file)).toEqual(['-', '-']);
    const table = await runCli(['jobs', ...args]);
    const snapshotId = (piped.lines[0]!.snapshot as { id: string }).id;
    const removed = await runCli([
      'snapshots',
      'remove',
      snapshotId,
      '--justification',
      'piped twice',
      ...args,
    ]);
    expect(removed.code, removed.stderr).toBe(0);
    const trail = await runCli(['audit', '--request', jobId, '--json', ...args]);
    expect(trail.lines.length).toBeGreaterThan(2);
    for (const e of trail.lines) expect(e.file, JSON.stringify(e)).toBe('-');
    const all = await runCli(['audit', '--json', ...args]);
    expect(all.lines.find((e) => e.kind === 'removed')).toMatchObject({ file: '-' });
    // Nowhere the temporary folder the command made and deleted.
    for (const r of [jobs, table, trail, all]) expect(r.stdout).not.toContain(tmp);
  });

  // A command that starts its own engine dates its requests when it was given them; a
  // chain piped in is given once its last byte is read, not at the command's start.
  it('is given when its last byte is read: a command that starts its engine dates it then, not at its start', async () => {
    const { dir, args } = cliHome();
    const f = join(dir, 'slow.csv');
    writeCboeCsv(f, { seed: 9, expiries: 2, strikesPerExpiry: 8 });
    const r = await ingestPipedSlowly(f, args, dir);
    expect(r.code, r.stderr).toBe(0);
    const line = JSON.parse(r.stdout.trim()) as { job_id: string };
    const jobs = await runCli(['jobs', '--json', ...args], { home: dir });
    const job = jobs.lines.find((j) => j.id === line.job_id)!;
    expect(Date.parse(String(job.submitted_at))).toBeGreaterThanOrEqual(r.lastPartMs);
  }, 60_000);
});
