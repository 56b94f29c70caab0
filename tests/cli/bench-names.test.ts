// `npm run bench -- NAME`: a name that is no suite is a usage error listing the suites. A
// typo (`npm run bench -- nosuch`) ran nothing and exited 0, as a pass would.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../pipeline/helpers.ts';

describe('npm run bench -- NAME', () => {
  it('refuses a name that is no suite, exit 2, naming the suites, and runs none', () => {
    const r = spawnSync(process.execPath, [join(repoRoot, 'bench', 'run.ts'), 'rules', 'nosuch'], {
      cwd: repoRoot,
      encoding: 'utf8',
    });
    expect(r.status, r.stderr).toBe(2);
    expect(r.stderr).toContain('bench: no suite nosuch; the suites are pipeline, rules,');
    expect(r.stderr).toContain('fuzz');
    expect(r.stderr).toContain('(memory-requests only when named)');
    // Not even the suite named rightly beside it.
    expect(r.stdout).toBe('');
  });
});
