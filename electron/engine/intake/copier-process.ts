// The copier: a process of its own (child_process.fork under Node, Electron's
// utilityProcess in the desktop app) that captures the files on a file system that can
// stall (stalling-fs.ts) with the engine's own code (capture-copy.ts). A read that never
// returns holds this process, which the engine abandons, never the engine's own: a
// process cannot end while one of its threads waits in such a read. Messages in and out
// are validated with shared/copier.ts; captures run side by side, each answered by its id.
// It also probes attached export folders and watched inboxes there (analytics/folder-look.ts),
// for the same reason.
import { CopyRequest, ProbeRequest, type CopyReply } from '../../../shared/copier.ts';
import { err } from '../../../shared/result.ts';
import { lookAt } from '../analytics/folder-look.ts';
import { copyOut } from './capture-copy.ts';

interface ParentPort {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (e: { data: unknown }) => void): void;
}
const parentPort = (process as unknown as { parentPort?: ParentPort }).parentPort;

const send = (reply: CopyReply): void => {
  if (parentPort) parentPort.postMessage(reply);
  else process.send?.(reply);
};

async function handle(message: unknown): Promise<void> {
  const probe = ProbeRequest.safeParse(message);
  if (probe.success) {
    send({ id: probe.data.id, probed: await lookAt(probe.data.probe, probe.data.look) });
    return;
  }
  const parsed = CopyRequest.safeParse(message);
  if (!parsed.success) {
    const id = (message as { id?: unknown })?.id;
    send({
      id: typeof id === 'number' ? id : -1,
      result: err('VALIDATION', `copier: bad message: ${parsed.error.message}`),
    });
    return;
  }
  const { id, file, tmp, maxBytes, durable, seen } = parsed.data;
  try {
    const r = await copyOut(file, tmp, { maxBytes, durable, seen });
    send({
      id,
      result: r.ok
        ? {
            ok: true,
            value: {
              ...r.value,
              head: r.value.head.toString('base64'),
              tail: r.value.tail.toString('base64'),
            },
          }
        : r,
    });
  } catch (e) {
    const x = e as NodeJS.ErrnoException & { dest?: string };
    send({
      id,
      thrown: {
        message: x?.message ?? String(e),
        ...(typeof x?.code === 'string' ? { code: x.code } : {}),
        ...(typeof x?.errno === 'number' ? { errno: x.errno } : {}),
        ...(typeof x?.syscall === 'string' ? { syscall: x.syscall } : {}),
        ...(typeof x?.path === 'string' ? { path: x.path } : {}),
        ...(typeof x?.dest === 'string' ? { dest: x.dest } : {}),
      },
    });
  }
}

if (parentPort) parentPort.on('message', (e) => void handle(e.data));
else process.on('message', (m) => void handle(m));
// When the engine goes away (even by SIGKILL), go too — unless a read holds this process.
process.on('disconnect', () => process.exit(0));
// A terminal's Ctrl-C reaches the whole group: the engine decides when this one ends.
process.on('SIGINT', () => undefined);
