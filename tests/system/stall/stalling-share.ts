// Real FUSE file systems standing for a network share that stops answering, mounted for
// the tests of stalls (system/stalled-share, e2e/inbox-not-answering) by one set-up rather
// than one copy per test: hangfs.py (a file whose read never returns) and stallshare.py (a
// passthrough whose reads, or every call, stall while its mode says so; read-only or
// read-write). Each is unmounted lazily, so that calls held in it end with an error. Where
// FUSE cannot be mounted here, fuseMissing says why, for the tests to skip and say so.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { err, ok, type Result } from '../../../shared/result.ts';

const PYTHON = '/usr/bin/python3';
const here = dirname(fileURLToPath(import.meta.url));

/** Why a FUSE file system cannot be mounted on this machine; null when it can. */
export function fuseMissing(): string | null {
  if (process.platform !== 'linux') return 'FUSE mounts are tested on Linux only';
  if (!existsSync('/dev/fuse')) return 'no /dev/fuse on this machine';
  if (spawnSync(PYTHON, ['-c', 'import fusepy']).status !== 0)
    return `${PYTHON} cannot import fusepy (apt-get install python3-fusepy fuse3)`;
  return null;
}

/** Whether a file system is mounted at `at` (this process's mount table). */
export const mountedAt = (at: string): boolean =>
  readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .some((l) => l.split(' ')[4] === at);

export interface FuseMount {
  at: string;
  /** Unmounted lazily (calls held in it end with an error), its server killed. */
  unmount(): void;
}

/** Starts a FUSE server script; answers once it has mounted at `at` (within 10 s). */
async function mountFuse(script: string, args: string[], at: string): Promise<Result<FuseMount>> {
  mkdirSync(at, { recursive: true });
  let stderr = '';
  const server = spawn(PYTHON, [join(here, script), at, ...args], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  server.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  for (let i = 0; i < 100 && server.exitCode === null && !mountedAt(at); i++)
    await new Promise((r) => setTimeout(r, 100));
  const unmount = (): void => {
    if (mountedAt(at))
      if (spawnSync('fusermount3', ['-u', '-z', at]).status !== 0) spawnSync('umount', ['-l', at]);
    server.kill('SIGKILL');
  };
  if (mountedAt(at)) return ok({ at, unmount });
  unmount();
  return err('IO', `${script} could not mount ${at}: ${stderr.trim() || 'no answer in 10 s'}`);
}

/** hangfs.py at `at`: `src`'s bytes as hang.csv (whose read never returns) and ok.csv. */
export const mountHangFs = (at: string, src: string): Promise<Result<FuseMount>> =>
  mountFuse('hangfs.py', [src], at);

/** 'read': every read stalls; 'all': every call; 'none': it answers. */
export type StallMode = 'none' | 'read' | 'all';

export interface StallingShare extends FuseMount {
  /** The share stalls (or answers) as `mode` says from now on; a stalled call resumes. */
  stall(mode: StallMode): void;
}

/**
 * `src` passed through at `at` by stallshare.py, answering; read-only, or read-write with
 * `writable` (an inbox needs a share it can write to). Its mode is kept in the file `at`.mode.
 * Unmounting answers again first, so that calls held in it return.
 */
export async function mountStallingShare(
  at: string,
  src: string,
  { writable = false }: { writable?: boolean } = {},
): Promise<Result<StallingShare>> {
  const modeFile = `${at}.mode`;
  const stall = (mode: StallMode): void => writeFileSync(modeFile, mode);
  stall('none');
  const fs = await mountFuse('stallshare.py', [src, modeFile, ...(writable ? ['--rw'] : [])], at);
  if (!fs.ok) return fs;
  return ok({
    at,
    stall,
    unmount: () => {
      stall('none');
      fs.value.unmount();
    },
  });
}
