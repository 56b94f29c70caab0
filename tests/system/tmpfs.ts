// Small real file systems for the tests of a machine's faults (a full disk, a read-only
// share): a tmpfs mounted, remounted with other options, and unmounted. Mounting needs
// root (as in CI); where it cannot be done, the tests that need it are skipped and say so.
import { execFileSync } from 'node:child_process';

const run = (args: string[]): boolean => {
  try {
    execFileSync('mount', args, { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};

/** A tmpfs of `size` (`4m`, `64k`) at `at`; false when it cannot be mounted here. */
export const mountTmpfs = (at: string, size: string): boolean =>
  run(['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', at]);

/** The tmpfs at `at` remounted with `options` (`size=200m`, `ro`, `rw`). */
export const remount = (at: string, options: string): boolean =>
  run(['-o', `remount,${options}`, at]);

export function unmount(at: string): void {
  try {
    execFileSync('umount', [at], { stdio: 'ignore' });
  } catch {
    // not mounted
  }
}
