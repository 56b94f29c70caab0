// Runs crash-host.ts in its own process, waits until its long job is running, then
// SIGKILLs it (its workers follow when their IPC channel closes).
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const HOST = fileURLToPath(new URL('./crash-host.ts', import.meta.url));

export interface CrashConfig {
  dbPath: string;
  entry: string;
  long: string;
  short: string;
  dataDir?: string;
}

export async function crashHost(cfg: CrashConfig): Promise<{ running: string; queued: string }> {
  const child = spawn(process.execPath, [HOST, JSON.stringify(cfg)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let errText = '';
  child.stderr.on('data', (c: Buffer) => (errText += c.toString()));
  const ids = await new Promise<{ running: string; queued: string }>((resolve, reject) => {
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line) resolve(JSON.parse(line) as { running: string; queued: string });
    });
    child.on('exit', (code) =>
      reject(new Error(`crash host exited (${code}) before its job ran: ${errText}`)),
    );
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGKILL');
  await exited;
  return ids;
}
