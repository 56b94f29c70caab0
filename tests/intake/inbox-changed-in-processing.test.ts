// A file of processing/ emptied or overwritten after it was taken: its job runs on the bytes
// captured at the take, and its file was then moved to done/ all the same, so that done/
// held a 0-byte file or another chain beside a completed job (QA mv F3). Now only what is
// still the file taken goes to done/ (one only touched, its content the same, too); the
// others go to failed/ with a FILE_CHANGED note, and their jobs name them there. The real
// engine watching a real folder, real files.
import {
  mkdtempSync,
  readdirSync,
  readFileSync,
  statSync,
  truncateSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { cboeCsvText, makeChain, writeCboeCsv } from '../fixtures/option-chains.ts';
import { engineIn } from '../desktop/engine.ts';
import { jobsOf, statusOf, until } from './inbox-engine.ts';
import { failedSplit, inboxTitle } from '../../renderer/src/text/words.ts';
import type { Engine } from '../../electron/engine/engine.ts';

let engine: Engine | null = null;
afterEach(async () => {
  await engine?.shutdown(5000);
  engine = null;
});

const ls = (dir: string) => readdirSync(dir).sort();

it('moves to done/ only the file its job ran on; one changed in processing/ goes to failed/, said', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'gex-inbox-changed-'));
  engine = await engineIn(dir, { watchInbox: true });
  const e = engine;
  const inbox = e.config.inbox;
  const processing = join(inbox, 'processing');
  await e.handlers['queue:pause']({});
  for (const [name, seed] of [
    ['kept.csv', 41],
    ['emptied.csv', 42],
    ['overwritten.csv', 43],
    ['touched.csv', 44],
  ] as const)
    writeCboeCsv(join(inbox, name), { seed, underlying: 'SPX', spot: 4000 + seed });
  // Acknowledged: each captured, its job queued behind the paused queue.
  await until(async () => (await jobsOf(e)).length === 4, 'the four files to be taken');
  const taken = statSync(join(processing, 'emptied.csv')).size;
  truncateSync(join(processing, 'emptied.csv'), 0);
  writeFileSync(
    join(processing, 'overwritten.csv'),
    cboeCsvText(makeChain({ seed: 45, expiries: 2, strikesPerExpiry: 6 })),
  );
  const later = new Date(Date.now() + 60_000);
  utimesSync(join(processing, 'touched.csv'), later, later);
  await e.handlers['queue:resume']({});
  await until(
    async () => (await jobsOf(e)).every((j) => j.status === 'completed'),
    'the four jobs to complete',
  );
  await until(() => ls(processing).length === 0, 'processing/ to be emptied');

  expect(ls(join(inbox, 'done'))).toEqual(['kept.csv', 'touched.csv']);
  expect(ls(join(inbox, 'failed'))).toEqual([
    'emptied.csv',
    'emptied.csv.reason.txt',
    'overwritten.csv',
    'overwritten.csv.reason.txt',
  ]);
  const jobs = await jobsOf(e);
  const jobOf = (name: string) => jobs.find((j) => j.file.endsWith(`/${name}`))!;
  for (const name of ['emptied.csv', 'overwritten.csv']) {
    const job = jobOf(name);
    // The job keeps how it ended (its snapshot is the content taken), and names where its file lies.
    expect(job).toMatchObject({ status: 'completed', file: join(inbox, 'failed', name) });
    expect(job.snapshot_id).not.toBeNull();
  }
  const at = (name: string) => jobOf(name).submitted_at.slice(11, 19);
  expect(readFileSync(join(inbox, 'failed', 'emptied.csv.reason.txt'), 'utf8')).toBe(
    `FILE_CHANGED: emptied.csv changed in processing/ after it was taken (0 bytes now, ${taken} when taken): its job ran on the content taken at ${at('emptied.csv')} UTC, which this file no longer holds, so it is not put in done/ as what was ingested\njob: ${jobOf('emptied.csv').id}\nfile: emptied.csv\n`,
  );
  expect(readFileSync(join(inbox, 'failed', 'overwritten.csv.reason.txt'), 'utf8')).toMatch(
    /^FILE_CHANGED: overwritten\.csv changed in processing\/ after it was taken \(\d+ bytes now, \d+ when taken\)/,
  );
  for (const name of ['kept.csv', 'touched.csv'])
    expect(jobOf(name).file).toBe(join(inbox, 'done', name));
  // Told apart from failed jobs where the app reads the inbox (QA day2 D1: "failed 2: 2 jobs"
  // while the Queue's Failed tab listed none): counted and listed, each with its note's reason.
  const status = await statusOf(e);
  expect(status.refused.count).toBe(0);
  expect(status.changed.count).toBe(2);
  expect(status.changed.recent.map((r) => r.file).sort()).toEqual([
    'emptied.csv',
    'overwritten.csv',
  ]);
  expect(status.changed.recent.find((r) => r.file === 'emptied.csv')!.reason).toMatch(
    /^FILE_CHANGED: emptied\.csv changed in processing\/ after it was taken \(0 bytes now/,
  );
  expect(failedSplit(status)).toBe('0 jobs, 2 changed after they were taken');
  expect(inboxTitle(status)).toContain('; failed 2: 0 jobs, 2 changed after they were taken');
});
