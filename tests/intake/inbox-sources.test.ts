// A file dropped in a sub-folder of the watched inbox is sent by the source `inbox/` and
// that folder's name (`inbox/acme/x.csv` → `inbox/acme`); one dropped straight in, by
// `inbox`. Before, every inbox file had the source `inbox`, so one vendor's bad files
// demoted every vendor's (G4); then a folder named `manual` took the source of Open
// files…, and a folder name with control or format characters made a source that a
// terminal obeyed or that looked like another. At the next start, the inboxes an earlier
// run left files in are those its jobs recorded, never a folder guessed from a path that
// holds `processing`. The real engine watching real folders, real files.
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { writeCboeCsv } from '../fixtures/option-chains.ts';
import { engineIn } from '../desktop/engine.ts';
import { jobsOf, until } from './inbox-engine.ts';
import type { Engine } from '../../electron/engine/engine.ts';
import { Store } from '../../electron/engine/store/db.ts';
import { MIGRATIONS } from '../../electron/engine/store/migrations.ts';
import { inboxesOfJobs, insertJob } from '../../electron/engine/jobs/repository.ts';

let engine: Engine | null = null;
afterEach(async () => {
  await engine?.shutdown(5000);
  engine = null;
});

async function sourcesOf(e: Engine) {
  const listed = await e.handlers['sources:list']({});
  if (!listed.ok) throw new Error(listed.error.message);
  return listed.value.map((s) => ({ id: s.id, completed: s.completed, failed: s.failed }));
}

/** Every file under `dir` (paths relative to it), sorted; none when it is missing. */
function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return (readdirSync(dir, { recursive: true, withFileTypes: true }) as import('node:fs').Dirent[])
    .filter((d) => d.isFile())
    .map((d) => join(d.parentPath, d.name).slice(dir.length + 1))
    .sort();
}

it('takes the source of an inbox file from its sub-folder, as inbox/<folder>, else inbox', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'gex-inbox-sources-'));
  engine = await engineIn(dir, { watchInbox: true });
  const inbox = engine.config.inbox;
  mkdirSync(join(inbox, 'acme', '2024'), { recursive: true });
  mkdirSync(join(inbox, 'globex'), { recursive: true });
  mkdirSync(join(inbox, 'manual'), { recursive: true });
  writeFileSync(join(inbox, 'acme', 'empty.csv'), '');
  writeCboeCsv(join(inbox, 'acme', '2024', 'a.csv'), { seed: 1, underlying: 'AAA', spot: 100 });
  writeCboeCsv(join(inbox, 'globex', 'g.csv'), { seed: 2, underlying: 'GGG', spot: 50 });
  writeCboeCsv(join(inbox, 'top.csv'), { seed: 3, underlying: 'TTT', spot: 70 });
  // A vendor's folder named as the source of Open files…: its bad file is its own.
  writeFileSync(join(inbox, 'manual', 'bad.csv'), '');
  // A file opened in the app (source `manual`) is not counted with that folder's.
  const opened = join(dir, 'opened.csv');
  writeCboeCsv(opened, { seed: 4, underlying: 'MMM', spot: 30 });
  const ack = await engine.handlers['ingest:submit']({ file: opened, source: 'manual' });
  expect(ack.ok).toBe(true);
  let sources: Awaited<ReturnType<typeof sourcesOf>> = [];
  await until(async () => {
    sources = await sourcesOf(engine!);
    return sources.reduce((n, s) => n + s.completed + s.failed, 0) >= 6;
  }, 'every file ended');
  expect(sources).toEqual([
    { id: 'inbox', completed: 1, failed: 0 },
    { id: 'inbox/acme', completed: 1, failed: 1 },
    { id: 'inbox/globex', completed: 1, failed: 0 },
    { id: 'inbox/manual', completed: 0, failed: 1 },
    { id: 'manual', completed: 1, failed: 0 },
  ]);
}, 120_000);

it('refuses into failed/ the files of a folder whose name is blank, padded, or holds control, format or filler characters', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'gex-inbox-sources-'));
  engine = await engineIn(dir, { watchInbox: true });
  const inbox = engine.config.inbox;
  const folders = [
    'vendor\u202eLIAF',
    'zero\u200bwidth',
    'title\u001b]0;pwned\u0007',
    '   ',
    ' cli ',
    // Drawn as nothing (QA sec2 N8): a combining grapheme joiner after a name, a Hangul filler alone.
    'acme\u034f',
    '\u3164',
  ];
  folders.forEach((f, i) => {
    mkdirSync(join(inbox, f), { recursive: true });
    writeCboeCsv(join(inbox, f, 'x.csv'), { seed: 10 + i, underlying: 'BBB', spot: 40 });
  });
  mkdirSync(join(inbox, 'ok'));
  writeCboeCsv(join(inbox, 'ok', 'y.csv'), { seed: 20, underlying: 'OOO', spot: 40 });
  const failed = join(inbox, 'failed');
  await until(
    async () =>
      folders.every((f) => existsSync(join(failed, f, 'x.csv'))) &&
      (await sourcesOf(engine!)).some((s) => s.id === 'inbox/ok' && s.completed === 1),
    'the refused files in failed/, the good one done',
  );
  const note = readFileSync(join(failed, 'vendor\u202eLIAF', 'x.csv.reason.txt'), 'utf8');
  expect(note).toContain(
    'INVALID_REQUEST: the inbox folder "vendor\\u202eLIAF" cannot name a source: its name holds \\u202e: control, format or invisible filler characters. Rename the folder',
  );
  // The message shows the character; the `file:` line names the file as it lies, for a script.
  expect(note.split('\n')[0]).not.toContain('\u202e');
  expect(readFileSync(join(failed, '   ', 'x.csv.reason.txt'), 'utf8')).toContain(
    'its name is blank',
  );
  expect(readFileSync(join(failed, ' cli ', 'x.csv.reason.txt'), 'utf8')).toContain(
    'its name begins or ends with white space',
  );
  expect(readFileSync(join(failed, 'acme\u034f', 'x.csv.reason.txt'), 'utf8')).toContain(
    'the inbox folder "acme\\u034f" cannot name a source: its name holds \\u034f: control, format or invisible filler characters',
  );
  expect(readFileSync(join(failed, '\u3164', 'x.csv.reason.txt'), 'utf8')).toContain(
    'its name holds \\u3164',
  );
  // No source made of them, no job stored.
  expect((await sourcesOf(engine)).map((s) => s.id)).toEqual(['inbox/ok']);
  expect((await jobsOf(engine)).length).toBe(1);
}, 120_000);

describe('at the next start', () => {
  it("leaves alone a folder named processing that holds another channel's file: it is no inbox", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gex-inbox-restart-'));
    const feeds = join(dir, 'feeds');
    mkdirSync(join(feeds, 'processing', 'cboe'), { recursive: true });
    const mine = join(feeds, 'processing', 'cboe', 'mine.csv');
    writeCboeCsv(mine, { seed: 31, underlying: 'CCC', spot: 60 });
    writeCboeCsv(join(feeds, 'processing', 'cboe', 'not-yet-checked.csv'), {
      seed: 32,
      underlying: 'NNN',
      spot: 60,
    });
    engine = await engineIn(dir, { watchInbox: true });
    const ack = await engine.handlers['ingest:submit']({ file: mine, source: 'cboe' });
    if (!ack.ok) throw new Error(ack.error.message);
    await until(
      async () => (await jobsOf(engine!)).some((j) => j.status === 'completed'),
      'its job ended',
    );
    await engine.shutdown(5000);
    engine = await engineIn(dir, { watchInbox: true });
    // A file dropped in the inbox and done: whatever the start took up has moved by now.
    // Done once it lies in done/: its job completes a moment before the inbox settles it
    // there (a listing between named it in processing/, on a loaded machine).
    writeCboeCsv(join(engine.config.inbox, 'later.csv'), { seed: 33, underlying: 'LLL', spot: 9 });
    await until(
      async () =>
        existsSync(join(engine!.config.inbox, 'done', 'later.csv')) &&
        (await jobsOf(engine!)).filter((j) => j.status === 'completed').length === 2,
      'the later file done, in done/',
    );
    expect(filesUnder(feeds)).toEqual([
      'processing/cboe/mine.csv',
      'processing/cboe/not-yet-checked.csv',
    ]);
    expect(readdirSync(feeds)).toEqual(['processing']);
    expect((await jobsOf(engine)).map((j) => j.file).sort()).toEqual(
      [join(engine.config.inbox, 'done', 'later.csv'), mine].sort(),
    );
  }, 120_000);

  it('settles a file of a folder named processing dropped in the inbox in its own done/, and its job names it there', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gex-inbox-restart-'));
    engine = await engineIn(dir, { watchInbox: true });
    const inbox = engine.config.inbox;
    await engine.handlers['queue:pause']({});
    mkdirSync(join(inbox, 'acme', 'processing'), { recursive: true });
    writeCboeCsv(join(inbox, 'acme', 'processing', 'nested.csv'), {
      seed: 41,
      underlying: 'PPP',
      spot: 20,
    });
    const taken = join(inbox, 'processing', 'acme', 'processing', 'nested.csv');
    await until(
      async () => (await jobsOf(engine!)).some((j) => j.file === taken),
      'its job stored, queued',
    );
    await engine.shutdown(5000);
    expect(existsSync(taken)).toBe(true);
    engine = await engineIn(dir, { watchInbox: true });
    await engine.handlers['queue:resume']({});
    const done = join(inbox, 'done', 'acme', 'processing', 'nested.csv');
    await until(
      async () => (await jobsOf(engine!)).some((j) => j.status === 'completed' && j.file === done),
      'its job completed, naming its file in done/',
    );
    await until(() => !existsSync(taken), 'its file moved');
    expect(filesUnder(inbox)).toEqual(['done/acme/processing/nested.csv']);
    expect(existsSync(join(inbox, 'processing', 'acme'))).toBe(false);
  }, 120_000);

  it("takes up an inbox it was changed from, whose sub-folder's file was still in processing/", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gex-inbox-restart-'));
    const old = join(dir, 'old inbox');
    const next = join(dir, 'next inbox');
    engine = await engineIn(dir, { watchInbox: true, inbox: old });
    await engine.handlers['queue:pause']({});
    mkdirSync(join(old, 'acme'), { recursive: true });
    writeCboeCsv(join(old, 'acme', 'held.csv'), { seed: 51, underlying: 'HHH', spot: 15 });
    await until(async () => (await jobsOf(engine!)).length === 1, 'its job stored');
    expect((await engine.handlers['inbox:set']({ dir: next })).ok).toBe(true);
    await engine.shutdown(5000);
    expect(filesUnder(join(old, 'processing'))).toEqual(['acme/held.csv']);
    engine = await engineIn(dir, { watchInbox: true, inbox: next });
    await engine.handlers['queue:resume']({});
    const done = join(old, 'done', 'acme', 'held.csv');
    await until(() => existsSync(done), 'its file in the old done/');
    await until(
      async () => (await jobsOf(engine!)).every((j) => j.status === 'completed' && j.file === done),
      'its job naming it there',
    );
    expect(filesUnder(join(old, 'processing'))).toEqual([]);
  }, 120_000);
});

it('finds the inboxes of jobs by what they recorded; a job stored before migration 8 by its old rule', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'gex-inbox-jobs-'));
  const path = join(dir, 'gex.duckdb');
  const old = await Store.open(path, MIGRATIONS.slice(0, 7));
  if (!old.ok) throw new Error(old.error.message);
  const row = (id: string, file: string, source: string) =>
    `('${id}', 'r${id}', '${file}', '${source}', 'LOW', 'LOW', 'G2', 'queued', now(), now())`;
  await old.value.run(
    `INSERT INTO jobs (id, request_id, file, source, priority, effective_priority, rule, status, submitted_at, queued_at)
     VALUES ${row('1', '/old/processing/a.csv', 'inbox')}, ${row('2', '/feeds/processing/cboe/b.csv', 'cboe')}`,
  );
  await old.value.close();
  const opened = await Store.open(path);
  if (!opened.ok) throw new Error(opened.error.message);
  const store = opened.value;
  try {
    await store.transaction(async (tx) => {
      const job = (id: string, file: string, source: string, inbox?: string) =>
        insertJob(tx, {
          id,
          request_id: `r${id}`,
          file,
          source,
          underlying: null,
          content_hash: null,
          priority: 'LOW',
          rule: 'G2',
          rule_version: null,
          submitted_at: new Date().toISOString(),
          ...(inbox ? { inbox } : {}),
        });
      await job('3', '/new/processing/acme/processing/c.csv', 'inbox/acme', '/new');
      await job('4', '/new/done/d.csv', 'inbox', '/new'); // settled: names no processing/
      await job('5', '/cli/processing/e.csv', 'inbox'); // --source inbox, not an inbox's
      await job('6', '/x/processing/cboe/f.csv', 'cboe');
    });
    expect((await inboxesOfJobs(store)).sort()).toEqual(['/new', '/old']);
  } finally {
    await store.close();
  }
});
