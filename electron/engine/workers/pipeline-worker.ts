// A pipeline worker: a long-lived process (child_process.fork under Node, Electron's
// utilityProcess in the desktop app) that runs one pipeline task at a time off the
// engine's event loop, since nodejs-polars calls are synchronous. It loads Polars and says
// `ready`; started ahead of time (`--warm`), it then runs a chain (warm-up.ts) — or reads
// ahead the files it is given (`--read-ahead`) — so that its first real task is fast,
// unless a real task comes first, and says `warmed`. Every message in and out is
// validated with the schemas in shared/pipeline.ts.
import { ReadAhead, WorkerRequest, type WorkerReply } from '../../../shared/pipeline.ts';
import { err, messageOf } from '../../../shared/result.ts';
import { readFacts, runPipeline } from '../pipeline/index.ts';
import { enginePresent } from './engine-present.ts';
import { warmUp } from './warm-up.ts';

/** Electron's utility process talks through `process.parentPort`; a forked child through process.send. */
interface ParentPort {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (e: { data: unknown }) => void): void;
}
const parentPort = (process as unknown as { parentPort?: ParentPort }).parentPort;

const send = (reply: WorkerReply): Promise<void> =>
  new Promise((resolve) => {
    if (parentPort) {
      parentPort.postMessage(reply);
      return resolve();
    }
    if (!process.send) return resolve();
    process.send(reply, undefined, undefined, () => resolve());
  });

let queue: Promise<void> = Promise.resolve();
/** Messages received so far: the warm-up gives way to the first. */
let received = 0;

async function handle(message: unknown): Promise<void> {
  const parsed = WorkerRequest.safeParse(message);
  if (!parsed.success) {
    const taskId =
      typeof (message as { taskId?: unknown })?.taskId === 'string'
        ? (message as { taskId: string }).taskId
        : '';
    await send({
      type: 'result',
      taskId,
      result: err('VALIDATION', `pipeline worker: bad message: ${parsed.error.message}`),
    });
    return;
  }
  const req = parsed.data;
  if (req.type === 'run') {
    const result = await runPipeline({
      ...req.input,
      stillWanted: enginePresent,
      onProgress: (fraction, stage) =>
        void send({ type: 'progress', taskId: req.taskId, fraction, stage }),
    });
    await send({ type: 'result', taskId: req.taskId, result });
  } else {
    const { type: _type, taskId: _taskId, conventions, limits, ...staged } = req;
    const result = await readFacts({ ...staged, stillWanted: enginePresent }, conventions, limits);
    await send({ type: 'result', taskId: req.taskId, result });
  }
}

const onMessage = (message: unknown) => {
  received++;
  // One task at a time, in arrival order (behind the warm-up's current step, if any).
  queue = queue
    .then(() => handle(message))
    .catch((e) => {
      void send({
        type: 'result',
        taskId: '',
        result: err('INTERNAL', `pipeline worker: ${messageOf(e)}`),
      });
    });
};
if (parentPort) parentPort.on('message', (e) => onMessage(e.data));
else process.on('message', onMessage);
// When the engine goes away (even by SIGKILL), go too.
process.on('disconnect', () => process.exit(0));
// A terminal's Ctrl-C reaches every process of the command's group, this one too. It is
// the command's to act on: it lets the running job finish and then ends its workers. Died
// of it, this worker's task would count as a crash on the file's content and charge an
// attempt (three Ctrl-Cs, and a healthy file was set aside as a poison file).
process.on('SIGINT', () => undefined);

/** `--read-ahead JSON`: the files to warm up on (a one-shot command's); unreadable: the usual warm-up. */
function readAheadArg(): ReadAhead | undefined {
  const at = process.argv.indexOf('--read-ahead');
  if (at < 0) return undefined;
  try {
    const parsed = ReadAhead.safeParse(JSON.parse(process.argv[at + 1] ?? ''));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

await send({ type: 'ready' });
if (process.argv.includes('--warm'))
  queue = queue
    .then(() => warmUp(() => received > 0, readAheadArg()))
    .then((outcome) => send({ type: 'warmed', ...outcome }))
    .catch(() => undefined); // a failed warm-up leaves a worker that is merely cold
