// What the names of files and folders dropped into the watched inbox do. An interrupted
// WinSCP upload (`x.csv.filepart`) was taken as a chain — a half file cut at a line end
// became a completed snapshot with wrong figures, and WinSCP's resume found nothing; a name
// of 245 bytes or more went to failed/ without its note, and one whose done/ name was taken
// stayed in processing/ for ever (ENAMETOOLONG for `.reason.txt` and `-1`); a "Zürich"
// folder composed and one decomposed (as macOS copies write it) made two sources; and
// `gex-desk inbox` without the app said no problem of files dropped too deep. The real
// engine watching real folders, real files.
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { writeCboeCsv } from '../fixtures/option-chains.ts';
import { engineIn } from '../desktop/engine.ts';
import { jobsOf, statusOf, until } from './inbox-engine.ts';
import type { Engine } from '../../electron/engine/engine.ts';
import { table } from '../../electron/host/cli/io.ts';

let engine: Engine | null = null;
afterEach(async () => {
  await engine?.shutdown(5000);
  engine = null;
});

const bytes = (name: string): number => Buffer.byteLength(name);

it('leaves an interrupted transfer or download as it is: not taken, counted nowhere, taken once renamed', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'gex-inbox-names-'));
  engine = await engineIn(dir, { watchInbox: true });
  const inbox = engine.config.inbox;
  const partial = [
    'big.csv.filepart', // WinSCP
    'b.csv.opdownload', // Opera
    'c.csv.!qB', // qBittorrent
    'd.csv.!ut', // µTorrent
    'e.csv.bc!', // BitComet
    'f.csv.!sync', // Resilio Sync
    'g.csv.partial', // Internet Explorer, old Edge
    'h.csv.crdownload', // Chrome
  ];
  partial.forEach((name, i) =>
    writeCboeCsv(join(inbox, name), { seed: 50 + i, underlying: 'PRT', spot: 80 }),
  );
  // aria2 downloads in place, beside its control file.
  writeCboeCsv(join(inbox, 'aria.csv'), { seed: 60, underlying: 'ARI', spot: 80 });
  writeFileSync(join(inbox, 'aria.csv.aria2'), 'control');
  // Safari: a folder bundle holding the file being downloaded.
  mkdirSync(join(inbox, 'safari.csv.download'));
  writeCboeCsv(join(inbox, 'safari.csv.download', 'safari.csv'), {
    seed: 61,
    underlying: 'SAF',
    spot: 80,
  });
  // Written last: taken in the same poll as the others, or after them.
  writeCboeCsv(join(inbox, 'ok.csv'), { seed: 62, underlying: 'OKK', spot: 80 });
  await until(() => existsSync(join(inbox, 'done', 'ok.csv')), 'ok.csv done');
  expect((await jobsOf(engine)).map((j) => j.file)).toEqual([join(inbox, 'done', 'ok.csv')]);
  for (const name of [...partial, 'aria.csv', 'aria.csv.aria2'])
    expect(existsSync(join(inbox, name)), name).toBe(true);
  expect(existsSync(join(inbox, 'safari.csv.download', 'safari.csv'))).toBe(true);
  const status = await statusOf(engine);
  expect(status.counts).toEqual({ waiting: 0, processing: 0, done: 1, failed: 0 });
  expect(status.problem).toBeNull();
  // WinSCP's resume ends with the rename: the whole file is taken then.
  renameSync(join(inbox, 'big.csv.filepart'), join(inbox, 'big.csv'));
  await until(async () => (await jobsOf(engine!)).length === 2, 'big.csv taken');
  await until(
    async () => (await jobsOf(engine!)).every((j) => j.status === 'completed'),
    'big.csv completed',
  );
}, 120_000);

it('keeps a long name within 255 bytes: a failed file beside its note, a file whose done/ name is taken moved all the same', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'gex-inbox-names-'));
  engine = await engineIn(dir, { watchInbox: true });
  const inbox = engine.config.inbox;
  // 82 CJK characters: 246 bytes, 250 with `.csv` — no room for `.reason.txt`.
  const cjk = `${'東'.repeat(82)}.csv`;
  expect(bytes(cjk)).toBe(250);
  writeFileSync(join(inbox, cjk), '');
  // 254 bytes, its name already in done/: no room for `-1`.
  const long = `${'n'.repeat(250)}.csv`;
  mkdirSync(join(inbox, 'done'), { recursive: true });
  writeFileSync(join(inbox, 'done', long), 'an earlier file of that name');
  writeCboeCsv(join(inbox, long), { seed: 70, underlying: 'LNG', spot: 90 });
  await until(
    () => readdirSync(join(inbox, 'failed')).length === 2,
    'the empty file failed, its note beside it',
  );
  const failed = readdirSync(join(inbox, 'failed')).sort();
  const [file, note] = failed as [string, string];
  expect(note).toBe(`${file}.reason.txt`);
  expect(bytes(note)).toBeLessThanOrEqual(255);
  // Shortened at a character's end, its extension kept.
  expect(file).toBe(`${'東'.repeat(80)}.csv`);
  const text = readFileSync(join(inbox, 'failed', note), 'utf8');
  expect(text).toMatch(/^EMPTY_FILE: /);
  expect(text).toContain(`file: ${file}\n`);
  expect(text).toContain(`dropped_as: ${cjk}\n`);
  expect((await jobsOf(engine)).find((j) => j.status === 'failed')?.file).toBe(
    join(inbox, 'failed', file),
  );
  await until(
    async () => (await jobsOf(engine!)).some((j) => j.status === 'completed'),
    'the long one completed',
  );
  const moved = `${'n'.repeat(249)}-1.csv`;
  await until(() => existsSync(join(inbox, 'done', moved)), 'moved into done/');
  expect(readdirSync(join(inbox, 'done')).sort()).toEqual([moved, long].sort());
  expect(readFileSync(join(inbox, 'done', long), 'utf8')).toBe('an earlier file of that name');
  expect(readdirSync(join(inbox, 'processing'))).toEqual([]);
  expect((await jobsOf(engine)).find((j) => j.status === 'completed')?.file).toBe(
    join(inbox, 'done', moved),
  );
}, 120_000);

it('says a file whose job ended that cannot be moved out of processing/', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'gex-inbox-names-'));
  engine = await engineIn(dir, { watchInbox: true });
  const inbox = engine.config.inbox;
  // A file where its folder in done/ should be: the move cannot be done.
  mkdirSync(join(inbox, 'done'), { recursive: true });
  writeFileSync(join(inbox, 'done', 'batch'), 'not a folder');
  mkdirSync(join(inbox, 'batch'));
  writeCboeCsv(join(inbox, 'batch', 'a.csv'), { seed: 80, underlying: 'BAT', spot: 30 });
  await until(async () => (await statusOf(engine!)).problem !== null, 'a problem said');
  const status = await statusOf(engine);
  expect(status.problem).toBe(
    `${join('batch', 'a.csv')} in ${join(inbox, 'processing')} could not be moved to done/ once its job ended (a file lies where a folder is needed); its job names it where it lies. It is tried again at the next start; move it yourself meanwhile if need be.`,
  );
  expect(status.counts.processing).toBe(1);
  expect((await jobsOf(engine)).map((j) => [j.status, j.file])).toEqual([
    ['completed', join(inbox, 'processing', 'batch', 'a.csv')],
  ]);
}, 120_000);

it('makes one source of two folders whose names differ only in how their letters are encoded', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'gex-inbox-names-'));
  engine = await engineIn(dir, { watchInbox: true });
  const inbox = engine.config.inbox;
  const composed = 'Z\u00fcrich';
  const decomposed = 'Zu\u0308rich';
  for (const [i, folder] of [composed, decomposed].entries()) {
    mkdirSync(join(inbox, folder));
    writeCboeCsv(join(inbox, folder, 'x.csv'), { seed: 90 + i, underlying: 'ZRH', spot: 10 + i });
  }
  expect(readdirSync(inbox).filter((f) => f.startsWith('Z'))).toHaveLength(2);
  await until(
    async () => (await jobsOf(engine!)).filter((j) => j.status === 'completed').length === 2,
    'both files completed',
  );
  const listed = await engine.handlers['sources:list']({});
  if (!listed.ok) throw new Error(listed.error.message);
  expect(listed.value.map((s) => [s.id, s.completed])).toEqual([[`inbox/${composed}`, 2]]);
  // `gex-desk sources` lines up a decomposed or a wide name as any other.
  const lines = table(
    ['source', 'completed'],
    [
      [`inbox/${decomposed}`, 1],
      ['inbox/東京', 2],
      ['inbox/acme', 3],
    ],
  ).split('\n');
  expect(lines).toEqual([
    'source        completed',
    `inbox/${decomposed}          1`,
    'inbox/東京            2',
    'inbox/acme            3',
  ]);
}, 120_000);

it('says, without the app, the files dropped too deep as the app says them', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'gex-inbox-names-'));
  engine = await engineIn(dir);
  const inbox = engine.config.inbox;
  const eight = join(inbox, 'd1', 'd2', 'd3', 'd4', 'd5', 'd6', 'd7', 'd8');
  mkdirSync(join(eight, 'd9'), { recursive: true });
  writeFileSync(join(eight, 'ok.csv'), 'x');
  writeFileSync(join(eight, 'd9', 'deep.csv'), 'x');
  const status = await statusOf(engine);
  expect(status.watching).toBe(false);
  expect(status.problem).toBe(
    `1 file lies more than 8 folders deep in the inbox ${inbox} (in ${join(eight, 'd9')}) and will not be taken: the inbox looks 8 folders deep at most. Move them up into a shallower folder.`,
  );
  expect(status.counts.waiting).toBe(1);
}, 120_000);
