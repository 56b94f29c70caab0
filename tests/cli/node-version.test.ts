// `gex-desk` on a Node.js too old to run its TypeScript says so and exits 3 (the
// environment), instead of stopping at the first `.ts` import with a loader error.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: plain JavaScript without types (bin/ must run on any Node).
import { tooOld } from '../../bin/node-version.js';
import { repoRoot } from '../pipeline/helpers.ts';

describe('the Node.js version the command needs', () => {
  it('refuses anything before 22.18, naming the version and the binary', () => {
    for (const v of ['20.20.2', '21.7.3', '22.6.0', '22.17.1', '18.0.0']) {
      const message = tooOld(v, '/opt/node/bin/node');
      expect(message, v).toContain(`this is Node.js ${v} (/opt/node/bin/node)`);
      expect(message, v).toContain('22.18 or newer');
    }
    for (const v of ['22.18.0', '22.23.5', '23.0.0', '24.1.0', '100.0.0'])
      expect(tooOld(v, 'node'), v).toBeNull();
  });

  // Debian's own Node is older here (20): the command is started with it, as an analyst
  // whose PATH finds it first would.
  const system = ['/usr/bin/node', '/usr/local/bin/node'].find((p) => {
    if (!existsSync(p)) return false;
    const v = spawnSync(p, ['-p', 'process.versions.node'], { encoding: 'utf8' }).stdout.trim();
    return tooOld(v, p) !== null;
  });
  it.skipIf(!system)('exits 3 with that message when run by an older Node.js', () => {
    const r = spawnSync(system!, [join(repoRoot, 'bin', 'gex-desk.js'), '--help'], {
      encoding: 'utf8',
      env: { ...process.env, NODE_OPTIONS: '' },
    });
    expect(r.status).toBe(3);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^gex-desk needs Node\.js 22\.18 or newer .*this is Node\.js \d+\./);
    expect(r.stderr).not.toContain('ERR_UNKNOWN_FILE_EXTENSION');
  });
});
