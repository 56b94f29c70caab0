// An interrupted `ingest` with an engine of its own lets its running jobs finish while
// that engine shuts down, and then prints the lines of the requests that ended meanwhile.
// Its own wait for such a job raced the database's close (the job's end heard, its call
// for the job refused once the store had closed: no line, and the job counted among those
// "left queued"; QA rc F3). The close now gives the command its turn after the jobs have
// stopped and before the database closes (ApiSession.close's `last`), where the waiter
// asks for the jobs it saw run (JobWaiter.settle). Here through the same openApi and
// waiter the command uses, the real engine running a chain of seconds when it is closed.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, onTestFinished } from 'vitest';
import { openApi } from '../../electron/host/cli/api.ts';
import { jobWaiter } from '../../electron/host/cli/job-waiter.ts';
import { writeCboeCsv } from '../fixtures/option-chains.ts';

const savedHome = process.env.GEX_DESK_HOME;
afterEach(() => {
  if (savedHome === undefined) delete process.env.GEX_DESK_HOME;
  else process.env.GEX_DESK_HOME = savedHome;
});

describe('a command closing its own engine while a job of its runs', () => {
  it(
    'is given its turn once the job has ended and before the database closes, where its wait ends with the job',
    { timeout: 120_000 },
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'gex-stop-lookup-'));
      onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
      process.env.GEX_DESK_HOME = join(dir, 'home');
      const big = join(dir, 'big.csv');
      writeCboeCsv(big, { seed: 61, expiries: 80, strikesPerExpiry: 500 });
      const opened = await openApi(
        { dbPath: join(dir, 'gex.duckdb'), dataDir: join(dir, 'data') },
        { kind: 'engine', options: { workers: 1 }, computes: true, dataFolder: true },
      );
      if (!opened.ok) throw new Error(opened.error.message);
      const { api, close } = opened.value;
      const waiter = jobWaiter(api, async (_from, lost) => ({ ok: false, error: lost }));

      const running = new Promise<void>((resolve) =>
        api.on('job:updated', (job) => {
          if (job.status === 'running') resolve();
        }),
      );
      const ack = await api.call('ingest:submit', {
        file: big,
        source: 'cli',
        request_id: randomUUID(),
      });
      if (!ack.ok || !ack.value.job_id) throw new Error(JSON.stringify(ack));
      const jobId = ack.value.job_id;
      const wait = waiter.waitForEnd(jobId);
      await running;

      // Closed mid-run, as on Ctrl-C: what the command reads in its turn.
      let inTurn: string | undefined;
      await close(async () => {
        await waiter.settle();
        const r = await api.call('jobs:get', { id: jobId });
        inTurn = r.ok ? r.value.job.status : r.error.code;
      });
      expect(inTurn).toBe('completed');
      // The wait ended in that turn, with the job as stored and its snapshot.
      const ended = await Promise.race([wait, new Promise((r) => setImmediate(() => r('open')))]);
      expect(ended).toMatchObject({ ok: true, value: { job: { id: jobId, status: 'completed' } } });
      expect((ended as { value: { snapshot: unknown } }).value.snapshot).not.toBeNull();
    },
  );
});
