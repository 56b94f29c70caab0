// STAND-IN for Electron's `utilityProcess` (the Electron runtime may be replaced in
// tests): `fork` starts a real Node child with the parentPort shim, and the object it
// returns behaves as Electron documents a UtilityProcess — 'spawn', 'message' (the
// message itself), 'exit' with one number (a signal's own number), 'error'; postMessage, kill (SIGTERM), pid,
// stderr when piped.
import { fork, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { constants } from 'node:os';
import { fileURLToPath } from 'node:url';

const SHIM = fileURLToPath(new URL('./parent-port-shim.ts', import.meta.url));

export interface ForkCall {
  modulePath: string;
  args: string[];
  options: {
    env?: NodeJS.ProcessEnv;
    execArgv?: string[];
    stdio?: string[] | string;
    serviceName?: string;
  };
}
/** Kept on globalThis: a test that re-imports modules (vi.resetModules) still sees every fork. */
const shared = globalThis as unknown as {
  gexForkCalls?: ForkCall[];
  gexLaunched?: FakeUtilityProcess[];
};
export const forkCalls: ForkCall[] = (shared.gexForkCalls ??= []);
export const launched: FakeUtilityProcess[] = (shared.gexLaunched ??= []);

export class FakeUtilityProcess extends EventEmitter {
  readonly child: ChildProcess;
  readonly stderr: NodeJS.ReadableStream | null;
  #killed = false;
  constructor(modulePath: string, args: string[], options: ForkCall['options']) {
    super();
    const stdio = Array.isArray(options.stdio) ? options.stdio : ['ignore', 'inherit', 'inherit'];
    this.child = fork(modulePath, args, {
      env: options.env,
      execArgv: [...(options.execArgv ?? []), '--import', SHIM],
      stdio: [stdio[0], stdio[1], stdio[2], 'ipc'] as never,
      serialization: 'advanced',
    });
    this.stderr = this.child.stderr;
    this.child.on('spawn', () => this.emit('spawn'));
    this.child.on('message', (m) => this.emit('message', m));
    // Electron reports one number, from waitpid on POSIX: for a signal, the raw wait
    // status, i.e. the signal's number (worker-launcher.ts utilityExit says where from);
    // 0 after its own kill() (SIGTERM, or the SIGKILL that follows it).
    this.child.on('exit', (code, signal) => {
      const n = signal ? constants.signals[signal] : 0;
      const own = this.#killed && (signal === 'SIGTERM' || signal === 'SIGKILL');
      this.emit('exit', code ?? (own ? 0 : n));
    });
  }
  get pid(): number | undefined {
    return this.child.pid;
  }
  postMessage(message: unknown): void {
    if (!this.child.connected) throw new Error('the utility process has exited');
    this.child.send(message as never);
  }
  kill(): boolean {
    this.#killed = true;
    return this.child.kill('SIGTERM');
  }
}

export const utilityProcess = {
  fork(
    modulePath: string,
    args: string[] = [],
    options: ForkCall['options'] = {},
  ): FakeUtilityProcess {
    forkCalls.push({ modulePath, args, options });
    const p = new FakeUtilityProcess(modulePath, args, options);
    launched.push(p);
    return p;
  },
};
