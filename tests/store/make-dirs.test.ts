// makeDirs, the `mkdir -p` every folder of ours is made with: it makes what is missing,
// takes what exists, and fails with an error (never spins, as Node's own recursive
// mkdirSync does on a file system that answers ENOENT, such as /proc).
import { existsSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeDirs } from '../../electron/engine/make-dirs.ts';

describe('makeDirs', () => {
  it('makes every missing folder, with the mode asked for, and takes one that exists', () => {
    const root = mkdtempSync(join(tmpdir(), 'gex-dirs-'));
    const deep = join(root, 'a', 'b', 'c');
    makeDirs(deep, 0o700);
    expect(statSync(deep).isDirectory()).toBe(true);
    if (process.platform !== 'win32') expect(statSync(join(root, 'a')).mode & 0o777).toBe(0o700);
    makeDirs(deep);
    expect(existsSync(deep)).toBe(true);
  });

  it('refuses a path through a file', () => {
    const root = mkdtempSync(join(tmpdir(), 'gex-dirs-'));
    writeFileSync(join(root, 'file'), 'x');
    expect(() => makeDirs(join(root, 'file'))).toThrow(/is a file, not a folder/);
    expect(() => makeDirs(join(root, 'file', 'below'))).toThrow(/is a file, not a folder/);
  });

  it.runIf(process.platform === 'linux' && existsSync('/proc/self'))(
    'fails at once where the file system refuses the folder (/proc), instead of spinning',
    () => {
      expect(() => makeDirs('/proc/gex-desk-nope/deeper')).toThrow(/ENOENT/);
    },
  );
});
