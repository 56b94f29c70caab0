// File patterns among the files an ingest is given. A Unix shell expands `chains/*.csv`
// before we see it, but Windows' cmd.exe and PowerShell hand it over as written, and any
// shell hands over a pattern that matched nothing unchanged. A name that exists is taken
// as given (a file may be called `a[1].csv`); a pattern is expanded to the files it
// matches, in name order; one that matches no file is kept, to be refused as such.
import { globSync, statSync } from 'node:fs';
import { resolve } from 'node:path';

const PATTERN = /[*?[]/;

export interface GivenFile {
  file: string;
  /** The pattern, when it matched no file. */
  unmatched?: string;
}

export function expandFiles(
  given: string[],
  cwd = process.cwd(),
  platform = process.platform,
): GivenFile[] {
  return given.flatMap((name): GivenFile[] => {
    const file = resolve(cwd, name);
    if (!PATTERN.test(name) || exists(file)) return [{ file }];
    // Windows writes paths with backslashes, which a pattern would take for escapes.
    const pattern = platform === 'win32' ? name.replaceAll('\\', '/') : name;
    const files = globSync(pattern, { cwd })
      .map((m) => resolve(cwd, m))
      .filter(isFile)
      .sort();
    return files.length > 0 ? files.map((f) => ({ file: f })) : [{ file, unmatched: name }];
  });
}

const stat = (path: string) => statSync(path, { throwIfNoEntry: false });
const exists = (path: string) => stat(path) !== undefined;
const isFile = (path: string) => stat(path)?.isFile() === true;
