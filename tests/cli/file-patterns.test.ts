// File patterns given to `gex-desk ingest` as written (Windows shells do not expand them):
// what is expanded, in which order, and what is taken as a plain name. Real files.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expandFiles } from '../../electron/host/cli/file-patterns.ts';

function folder(): string {
  const dir = mkdtempSync(join(tmpdir(), 'gex-patterns-'));
  for (const name of ['b.csv', 'a.csv', 'c.json', 'x[1].csv']) writeFileSync(join(dir, name), '');
  mkdirSync(join(dir, 'sub.csv'));
  return dir;
}

describe('expandFiles', () => {
  it('expands a pattern to the files it matches, in name order, folders left out', () => {
    const dir = folder();
    expect(expandFiles(['*.csv'], dir)).toEqual(
      ['a.csv', 'b.csv', 'x[1].csv'].map((n) => ({ file: join(dir, n) })),
    );
    expect(expandFiles([join(dir, '?.*')])).toEqual(
      ['a.csv', 'b.csv', 'c.json'].map((n) => ({ file: join(dir, n) })),
    );
  });

  it('takes a name that exists as it is, even with pattern characters, and a plain name unchanged', () => {
    const dir = folder();
    expect(expandFiles(['x[1].csv', 'missing.csv', 'sub.csv'], dir)).toEqual([
      { file: join(dir, 'x[1].csv') },
      { file: join(dir, 'missing.csv') },
      { file: join(dir, 'sub.csv') },
    ]);
  });

  it('reads the backslashes of a Windows pattern as separators', () => {
    const dir = folder();
    expect(expandFiles(['.\\*.json'], dir, 'win32')).toEqual([{ file: join(dir, 'c.json') }]);
  });

  it('keeps a pattern that matches no file (or only folders), marked unmatched', () => {
    const dir = folder();
    expect(expandFiles(['*.parquet', 'sub*'], dir)).toEqual([
      { file: join(dir, '*.parquet'), unmatched: '*.parquet' },
      { file: join(dir, 'sub*'), unmatched: 'sub*' },
    ]);
  });
});
