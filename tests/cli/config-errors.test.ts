// The configuration as the real `gex-desk` command meets it: a path flag given empty (a
// script's unset variable), a bad GEX_DESK_* variable, a config file named and missing,
// a database path that is a folder said with where it came from, and `inbox set` while
// GEX_DESK_INBOX overrides what it keeps.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeCboeCsv } from '../fixtures/option-chains.ts';
import { runCli } from './run-cli.ts';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
const temp = (name: string) => {
  const d = mkdtempSync(join(tmpdir(), `gex-${name}-`));
  dirs.push(d);
  return d;
};

describe('a path flag given empty', () => {
  it('is a usage error naming the flag (exit 2), and nothing is written in the current folder', async () => {
    const cwd = temp('cwd');
    const home = temp('home');
    writeCboeCsv(join(cwd, 'chain.csv'), { seed: 3, expiries: 2, strikesPerExpiry: 8 });
    const runs: [string[], string][] = [
      [['ingest', 'chain.csv', '--data-dir', ''], '--data-dir needs a folder, not ""'],
      [['ingest', 'chain.csv', '--data-dir=  '], '--data-dir needs a folder, not "  "'],
      [['--data-dir', '', 'snapshots'], '--data-dir needs a folder, not ""'],
      [['levels', '--attach', ''], '--attach needs a folder, not ""'],
      [['history', 'SPX', '--attach', cwd, '--attach', ''], '--attach needs a folder, not ""'],
      [['jobs', '--db', ''], '--db needs a database file, not ""'],
      [['ingest', 'chain.csv', '--manifest', ''], '--manifest needs a file, not ""'],
      [['export', 'x', '--out', ''], '--out needs a file, not ""'],
    ];
    for (const [args, said] of runs) {
      const r = await runCli(args, { cwd, home });
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(2);
      expect(r.stderr.split('\n')[0]).toBe(`gex-desk: ${said}`);
    }
    expect(readdirSync(cwd)).toEqual(['chain.csv']);
    expect(readdirSync(home)).toEqual([]);
  }, 60_000);
});

describe('the GEX_DESK_* variables', () => {
  it('refuses a timeout that is not a number, naming the variable (it was silently the default)', async () => {
    const home = temp('home');
    for (const name of ['GEX_DESK_LOCK_WAIT_MS', 'GEX_DESK_CONNECT_TIMEOUT_MS']) {
      const r = await runCli(['jobs'], { home, env: { [name]: 'abc' } });
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(new RegExp(`^VALIDATION: ${name} must be a whole number from`));
    }
    // Empty is unset, as for every GEX_DESK_* variable.
    const empty = await runCli(['jobs', '--json'], {
      home,
      env: { GEX_DESK_LOCK_WAIT_MS: '', GEX_DESK_CONNECT_TIMEOUT_MS: '', GEX_DESK_CONFIG: '' },
    });
    expect(empty.code, empty.stderr).toBe(0);
  }, 60_000);

  it('refuses a GEX_DESK_CONFIG that names no file, instead of computing under the defaults', async () => {
    const home = temp('home');
    const named = join(home, 'desk.json');
    const r = await runCli(['jobs'], { home, env: { GEX_DESK_CONFIG: named } });
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe(
      `VALIDATION: GEX_DESK_CONFIG names the config file ${named}, which does not exist: create it, or unset GEX_DESK_CONFIG to use the per-user file ${join(home, 'config.json')}`,
    );
    expect(existsSync(join(home, 'gex-desk.duckdb'))).toBe(false);
  }, 30_000);

  // The call is wrong, not the machine: exit 2, as a --db naming nothing is (it was the
  // store's IO refusal, exit 3, which a scheduler reads as "try again later").
  it('says where a database path that is a folder came from, and the default file name: a usage error, exit 2', async () => {
    const home = temp('home');
    const folder = temp('folder');
    const usage = (text: string) => `gex-desk: ${text}\nRun "gex-desk --help" for usage.`;
    const byEnv = await runCli(['jobs'], { home, env: { GEX_DESK_DB: folder } });
    expect(byEnv.code).toBe(2);
    expect(byEnv.stderr.trim()).toBe(
      usage(
        `The database ${folder} (GEX_DESK_DB) is a folder: name the database file in it (${join(folder, 'gex-desk.duckdb')})`,
      ),
    );
    const chain = join(home, 'chain.csv');
    writeCboeCsv(chain, { seed: 4, expiries: 1, strikesPerExpiry: 6 });
    const other = join(home, 'other.csv');
    writeCboeCsv(other, { seed: 5, expiries: 1, strikesPerExpiry: 6 });
    const before = readdirSync(home).sort();
    // A command that reads, one that writes, and serve, which starts an engine of its own.
    for (const command of [['jobs'], ['ingest', other], ['serve', '--port', '0']]) {
      const byFlag = await runCli([...command, '--db', folder], { home });
      expect(byFlag.code, command.join(' ')).toBe(2);
      expect(byFlag.stderr.trim()).toBe(
        usage(
          `The database ${folder} (--db) is a folder: name the database file in it (${join(folder, 'gex-desk.duckdb')})`,
        ),
      );
      const aChain = await runCli([...command, '--db', chain], { home });
      expect(aChain.code, command.join(' ')).toBe(2);
      expect(aChain.stderr.trim()).toBe(
        usage(
          `The database ${chain} (--db) is not a DuckDB database file: --db names the database; a chain is given to gex-desk ingest (nothing was opened or changed)`,
        ),
      );
    }
    // Nothing made in either: no database, no data folder.
    expect(readdirSync(folder)).toEqual([]);
    expect(readdirSync(home).sort()).toEqual(before);
  }, 60_000);

  it('warns on `inbox set` that GEX_DESK_INBOX overrides the folder it keeps', async () => {
    const home = temp('home');
    const [a, b] = [join(home, 'a'), join(home, 'b')];
    mkdirSync(b);
    const r = await runCli(['inbox', 'set', b], { home, env: { GEX_DESK_INBOX: a } });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`from the config file ${join(home, 'config.json')}`);
    expect(r.stderr.trim()).toBe(
      `gex-desk: GEX_DESK_INBOX=${a} is set, and it overrides ${join(home, 'config.json')}: commands and engines started with it set watch ${a}, not ${b}. Unset it to use the folder chosen.`,
    );
    const quiet = await runCli(['inbox', 'set', b], { home });
    expect(quiet.stderr).toBe('');
  }, 30_000);
});
