// Where the per-user folder is, in a module of its own: the configuration reads it, and
// makeDirs (make-dirs.ts), which every folder of ours is made with, makes it 0700 when it
// is missing — whichever command or folder happens to need it first (QA sec2 N5).
import { homedir } from 'node:os';
import { join, posix, win32 } from 'node:path';
import { envPath } from './env.ts';

export const APP_NAME = 'gex-desk';

/**
 * The per-user folder, the same one the desktop app gives Electron (`app.setPath('userData')`,
 * electron/main). A base folder set empty or relative counts as not set, as the XDG spec
 * says: otherwise `XDG_CONFIG_HOME=` (some session scripts export it empty) put the
 * database in whatever folder a command happened to run from.
 */
export function userDataDir(
  env: NodeJS.ProcessEnv = process.env,
  platform = process.platform,
): string {
  const ownHome = envPath(env, 'GEX_DESK_HOME');
  if (ownHome) return ownHome;
  if (platform === 'win32')
    return join(baseDir(env.APPDATA, platform) ?? join(homedir(), 'AppData', 'Roaming'), APP_NAME);
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', APP_NAME);
  return join(baseDir(env.XDG_CONFIG_HOME, platform) ?? join(homedir(), '.config'), APP_NAME);
}

/** A base folder from the environment, when it is set to an absolute path. */
function baseDir(value: string | undefined, platform: NodeJS.Platform): string | undefined {
  const isAbsolute = platform === 'win32' ? win32.isAbsolute : posix.isAbsolute;
  return value && isAbsolute(value) ? value : undefined;
}
