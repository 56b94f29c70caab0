// What lies in the inbox that is neither a regular file nor a folder of files dropped in.
// A FIFO (a pipe; a socket or a device alike) was ignored for ever, counted nowhere and said
// nowhere (QA rc F4): it is now refused at the door as a symbolic link is, moved to failed/
// (a rename: it is never opened) with its NOT_A_FILE note, and counted among the inbox's
// refusals. And a file lying where the inbox's failed/ should be (QA sec F13) made the engine
// say the inbox itself "is not a folder", and was counted as a file waiting: the message now
// names that file and says to move it away, and it is not counted. The real engine watching
// a real folder.
import {
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { writeCboeCsv } from '../fixtures/option-chains.ts';
import { engineIn } from '../desktop/engine.ts';
import { statusOf, until } from './inbox-engine.ts';
import type { Engine } from '../../electron/engine/engine.ts';

let engine: Engine | null = null;
afterEach(async () => {
  await engine?.shutdown(5000);
  engine = null;
});

it.skipIf(process.platform === 'win32')(
  'refuses a FIFO at the door: moved to failed/ unopened, with its note, counted among the refusals',
  async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gex-inbox-odd-'));
    engine = await engineIn(dir, { watchInbox: true });
    const e = engine;
    const inbox = e.config.inbox;
    // Opened, the pipe would block the engine until a writer came: nobody writes to it.
    execFileSync('mkfifo', [join(inbox, 'pipe.csv')]);
    mkdirSync(join(inbox, 'acme'));
    execFileSync('mkfifo', [join(inbox, 'acme', 'deep.csv')]);
    writeCboeCsv(join(inbox, 'chain.csv'), { seed: 1, underlying: 'AAA', spot: 10 });
    await until(async () => (await statusOf(e)).refused.count === 2, 'the pipes refused');
    await until(async () => (await statusOf(e)).counts.done === 1, 'the file beside them taken');
    expect(existsSync(join(inbox, 'pipe.csv'))).toBe(false);
    expect(lstatSync(join(inbox, 'failed', 'pipe.csv')).isFIFO()).toBe(true);
    expect(lstatSync(join(inbox, 'failed', 'acme', 'deep.csv')).isFIFO()).toBe(true);
    expect(readFileSync(join(inbox, 'failed', 'pipe.csv.reason.txt'), 'utf8')).toBe(
      'NOT_A_FILE: pipe.csv is not a regular file (a device, a pipe or a socket); the inbox takes only regular files\nfile: pipe.csv\n',
    );
    const s = await statusOf(e);
    expect(s.counts).toMatchObject({ waiting: 0, failed: 2, done: 1 });
    expect(s.refused.recent.map((r) => r.file).sort()).toEqual([
      join('acme', 'deep.csv'),
      'pipe.csv',
    ]);
    expect(s.problem).toBeNull();
  },
);

it('names a file lying where failed/ should be, says to move it away, and does not count it as waiting', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'gex-inbox-odd-'));
  const inbox = join(dir, 'inbox');
  mkdirSync(join(inbox, 'done'), { recursive: true });
  writeFileSync(join(inbox, 'failed'), '#!/bin/sh\necho ran\n', { mode: 0o755 });
  engine = await engineIn(dir, { watchInbox: true });
  const e = engine;
  const failed = join(inbox, 'failed');
  const s = await statusOf(e);
  expect(s.problem).toBe(
    `${failed} is a file, not a folder: move it away. GEX Desk moves each file it takes into the inbox's processing/, then done/ or failed/ folder, and makes them in ${inbox} once nothing lies there; files dropped there are taken then.`,
  );
  expect(s.takes).toBe(false);
  expect(s.counts.waiting).toBe(0);
  // Moved away: the folder is made, and the inbox takes files again.
  rmSync(failed);
  await until(async () => (await statusOf(e)).problem === null, 'the problem gone');
  expect(lstatSync(failed).isDirectory()).toBe(true);
  expect((await statusOf(e)).takes).toBe(true);
});
