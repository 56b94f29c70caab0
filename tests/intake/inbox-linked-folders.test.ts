// The inbox's own folders as they lie on disk (stop 44/45 notes). A failed/ that was a
// symbolic link to a large folder was walked (10 folders deep) at every inbox status, its
// files counted as failed; a processing/ so linked had its target's files submitted and
// moved into done/. A link in place of processing/, done/ or failed/ is now never followed:
// it is said as the inbox's problem, nothing under it is counted, and nothing is taken until
// a folder is there. And a file dropped into done/ by hand was counted as done although no
// job took it: done/ counts only the files its jobs name (those GEX Desk moved there), with
// the engine and with `gex-desk inbox` alone. The real engine watching real folders.
import {
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { InboxStatus } from '../../shared/api.ts';
import { writeCboeCsv } from '../fixtures/option-chains.ts';
import { runCli } from '../cli/run-cli.ts';
import { engineIn } from '../desktop/engine.ts';
import { jobsOf, statusOf, until } from './inbox-engine.ts';
import type { Engine } from '../../electron/engine/engine.ts';

let engine: Engine | null = null;
afterEach(async () => {
  await engine?.shutdown(5000);
  engine = null;
});

/** A folder of `n` files in each of three nested folders, as an archive might be. */
function largeFolder(root: string, n: number): string {
  const big = join(root, 'archive');
  for (const sub of ['', 'a', join('a', 'b'), join('a', 'b', 'c')]) {
    mkdirSync(join(big, sub), { recursive: true });
    for (let i = 0; i < n; i++) writeFileSync(join(big, sub, `f${i}.csv`), 'x');
  }
  return big;
}

const linkedWords = (inbox: string, sub: string, to: string): string =>
  `${join(inbox, sub)} is a symbolic link (to ${to}), not a folder: GEX Desk does not follow it, so nothing under it is counted, taken or moved there. Move the link away (a folder is made in its place) or put a folder there; GEX Desk moves each file it takes into the inbox's processing/, then done/ or failed/ folder, and takes files dropped in ${inbox} once each is a folder of ${inbox}'s own.`;

it.skipIf(process.platform === 'win32')(
  'a failed/ linked to a large folder is said, not walked or counted; nothing is taken until a folder is there',
  async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gex-inbox-link-'));
    const inbox = join(dir, 'inbox');
    mkdirSync(inbox);
    const big = largeFolder(dir, 25);
    symlinkSync(big, join(inbox, 'failed'));
    writeCboeCsv(join(inbox, 'chain.csv'), { seed: 1, underlying: 'AAA', spot: 10 });
    engine = await engineIn(dir, { watchInbox: true });
    const e = engine;
    // Counted from the first status on, the link said or not yet (was 100: its files walked).
    expect((await statusOf(e)).counts.failed).toBe(0);
    await until(async () => (await statusOf(e)).problem !== null, 'the link said');
    const s = await statusOf(e);
    expect(s.problem).toBe(linkedWords(inbox, 'failed', big));
    expect(s.takes).toBe(false);
    expect(s.counts).toEqual({ waiting: 1, processing: 0, done: 0, failed: 0 });
    expect(s.refused.count).toBe(0);
    // Nothing taken, nothing moved into what it leads to.
    expect(await jobsOf(e)).toEqual([]);
    expect(existsSync(join(inbox, 'chain.csv'))).toBe(true);
    expect(readdirSync(big).sort()).toEqual(
      ['a', ...[...Array(25).keys()].map((i) => `f${i}.csv`)].sort(),
    );
    // The link moved away: a folder is made in its place and the file is taken.
    rmSync(join(inbox, 'failed'));
    await until(async () => (await statusOf(e)).counts.done === 1, 'the file taken');
    expect((await statusOf(e)).problem).toBeNull();
    expect(lstatSync(join(inbox, 'failed')).isDirectory()).toBe(true);
  },
);

it.skipIf(process.platform === 'win32')(
  '`gex-desk inbox` alone says a linked failed/ as an engine would, its files not counted',
  async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gex-inbox-link-'));
    const inbox = join(dir, 'inbox');
    mkdirSync(join(inbox, 'processing'), { recursive: true });
    mkdirSync(join(inbox, 'done'));
    const big = largeFolder(dir, 25);
    symlinkSync(big, join(inbox, 'failed'));
    const shown = await runCli(['inbox', '--json', '--db', join(dir, 'gex.duckdb')], {
      env: { GEX_DESK_INBOX: inbox },
    });
    expect(shown.code, shown.stderr).toBe(0);
    const s = InboxStatus.parse(shown.lines[0]);
    expect(s.problem).toBe(linkedWords(inbox, 'failed', big));
    expect(s.takes).toBe(false);
    expect(s.counts.failed).toBe(0);
  },
);

it.skipIf(process.platform === 'win32')(
  "a processing/ linked to a folder: its target's files are neither submitted nor moved",
  async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gex-inbox-link-'));
    const inbox = join(dir, 'inbox');
    mkdirSync(inbox);
    const elsewhere = join(dir, 'elsewhere');
    mkdirSync(elsewhere);
    writeCboeCsv(join(elsewhere, 'theirs.csv'), { seed: 2, underlying: 'BBB', spot: 20 });
    symlinkSync(elsewhere, join(inbox, 'processing'));
    engine = await engineIn(dir, { watchInbox: true });
    const e = engine;
    // Either the link said, or (as before) its file submitted: whichever comes first.
    await until(
      async () => (await statusOf(e)).problem !== null || (await jobsOf(e)).length > 0,
      'the link said',
    );
    const s = await statusOf(e);
    expect(s.problem).toBe(linkedWords(inbox, 'processing', elsewhere));
    expect(s.counts.processing).toBe(0);
    expect(await jobsOf(e)).toEqual([]);
    expect(readdirSync(elsewhere)).toEqual(['theirs.csv']);
    expect(readdirSync(join(inbox, 'done'))).toEqual([]);
  },
);

it('counts in done/ only the files GEX Desk moved there, with the engine and with `gex-desk inbox` alone', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'gex-inbox-done-'));
  const inbox = join(dir, 'inbox');
  mkdirSync(join(inbox, 'done', 'batch'), { recursive: true });
  // Dropped into done/ by hand (a wrong folder): never taken.
  writeCboeCsv(join(inbox, 'done', 'by-hand.csv'), { seed: 3, underlying: 'CCC', spot: 30 });
  writeCboeCsv(join(inbox, 'done', 'batch', 'deep.csv'), { seed: 4, underlying: 'DDD', spot: 40 });
  engine = await engineIn(dir, { watchInbox: true });
  const e = engine;
  expect((await statusOf(e)).counts.done).toBe(0);
  writeCboeCsv(join(inbox, 'chain.csv'), { seed: 1, underlying: 'AAA', spot: 10 });
  await until(
    async () => existsSync(join(inbox, 'done', 'chain.csv')) && (await statusOf(e)).counts.done > 0,
    'the file taken and moved to done/',
  );
  expect((await statusOf(e)).counts).toEqual({ waiting: 0, processing: 0, done: 1, failed: 0 });
  expect((await jobsOf(e)).map((j) => j.file)).toEqual([join(inbox, 'done', 'chain.csv')]);
  await e.shutdown(5000);
  engine = null;
  // No engine: the one-shot command reads the same jobs.
  const shown = await runCli(['inbox', '--json', '--db', join(dir, 'gex.duckdb')], {
    env: { GEX_DESK_INBOX: inbox },
  });
  expect(shown.code, shown.stderr).toBe(0);
  expect(InboxStatus.parse(shown.lines[0]).counts).toEqual({
    waiting: 0,
    processing: 0,
    done: 1,
    failed: 0,
  });
});
