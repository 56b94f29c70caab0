// `gex-desk jobs cancel` and `jobs retry`, the Queue view's buttons for scripts, run as the
// real command on a database whose queue a real engine left behind (started paused, as
// the cancel command's own engine is, so that its jobs are still waiting): a cancel that
// runs nothing else, a retry that runs its job to its end, and the refusals.
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeCboeCsv } from '../fixtures/option-chains.ts';
import { startTestEngine } from '../desktop/engine.ts';
import { cliHome, runCli } from './run-cli.ts';

describe('gex-desk jobs cancel / retry', () => {
  it('cancels a waiting job without running the queue, retries it to its end, and refuses what cannot be done', async () => {
    const t = await startTestEngine({ paused: true });
    const files = ['a', 'b'].map((name, i) => {
      const file = join(t.dir, `${name}.csv`);
      writeCboeCsv(file, { seed: 300 + i, underlying: 'SPX', spot: 4700, expiries: 3 });
      return file;
    });
    // Stale, so decided at arrival; its run finds the bad number.
    const broken = join(t.dir, 'broken.csv');
    writeFileSync(
      broken,
      'underlying,as_of,spot,expiry,strike,option_type,open_interest,volume,iv\n' +
        'SPX,2024-01-08T10:30:00-05:00,4700,2024-01-19,4700,C,12,1,0.2\n' +
        'SPX,2024-01-08T10:30:00-05:00,4700,2024-01-19,4700,P,abc,1,0.2\n',
    );
    files.push(broken);
    const ids: string[] = [];
    const requests: string[] = [];
    for (const file of files) {
      const ack = await t.engine.handlers['ingest:submit']({ file, source: 'desk' });
      if (!ack.ok || !ack.value.job_id) throw new Error(`not queued: ${JSON.stringify(ack)}`);
      ids.push(ack.value.job_id);
      requests.push(ack.value.request_id);
    }
    await t.engine.shutdown(5000); // both left waiting in the database
    const [a, b, c] = ids as [string, string, string];
    const args = ['--db', join(t.dir, 'gex.duckdb')];
    const statuses = async () =>
      Object.fromEntries(
        (await runCli(['jobs', '--json', ...args])).lines.map((j) => [j.id, j.status]),
      );
    expect(await statuses()).toEqual({ [a]: 'queued', [b]: 'queued', [c]: 'queued' });

    // A job named by the first characters of its id, as the table prints it in full.
    const cancelled = await runCli(['jobs', 'cancel', a.slice(0, 8), '--author', 'ana', ...args]);
    expect(cancelled.code, cancelled.stderr).toBe(0);
    expect(cancelled.stdout).toBe(`✓ ${a}  cancelled  ${files[0]}\n`);
    // The command's own engine ran nothing: b still waits.
    expect(await statuses()).toEqual({ [a]: 'cancelled', [b]: 'queued', [c]: 'queued' });
    const audit = await runCli(['audit', '--kind', 'cancelled', '--json', ...args]);
    expect(audit.lines.map((e) => [e.job_id, e.actor])).toContainEqual([a, 'ana']);
    // Its trail from the job's id (what `jobs` prints) or its start, as from its request's.
    const trail = await runCli(['audit', '--request', requests[0]!, '--json', ...args]);
    expect(trail.lines.map((e) => e.kind)).toEqual(['arrival', 'decision', 'cancelled']);
    for (const named of [a, a.slice(0, 6)])
      expect((await runCli(['audit', '--request', named, '--json', ...args])).lines).toEqual(
        trail.lines,
      );

    // Retried after its file was moved away: it runs on the bytes captured at arrival.
    rmSync(files[0]!);
    const retried = await runCli(['jobs', 'retry', a, '--json', ...args]);
    expect(retried.code, retried.stderr).toBe(0);
    expect(retried.lines).toHaveLength(1);
    expect(retried.lines[0]).toMatchObject({
      job_id: a,
      file: files[0],
      status: 'completed',
      snapshot: { underlying: 'SPX' },
    });
    expect(retried.lines[0]!.latency_ms).toBeGreaterThanOrEqual(0);
    expect((await statuses())[a]).toBe('completed');

    // Refusals: each said at its id, the others still done; exit 1.
    const mixed = await runCli(['jobs', 'retry', 'nope', a, ...args]);
    expect(mixed.code).toBe(1);
    expect(mixed.stdout).toContain('✗ nope  NOT_FOUND');
    expect(mixed.stdout).toContain(
      `✗ ${a}  CONFLICT: job ${a} is completed; only a failed or cancelled job can be retried`,
    );
    const late = await runCli(['jobs', 'cancel', a, ...args]);
    expect(late.code).toBe(1);
    expect(late.stdout).toMatch(/CONFLICT: .* only a waiting or running job can be cancelled/);
    const none = await runCli(['jobs', 'retry', ...args]);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/jobs retry takes the ID of each job/);

    // A job that failed on its file's content is not retried (the Queue view offers no
    // Retry either): the bytes captured at arrival would fail the same way. --force does.
    // (Run by the retry's own engine with a, or by this drain.)
    await runCli(['queue', '--drain', ...args]);
    expect((await statuses())[c]).toBe('failed');
    const desk = async () =>
      (await runCli(['sources', '--json', ...args])).lines.find((l) => l.id === 'desk');
    expect(await desk()).toMatchObject({ completed: 2, failed: 1 });
    const same = await runCli(['jobs', 'retry', c, ...args]);
    expect(same.code).toBe(1);
    expect(same.stdout).toBe(
      `✗ ${c}  CONFLICT: A retry would fail the same way: BAD_VALUE is a problem of the file itself. Correct the file and ingest it again. (--force retries it all the same)\n`,
    );
    // Named by its request's id (what `ingest --json` and the audit trail give).
    const forced = await runCli(['jobs', 'retry', requests[2]!, '--force', '--json', ...args]);
    expect(forced.code).toBe(1);
    expect(forced.lines[0]).toMatchObject({
      job_id: c,
      status: 'failed',
      error: { code: 'BAD_VALUE', line: 3, field: 'open_interest' },
    });
    // The source's record counts the request's final outcome once: one failure, however
    // often it is retried (each forced retry counted one more, and could push a healthy
    // source under G4's threshold).
    await runCli(['jobs', 'retry', c, '--force', ...args]);
    expect(await desk()).toMatchObject({ completed: 2, failed: 1 });
    rmSync(t.dir, { recursive: true, force: true });
  }, 60_000);

  it('says first that a job refused at arrival has no bytes to retry, rather than offer --force', async () => {
    const { dir, args } = cliHome();
    const notes = join(dir, 'notes.txt');
    writeFileSync(notes, 'not a chain, only words\n');
    expect((await runCli(['ingest', notes, ...args])).code).toBe(1);
    const [job] = (await runCli(['jobs', '--json', ...args])).lines;
    expect(job).toMatchObject({ status: 'failed', error: { code: 'UNKNOWN_FORMAT' } });
    const said = `✗ ${String(job!.id)}  CONFLICT: ${notes}: cannot retry: a retry runs the bytes captured when the file arrived, and they are no longer kept (never captured, kept keepStagedHours after the job ended, 72 by default; 0 keeps none, or let go when the disk was full, as a job that failed on its file's content or whose content is stored already is). Ingest the file again.\n`;
    for (const force of [[], ['--force']]) {
      const r = await runCli(['jobs', 'retry', String(job!.id), ...force, ...args]);
      expect(r.code).toBe(1);
      expect(r.stdout).toBe(said);
    }
    rmSync(dir, { recursive: true, force: true });
  }, 60_000);
});
