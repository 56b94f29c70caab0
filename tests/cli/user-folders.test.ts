// Where the command keeps its files when nothing says otherwise: the per-user folders of
// the platform. A base folder variable set empty or relative (`XDG_CONFIG_HOME=`, which
// some session scripts export) counts as not set, as the XDG spec says; before, it put
// the database, the data folder and the compile cache in whatever folder the command ran
// from.
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { userDataDir } from '../../electron/engine/config.ts';
import { repoRoot } from '../pipeline/helpers.ts';
import { runCli } from './run-cli.ts';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
const tmp = (prefix: string) => {
  const d = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(d);
  return d;
};

describe('the per-user folder', () => {
  it('is the XDG config folder when it is an absolute path, else ~/.config', () => {
    const fallback = join(homedir(), '.config', 'gex-desk');
    expect(userDataDir({ XDG_CONFIG_HOME: '/srv/me/conf' }, 'linux')).toBe('/srv/me/conf/gex-desk');
    expect(userDataDir({}, 'linux')).toBe(fallback);
    expect(userDataDir({ XDG_CONFIG_HOME: '' }, 'linux')).toBe(fallback);
    expect(userDataDir({ XDG_CONFIG_HOME: 'conf' }, 'linux')).toBe(fallback);
  });

  it("is %APPDATA%'s on Windows, roaming under the home folder when it is not set", () => {
    const fallback = join(homedir(), 'AppData', 'Roaming', 'gex-desk');
    expect(userDataDir({ APPDATA: 'C:\\Users\\me\\AppData\\Roaming' }, 'win32')).toBe(
      join('C:\\Users\\me\\AppData\\Roaming', 'gex-desk'),
    );
    expect(userDataDir({ APPDATA: '' }, 'win32')).toBe(fallback);
  });

  it('GEX_DESK_HOME wins over everything', () => {
    expect(userDataDir({ GEX_DESK_HOME: '/data/gex', XDG_CONFIG_HOME: '/x' }, 'linux')).toBe(
      '/data/gex',
    );
  });
});

describe.runIf(process.platform === 'linux')('a command with the XDG variables set empty', () => {
  for (const value of ['', 'relative/dir'])
    it(`(${JSON.stringify(value)}) keeps its files under the home folder, nothing in the current one`, async () => {
      const home = tmp('gex-xdg-home-');
      const cwd = tmp('gex-xdg-cwd-');
      // A command that writes: one that only reads creates no database (api.ts, READS).
      const rules = join(repoRoot, 'rules', 'default.rules.json');
      const ran = await runCli(['rules', 'activate', rules, '--author', 'test'], {
        cwd,
        env: {
          HOME: home,
          GEX_DESK_HOME: '',
          XDG_CONFIG_HOME: value,
          XDG_CACHE_HOME: value,
          NODE_COMPILE_CACHE: '',
        },
      });
      expect(ran.code, ran.stderr).toBe(0);
      expect(readdirSync(cwd)).toEqual([]);
      expect(existsSync(join(home, '.config', 'gex-desk', 'gex-desk.duckdb'))).toBe(true);
      expect(existsSync(join(home, '.cache', 'gex-desk'))).toBe(true);
    });
});
