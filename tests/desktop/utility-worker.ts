// TEST DOUBLE of a worker's behaviour, for the utility-process launcher's adaptation
// only: it talks through `process.parentPort` as a utility process does and does what
// each message says — echo it, write to stderr, exit with a code, ignore SIGTERM. Under a
// pool (GEX_TEST_POOL set) it also says `ready` as a pipeline worker does, and holds every
// task it is given without answering (a long job, to be stopped).
interface Port {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (e: { data: unknown }) => void): void;
}
const port = (process as unknown as { parentPort?: Port }).parentPort;
if (!port) throw new Error('no parentPort: not started as a utility process');

port.on('message', ({ data }) => {
  const m = data as { do: string; code?: number; text?: string };
  if (m.do === 'echo')
    port.postMessage({
      echoed: m,
      pid: process.pid,
      argv: process.argv.slice(2),
      execArgv: process.execArgv,
    });
  if (m.do === 'stderr') process.stderr.write(m.text ?? '');
  if (m.do === 'exit') process.exit(m.code ?? 0);
  if (m.do === 'ignore-sigterm') {
    process.on('SIGTERM', () => port.postMessage({ sigterm: true }));
    port.postMessage({ ignoring: true });
  }
});
port.postMessage({
  up: true,
  env: process.env.GEX_TEST_MARK ?? null,
  runAsNode: process.env.ELECTRON_RUN_AS_NODE ?? null,
});
if (process.env.GEX_TEST_POOL) port.postMessage({ type: 'ready' });
// Stay alive until told otherwise.
setInterval(() => undefined, 1 << 30);
