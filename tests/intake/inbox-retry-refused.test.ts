// What became of the inbox's failed files once they were no longer simply failed. A retried
// inbox job that completed left its file in failed/ beside a stale note ("CANCELLED:
// cancelled before it started"), still counted failed, its job naming failed/; now the file
// follows its job's new end (done/, the note removed; or failed/ with the new reason), and
// the job names where it lies. And the files the inbox refused itself (a symbolic link, a
// folder whose name names no source) lay in failed/ with no job, counted with the jobs'
// failures and listed nowhere; the inbox's status now says them apart, each with its
// reason. The real engine watching a real folder, real files.
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { writeBadFiles, writeCboeCsv } from '../fixtures/option-chains.ts';
import { engineIn } from '../desktop/engine.ts';
import { jobsOf, statusOf, until } from './inbox-engine.ts';
import type { Engine } from '../../electron/engine/engine.ts';
import type { ProcessingJob } from '../../shared/domain.ts';

let engine: Engine | null = null;
afterEach(async () => {
  await engine?.shutdown(5000);
  engine = null;
});

async function jobNamed(e: Engine, id: string): Promise<ProcessingJob> {
  const r = await e.handlers['jobs:get']({ id });
  if (!r.ok) throw new Error(r.error.message);
  return r.value.job;
}

const ls = (dir: string) => readdirSync(dir).sort();

it('moves a retried job’s file from failed/ to done/ when it completes, its note removed', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'gex-inbox-retry-'));
  engine = await engineIn(dir, { watchInbox: true });
  const e = engine;
  const inbox = e.config.inbox;
  await e.handlers['queue:pause']({});
  writeCboeCsv(join(inbox, 'retry-me.csv'), { seed: 7, underlying: 'RRR', spot: 100 });
  await until(async () => (await jobsOf(e)).length === 1, 'the file to be taken');
  const [job] = await jobsOf(e);
  const cancelled = await e.handlers['jobs:cancel']({ id: job!.id });
  expect(cancelled.ok).toBe(true);
  await until(() => ls(join(inbox, 'failed')).length === 2, 'the cancelled file in failed/');
  expect(readFileSync(join(inbox, 'failed', 'retry-me.csv.reason.txt'), 'utf8')).toMatch(
    /^CANCELLED: /,
  );
  await e.handlers['queue:resume']({});
  const retried = await e.handlers['jobs:retry']({ id: job!.id });
  expect(retried.ok).toBe(true);
  await until(
    async () => (await jobNamed(e, job!.id)).status === 'completed',
    'the retried job to complete',
  );
  await until(() => ls(join(inbox, 'done')).length === 1, 'the file to follow into done/');
  expect(ls(join(inbox, 'done'))).toEqual(['retry-me.csv']);
  expect(ls(join(inbox, 'failed'))).toEqual([]);
  expect((await jobNamed(e, job!.id)).file).toBe(join(inbox, 'done', 'retry-me.csv'));
  const s = await statusOf(e);
  expect(s.counts).toMatchObject({ done: 1, failed: 0 });
  expect(s.refused.count).toBe(0);
});

it('keeps a retried job’s file in failed/ when it fails again, with the new reason and the name it came in with', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'gex-inbox-refail-'));
  engine = await engineIn(dir, { watchInbox: true });
  const e = engine;
  const inbox = e.config.inbox;
  await e.handlers['queue:pause']({});
  // An earlier bad.csv in failed/: this one is renamed there.
  mkdirSync(join(inbox, 'failed'), { recursive: true });
  writeFileSync(join(inbox, 'failed', 'bad.csv'), 'an earlier bad.csv');
  // Refused only by its run: text in a number's place, on its 6th line.
  const bad = writeBadFiles(join(dir, 'bad')).badValue!;
  copyFileSync(bad.path, join(inbox, 'bad.csv'));
  await until(async () => (await jobsOf(e)).length === 1, 'the file to be taken');
  const [job] = await jobsOf(e);
  await e.handlers['jobs:cancel']({ id: job!.id });
  const note = join(inbox, 'failed', 'bad-1.csv.reason.txt');
  await until(() => ls(join(inbox, 'failed')).length === 3, 'the cancelled file in failed/');
  expect(readFileSync(note, 'utf8')).toMatch(/^CANCELLED: /);
  expect(readFileSync(note, 'utf8')).toContain('file: bad-1.csv\ndropped_as: bad.csv\n');
  await e.handlers['queue:resume']({});
  await e.handlers['jobs:retry']({ id: job!.id });
  await until(
    async () => (await jobNamed(e, job!.id)).status === 'failed',
    'the retried job to fail',
  );
  await until(() => !readFileSync(note, 'utf8').startsWith('CANCELLED'), 'the new reason');
  const ended = await jobNamed(e, job!.id);
  expect(ended.error!.code).toBe('BAD_VALUE');
  expect(readFileSync(note, 'utf8')).toMatch(/^BAD_VALUE: /);
  expect(readFileSync(note, 'utf8')).toContain(`job: ${job!.id}\n`);
  expect(readFileSync(note, 'utf8')).toContain('file: bad-1.csv\ndropped_as: bad.csv\n');
  expect(ls(join(inbox, 'failed'))).toEqual(['bad-1.csv', 'bad-1.csv.reason.txt', 'bad.csv']);
  expect(ended.file).toBe(join(inbox, 'failed', 'bad-1.csv'));
});

it('says which failed files the inbox refused itself, each with its reason, newest first', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'gex-inbox-refused-'));
  engine = await engineIn(dir, { watchInbox: true });
  const e = engine;
  const inbox = e.config.inbox;
  // A job's failure: an empty file.
  writeFileSync(join(inbox, 'empty.csv'), '');
  await until(async () => (await statusOf(e)).counts.failed === 1, 'the empty file to fail');
  // Refused at the door: a link to a file outside, and a folder whose name ends in a space.
  const outside = join(dir, 'outside.csv');
  writeCboeCsv(outside, { seed: 1, underlying: 'OOO', spot: 10 });
  symlinkSync(outside, join(inbox, 'link.csv'));
  await until(async () => (await statusOf(e)).counts.failed === 2, 'the link refused');
  mkdirSync(join(inbox, 'acme '));
  writeCboeCsv(join(inbox, 'acme ', 'a.csv'), { seed: 2, underlying: 'AAA', spot: 10 });
  await until(async () => (await statusOf(e)).counts.failed === 3, 'the folder’s file refused');
  const s = await statusOf(e);
  expect(s.refused.count).toBe(2);
  expect(s.refused.recent.map((r) => r.file)).toEqual([join('acme ', 'a.csv'), 'link.csv']);
  expect(s.refused.recent[0]!.reason).toMatch(
    /^INVALID_REQUEST: the inbox folder "acme " cannot name a source/,
  );
  expect(s.refused.recent[1]!.reason).toMatch(/^NOT_A_FILE: link\.csv is a symbolic link/);
  // The job's failure is the Queue's, not among them.
  expect((await jobsOf(e)).filter((j) => j.status === 'failed')).toHaveLength(1);
});
