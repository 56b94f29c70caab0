// TEST DOUBLE of a pipeline worker's WORK, for scheduler-mechanics tests only (dispatch
// order, pool, cancel, retry, preemption, escalation). It speaks the real worker
// protocol of shared/pipeline.ts (`ready`, `progress`, `result` for `run`/`facts`
// messages) but, instead of running the pipeline, does what `input.action` says:
//   "sleep:<ms>"        answer ok after <ms>
//   "crash"             exit(1) mid-task (the pool must report WORKER_CRASHED)
//   "stopped"           SIGTERM to itself mid-task, as a watchdog sends it (SHUTTING_DOWN)
//   "fail:<CODE>"       answer an error with that code
//   "crash-until:<dir>" crash unless <dir>/ok exists (to test retries that succeed)
//   "heap"              answer the V8 heap limit it was started with
// Env SLEEPY_START_MS delays `ready` (a slow-starting worker).
import { existsSync } from 'node:fs';
import v8 from 'node:v8';
import { join } from 'node:path';

interface Msg {
  type: string;
  taskId: string;
  input?: { action?: string };
  file?: string;
}

const send = (m: unknown) => process.send?.(m);

process.on('message', (m: Msg) => {
  const action = m.input?.action ?? m.file ?? 'sleep:0';
  const [verb, arg = ''] = [
    action.slice(0, action.indexOf(':') < 0 ? action.length : action.indexOf(':')),
    action.slice(action.indexOf(':') + 1),
  ];
  if (verb === 'crash') process.exit(1);
  if (verb === 'stopped') process.kill(process.pid, 'SIGTERM');
  if (verb === 'heap') {
    // What V8 was told this process may use (the pool's --max-old-space-size).
    const heapMb = v8.getHeapStatistics().heap_size_limit / 1024 / 1024;
    send({ type: 'result', taskId: m.taskId, result: { ok: true, value: { heapMb } } });
    return;
  }
  if (verb === 'crash-until') {
    if (!existsSync(join(arg, 'ok'))) process.exit(1);
    send({ type: 'result', taskId: m.taskId, result: { ok: true, value: { pid: process.pid } } });
    return;
  }
  if (verb === 'fail') {
    send({
      type: 'result',
      taskId: m.taskId,
      result: { ok: false, error: { code: arg, message: `asked to fail with ${arg}` } },
    });
    return;
  }
  const ms = Number(arg) || 0;
  send({ type: 'progress', taskId: m.taskId, fraction: 0.5, stage: 'sleeping' });
  setTimeout(
    () =>
      send({ type: 'result', taskId: m.taskId, result: { ok: true, value: { pid: process.pid } } }),
    ms,
  );
});

const startMs = Number(process.env.SLEEPY_START_MS ?? 0);
setTimeout(() => send({ type: 'ready' }), startMs);

// Like a real worker: when the engine goes away (even by SIGKILL), go too.
process.on('disconnect', () => process.exit(0));
