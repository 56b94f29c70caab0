// Builds the renderer once for the browser host when it has not been built yet, so
// that `gex-desk serve` works right after `npm install` with no step to remember.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { err, ok, type Result } from '../../../shared/result.ts';

export function ensureRendererBuilt(root: string): Promise<Result<void>> {
  return new Promise((resolveBuild) => {
    const bin = join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js');
    const child = spawn(process.execPath, [bin, 'build'], { cwd: root, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', (e) => resolveBuild(err('IO', `Cannot build the user interface: ${e.message}`)));
    child.on('exit', (code) =>
      resolveBuild(code === 0 ? ok(undefined) : err('IO', `Building the user interface failed (exit ${code}): ${stderr.slice(-2000)}`)),
    );
  });
}
