// `gex-desk inbox`: on its own (no engine watches the folder) and beside a running engine
// whose inbox folder is gone and whose database has failed: the command says what the
// window says — the folder's problem, and the files held for the machine's sake.
import { spawn, spawnSync } from 'node:child_process';
import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
  existsSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { InboxStatus } from '../../shared/api.ts';
import { serveLocal } from '../../electron/host/local/endpoint.ts';
import { cboeCsvText, makeChain } from '../fixtures/option-chains.ts';
import { startTestEngine } from '../desktop/engine.ts';
import { cliHome, runCli } from './run-cli.ts';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('gex-desk inbox', () => {
  it('says which failed files have a job and which the inbox refused, with their reasons', async () => {
    const { dir, args } = cliHome();
    dirs.push(dir);
    const env = { GEX_DESK_CONFIG: join(dir, 'config.json') };
    writeFileSync(env.GEX_DESK_CONFIG, '{}\n');
    const inbox = join(dir, 'in');
    const set = await runCli(['inbox', 'set', inbox, ...args], { env });
    expect(set.code, set.stderr).toBe(0);
    // As the inbox leaves them: a job's failed file, and one refused at its door (no job).
    const failed = join(inbox, 'failed');
    writeFileSync(join(failed, 'empty.csv'), '');
    writeFileSync(
      join(failed, 'empty.csv.reason.txt'),
      'EMPTY_FILE: empty.csv is empty\njob: 0b5e\nfile: empty.csv\n',
    );
    writeFileSync(join(failed, 'link.csv'), 'x');
    writeFileSync(
      join(failed, 'link.csv.reason.txt'),
      'NOT_A_FILE: link.csv is a symbolic link; the inbox takes only regular files (copy the file itself in)\nfile: link.csv\n',
    );
    const shown = await runCli(['inbox', ...args], { env });
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.stdout).toContain(`  failed     2  ${failed}  (1 job, 1 refused by the inbox)\n`);
    expect(shown.stdout).toContain(
      '    refused link.csv: NOT_A_FILE: link.csv is a symbolic link; the inbox takes only regular files (copy the file itself in)\n',
    );
    expect(shown.stdout).not.toContain('older refused');
    // More than the newest 20: the rest are counted, not left unsaid (QA so F10).
    for (let i = 0; i < 21; i++) {
      writeFileSync(join(failed, `link-${i}.csv`), 'x');
      writeFileSync(
        join(failed, `link-${i}.csv.reason.txt`),
        `NOT_A_FILE: link-${i}.csv is a symbolic link\nfile: link-${i}.csv\n`,
      );
    }
    const many = await runCli(['inbox', ...args], { env });
    expect(many.stdout).toContain(`(1 job, 22 refused by the inbox)`);
    expect(many.stdout.match(/^ {4}refused /gm)).toHaveLength(20);
    expect(many.stdout).toContain(
      `    … and 2 older refused (the newest 20 listed; each has its note beside it in ${failed})\n`,
    );
  });

  it('alone: the folders and their counts, not watched; inbox set keeps another folder', async () => {
    const { dir, args } = cliHome();
    dirs.push(dir);
    const env = { GEX_DESK_CONFIG: join(dir, 'config.json') };
    // A config file named by GEX_DESK_CONFIG must be there (an empty one is no settings).
    writeFileSync(env.GEX_DESK_CONFIG, '{}\n');
    const shown = await runCli(['inbox', ...args], { env });
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.stdout).toMatch(/not watched: no engine runs on this database/);
    expect(shown.stdout).not.toMatch(/held/);
    const next = join(dir, 'elsewhere');
    const set = await runCli(['inbox', 'set', next, '--json', ...args], { env });
    expect(set.code, set.stderr).toBe(0);
    const status = InboxStatus.parse(set.lines[0]);
    expect(status).toMatchObject({ dir: next, held: null, problem: null, watching: false });
    expect(JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'))).toMatchObject({
      inbox: next,
    });
    // A script's empty variable (inbox set "$DIR") is not the current folder, whose every
    // file the inbox would take and move.
    const blank = await runCli(['inbox', 'set', '', ...args], { env });
    expect(blank.code).toBe(2);
    expect(blank.stderr).toMatch(/inbox set needs a FOLDER, not ""/);
    // A folder that already holds files: refused, and said how to take them.
    const full = join(dir, 'full');
    mkdirSync(join(full, 'sub'), { recursive: true });
    for (const f of ['a.csv', 'b.csv', join('sub', 'c.csv'), 'd.csv', '.hidden'])
      writeFileSync(join(full, f), 'x');
    const refused = await runCli(['inbox', 'set', full, ...args], { env });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe(
      `CONFLICT: ${full} already holds 4 files (a.csv, b.csv, d.csv, …): as the inbox it would ingest each and move it into its done/ or failed/ folder. Choose an empty folder, or confirm that it should take them. --take-existing takes them.\n`,
    );
    expect(JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'))).toMatchObject({
      inbox: next,
    });
    const taken = await runCli(['inbox', 'set', full, '--take-existing', '--json', ...args], {
      env,
    });
    expect(taken.code, taken.stderr).toBe(0);
    expect(taken.lines[0]).toMatchObject({ dir: full, counts: { waiting: 4 }, left_behind: null });
    // Back to the folder before, which took none of them: they are left in this one, and said.
    writeFileSync(join(next, 'late.csv'), 'x');
    const back = await runCli(['inbox', 'set', next, '--take-existing', ...args], { env });
    expect(back.code, back.stderr).toBe(0);
    expect(back.stdout).toContain(
      `\n  left       4  in the previous inbox ${full}: not taken before the change, and not taken now (move them into this folder to ingest them)\n`,
    );
  });

  it('inbox set: the files the old inbox said were too deep, and its links, are left behind and said', async () => {
    const { dir, args } = cliHome();
    dirs.push(dir);
    const env = { GEX_DESK_CONFIG: join(dir, 'config.json') };
    writeFileSync(env.GEX_DESK_CONFIG, '{}\n');
    const old = join(dir, 'old');
    expect((await runCli(['inbox', 'set', old, ...args], { env })).code).toBe(0);
    // Nine folders deep: the inbox looks eight deep, and says it will not take it.
    const deep = join('e1', 'e2', 'e3', 'e4', 'e5', 'e6', 'e7', 'e8', 'e9');
    mkdirSync(join(old, deep), { recursive: true });
    writeFileSync(join(old, deep, 'deep.csv'), 'x');
    const before = await runCli(['inbox', ...args], { env });
    expect(before.stdout).toContain('1 file lies more than 8 folders deep');
    // Only the deep file: before, `left` counted none of it and said nothing.
    const next = join(dir, 'next');
    const moved = await runCli(['inbox', 'set', next, '--json', ...args], { env });
    expect(moved.code, moved.stderr).toBe(0);
    expect(InboxStatus.parse(moved.lines[0]).left_behind).toEqual({
      dir: old,
      count: 1,
      too_deep: { count: 1, first: deep },
    });
    // Back, then away again with a file waiting and a symbolic link there too: all counted.
    expect((await runCli(['inbox', 'set', old, ...args], { env })).code).toBe(0);
    writeFileSync(join(old, 'late.csv'), 'x');
    symlinkSync(join(old, 'late.csv'), join(old, 'link.csv'));
    const away = await runCli(['inbox', 'set', next, ...args], { env });
    expect(away.code, away.stderr).toBe(0);
    expect(away.stdout).toContain(
      `\n  left       3  in the previous inbox ${old}: not taken before the change, and not taken now (1 of them lies more than 8 folders deep, in ${join(old, deep)}, too deep for any inbox to take: move it up into a shallower folder; 1 of them is a symbolic link, which no inbox takes; move them into this folder to ingest them)\n`,
    );
  });

  it('alone: says why an engine would not watch a folder set by hand, as the app says it (a file where failed/ should be named)', async () => {
    const { dir, args } = cliHome();
    dirs.push(dir);
    const config = join(dir, 'config.json');
    const env = { GEX_DESK_CONFIG: config };
    const file = join(dir, 'a-file');
    writeFileSync(file, 'x');
    const shared = join(dir, 'shared');
    mkdirSync(join(shared, 'done'), { recursive: true });
    writeFileSync(join(shared, 'failed'), '#!/bin/sh\necho ran\n', { mode: 0o755 });
    for (const [inbox, problem] of [
      [
        join(dir, 'data'),
        `${join(dir, 'data')} cannot be the inbox: it holds GEX Desk's own data folder (exports and staged files), ${join(dir, 'data')}, whose files it would take as files dropped in. Choose a folder of its own. An engine takes nothing from it until another folder is chosen.`,
      ],
      [
        file,
        `The inbox ${file} is not a folder; files dropped there are taken once it can be read again.`,
      ],
      // A file where its failed/ should be (QA sec F13): that file named, not counted waiting.
      [
        shared,
        `${join(shared, 'failed')} is a file, not a folder: move it away. GEX Desk moves each file it takes into the inbox's processing/, then done/ or failed/ folder, and makes them in ${shared} once nothing lies there; files dropped there are taken then.`,
      ],
      [join(dir, 'not-made-yet'), null],
    ] as const) {
      writeFileSync(config, JSON.stringify({ inbox }));
      const r = await runCli(['inbox', '--json', ...args], { env });
      expect(r.code, r.stderr).toBe(0);
      expect(InboxStatus.parse(r.lines[0]).problem).toBe(problem);
      expect(InboxStatus.parse(r.lines[0]).counts.waiting).toBe(0);
      if (problem) {
        const text = await runCli(['inbox', ...args], { env });
        expect(text.stdout).toContain(`\n  ${problem}\n`);
        expect(text.stdout).toMatch(/waiting +\d+ +\(dropped in, not taken: see above\)/);
        expect(InboxStatus.parse(r.lines[0]).takes).toBe(false);
      }
    }
  });

  it("inbox set refuses the per-user folder's engines/ and run/ (discovery files, sockets), and a config file's inbox there is not watched", async () => {
    const { dir, args } = cliHome();
    dirs.push(dir);
    const home = join(dir, 'home');
    const config = join(dir, 'config.json');
    const env = { GEX_DESK_CONFIG: config };
    writeFileSync(config, '{}\n');
    const engines = join(home, 'engines');
    const run = join(home, 'run');
    const discovery = "folder of discovery files (the running engines' tokens)";
    const sockets = 'folder of local endpoints (sockets)';
    for (const [inbox, why] of [
      [engines, `it holds GEX Desk's own ${discovery}, ${engines}`],
      [join(engines, 'sub'), `it lies in GEX Desk's own ${discovery}, ${engines}`],
      [run, `it holds GEX Desk's own ${sockets}, ${run}`],
      [home, `it holds GEX Desk's own ${discovery}, ${engines}`],
    ] as const) {
      // Taking what it holds is no answer either.
      const r = await runCli(['inbox', 'set', inbox, '--take-existing', ...args], { env, home });
      expect(r.code, r.stdout).not.toBe(0);
      expect(r.stderr).toContain(
        `${inbox} cannot be the inbox: ${why}, whose files it would take as files dropped in. Choose a folder of its own.`,
      );
    }
    expect(readFileSync(config, 'utf8')).toBe('{}\n');
    // Written by hand into the config file: said, and not watched.
    writeFileSync(config, JSON.stringify({ inbox: engines }));
    const r = await runCli(['inbox', '--json', ...args], { env, home });
    expect(r.code, r.stderr).toBe(0);
    const status = InboxStatus.parse(r.lines[0]);
    expect(status.problem).toBe(
      `${engines} cannot be the inbox: it holds GEX Desk's own ${discovery}, ${engines}, whose files it would take as files dropped in. Choose a folder of its own. An engine takes nothing from it until another folder is chosen.`,
    );
    expect(status.takes).toBe(false);
  });

  it('alone: files too deep are said, and the files waiting beside them are still taken once an engine runs', async () => {
    const { dir, args } = cliHome();
    dirs.push(dir);
    const config = join(dir, 'config.json');
    const env = { GEX_DESK_CONFIG: config };
    const inbox = join(dir, 'in');
    const deep = join(inbox, 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i');
    mkdirSync(deep, { recursive: true });
    writeFileSync(join(deep, 'deep.csv'), 'x');
    for (const name of ['a.csv', 'b.csv', 'c.csv']) writeFileSync(join(inbox, name), 'x');
    writeFileSync(config, JSON.stringify({ inbox }));
    const json = await runCli(['inbox', '--json', ...args], { env });
    const status = InboxStatus.parse(json.lines[0]);
    expect(status.problem).toContain('1 file lies more than 8 folders deep');
    expect(status.takes).toBe(true);
    const text = await runCli(['inbox', ...args], { env });
    expect(text.stdout).toContain('1 file lies more than 8 folders deep');
    // Before, any problem made every waiting file "not taken: see above".
    expect(text.stdout).toMatch(
      /\n {2}waiting {4}3 {2}\(dropped in, taken once an engine runs\)\n/,
    );
  });

  it('beside a running engine: why its folder cannot be read, and the files it holds', async () => {
    const te = await startTestEngine({ watchInbox: true });
    const home = mkdtempSync(join(tmpdir(), 'gex-home-'));
    dirs.push(home);
    const local = await serveLocal(te.engine, { home, host: 'test' });
    const inbox = te.engine.config.inbox;
    const args = ['--db', te.engine.config.dbPath];
    const status = async () => {
      const r = await te.engine.handlers['inbox:get']({});
      if (!r.ok) throw new Error(r.error.message);
      return r.value;
    };
    try {
      renameSync(inbox, `${inbox}-away`);
      await expect.poll(async () => (await status()).problem, { timeout: 10_000 }).not.toBeNull();
      const away = await runCli(['inbox', ...args], { home });
      expect(away.code, away.stderr).toBe(0);
      expect(away.stdout).toContain(
        `\n  The inbox ${inbox} does not exist (a network share disconnected, or the folder moved or deleted); files dropped there are taken once it can be read again.\n`,
      );
      expect(away.stdout).toMatch(/\n {2}waiting {4}0 {2}\(dropped in, not taken: see above\)\n/);
      renameSync(`${inbox}-away`, inbox);
      // A file too deep: said, and the others are still taken.
      const deep = join(inbox, 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i');
      mkdirSync(deep, { recursive: true });
      writeFileSync(join(deep, 'deep.csv'), 'x');
      await expect
        .poll(async () => (await status()).problem ?? '', { timeout: 10_000 })
        .toContain('more than 8 folders deep');
      expect((await status()).takes).toBe(true);
      const deepText = await runCli(['inbox', ...args], { home });
      expect(deepText.stdout).toMatch(
        /\n {2}waiting {4}0 {2}\(dropped in, taken once complete\)\n/,
      );

      // The database fails (DuckDB's words for a checkpoint that could not write): a file
      // dropped meanwhile is held in the inbox, not failed.
      await te.engine.store
        .transaction(async () => {
          throw new Error(
            'FATAL Error: Failed to create checkpoint because of error: Could not write file "gex.duckdb": No space left on device',
          );
        })
        .catch(() => undefined);
      writeFileSync(
        join(inbox, 'spx.csv'),
        cboeCsvText(makeChain({ seed: 3, expiries: 2, strikesPerExpiry: 10 })),
      );
      await expect.poll(async () => (await status()).held?.count, { timeout: 10_000 }).toBe(1);
      const held = await runCli(['inbox', ...args], { home });
      expect(held.code, held.stderr).toBe(0);
      expect(held.stdout).toMatch(
        /\n {2}held {7}1 {2}\(of those waiting; tried again from \d{4}-\d\d-\d\dT[\d:.]+Z\): The database .* can no longer be written: the disk holding it is full\./,
      );
      const json = await runCli(['inbox', '--json', ...args], { home });
      expect(InboxStatus.parse(json.lines[0]).held).toMatchObject({ count: 1 });
    } finally {
      await local.close();
      await te.stop();
    }
  }, 60_000);
  it('beside a running engine: a file it may not read is said, by name, and taken once it can be read (QA mv F1)', async (ctx) => {
    // As root every file can be read: the engine runs without the capabilities that allow it
    // (setpriv), as an analyst's account runs; another account's user needs nothing.
    const NO_DAC = ['--bounding-set=-dac_override,-dac_read_search'];
    const asRoot = process.getuid?.() === 0;
    if (asRoot && spawnSync('setpriv', [...NO_DAC, 'true']).status !== 0)
      return ctx.skip('setpriv cannot drop the capabilities here');
    if (process.platform === 'win32') return ctx.skip('file modes are POSIX');
    const dir = mkdtempSync(join(tmpdir(), 'gex-noread-'));
    dirs.push(dir);
    const home = join(dir, 'home');
    const child_ = join(import.meta.dirname, '..', 'desktop', 'serving-child.ts');
    const [cmd, ...pre] = asRoot ? ['setpriv', ...NO_DAC, process.execPath] : [process.execPath];
    const child = spawn(cmd!, [...pre, child_, home, dir, '--watch-inbox'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    try {
      await new Promise<void>((resolve, reject) => {
        child.stdout.on('data', (d: Buffer) => d.toString().includes('serving') && resolve());
        child.once('exit', (code) => reject(new Error(`the serving child exited with ${code}`)));
      });
      const inbox = join(dir, 'inbox');
      const args = ['--db', join(dir, 'gex.duckdb')];
      const q1 = join(inbox, 'q1.csv');
      writeFileSync(q1, cboeCsvText(makeChain({ seed: 31, expiries: 2, strikesPerExpiry: 8 })));
      chmodSync(q1, 0o000);
      writeFileSync(
        join(inbox, 'q2.csv'),
        cboeCsvText(makeChain({ seed: 32, expiries: 2, strikesPerExpiry: 8 })),
      );
      const status = async () => {
        const r = await runCli(['inbox', '--json', ...args], { home });
        expect(r.code, r.stderr).toBe(0);
        return InboxStatus.parse(r.lines[0]);
      };
      await expect
        .poll(async () => (await status()).counts.done, { timeout: 30_000, interval: 500 })
        .toBe(1);
      await expect
        .poll(async () => (await status()).problem, { timeout: 30_000 })
        .toBe(
          `q1.csv in the inbox ${inbox} cannot be taken (permission denied: GEX Desk cannot read it): have its owner let GEX Desk read it (its permissions), or copy it in again yourself; it is taken once it can be read.`,
        );
      const said = await status();
      expect(said).toMatchObject({ takes: true, held: null, counts: { waiting: 1 } });
      const text = await runCli(['inbox', ...args], { home });
      expect(text.stdout).toContain(
        `\n  q1.csv in the inbox ${inbox} cannot be taken (permission denied: GEX Desk cannot read it)`,
      );
      // Said once in the log, not at every poll.
      const log = readFileSync(join(dir, 'data', 'logs', 'gex-desk.log'), 'utf8');
      expect(log.match(/"inbox\.read_denied"/g)).toHaveLength(1);
      // Readable again: taken, and the problem goes.
      chmodSync(q1, 0o644);
      await expect
        .poll(async () => (await status()).counts.done, { timeout: 30_000, interval: 500 })
        .toBe(2);
      expect((await status()).problem).toBeNull();
      expect(existsSync(join(inbox, 'done', 'q1.csv'))).toBe(true);
    } finally {
      child.kill('SIGKILL');
    }
  }, 120_000);
  it('beside a running engine: a sub-folder it may not read is said, by name, and its files taken once it can be read (QA day2 D8)', async (ctx) => {
    const NO_DAC = ['--bounding-set=-dac_override,-dac_read_search'];
    const asRoot = process.getuid?.() === 0;
    if (asRoot && spawnSync('setpriv', [...NO_DAC, 'true']).status !== 0)
      return ctx.skip('setpriv cannot drop the capabilities here');
    if (process.platform === 'win32') return ctx.skip('file modes are POSIX');
    const dir = mkdtempSync(join(tmpdir(), 'gex-noreaddir-'));
    dirs.push(dir);
    const home = join(dir, 'home');
    const child_ = join(import.meta.dirname, '..', 'desktop', 'serving-child.ts');
    const [cmd, ...pre] = asRoot ? ['setpriv', ...NO_DAC, process.execPath] : [process.execPath];
    const child = spawn(cmd!, [...pre, child_, home, dir, '--watch-inbox'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const inbox = join(dir, 'inbox');
    const vendorz = join(inbox, 'vendorz');
    try {
      await new Promise<void>((resolve, reject) => {
        child.stdout.on('data', (d: Buffer) => d.toString().includes('serving') && resolve());
        child.once('exit', (code) => reject(new Error(`the serving child exited with ${code}`)));
      });
      const args = ['--db', join(dir, 'gex.duckdb')];
      mkdirSync(vendorz, { recursive: true });
      writeFileSync(
        join(vendorz, 'x.csv'),
        cboeCsvText(makeChain({ seed: 33, expiries: 2, strikesPerExpiry: 8 })),
      );
      chmodSync(vendorz, 0o000);
      const status = async () => {
        const r = await runCli(['inbox', '--json', ...args], { home });
        expect(r.code, r.stderr).toBe(0);
        return InboxStatus.parse(r.lines[0]);
      };
      const said = `${vendorz}/ in the inbox cannot be read (permission denied: GEX Desk cannot read it): its files are not taken until it can be read. Have its owner let GEX Desk read it (its permissions), or copy its files in again yourself.`;
      await expect.poll(async () => (await status()).problem, { timeout: 30_000 }).toBe(said);
      expect(await status()).toMatchObject({ takes: true, held: null });
      const text = await runCli(['inbox', ...args], { home });
      expect(text.stdout).toContain(`${vendorz}/ in the inbox cannot be read`);
      // Said once in the log, not at every poll.
      const log = readFileSync(join(dir, 'data', 'logs', 'gex-desk.log'), 'utf8');
      expect(log.match(/"inbox\.read_denied"/g)).toHaveLength(1);
      // Readable again: its file is taken, and the problem goes.
      chmodSync(vendorz, 0o755);
      await expect
        .poll(async () => (await status()).counts.done, { timeout: 30_000, interval: 500 })
        .toBe(1);
      expect((await status()).problem).toBeNull();
      expect(existsSync(join(inbox, 'done', 'vendorz', 'x.csv'))).toBe(true);
    } finally {
      child.kill('SIGKILL');
      if (existsSync(vendorz)) chmodSync(vendorz, 0o755);
    }
  }, 120_000);
});
