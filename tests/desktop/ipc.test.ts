// The desktop transport with the Electron runtime replaced: every call goes through
// the validating dispatcher to the real engine; malformed payloads, unknown channels
// and calls from anywhere but our window's main frame are refused.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

const handlers = new Map<string, (...args: unknown[]) => unknown>();
vi.mock('electron', () => ({
  ipcMain: {
    handle: (channel: string, fn: (...args: unknown[]) => unknown) => {
      if (handlers.has(channel)) throw new Error(`second handler for ${channel}`);
      handlers.set(channel, fn);
    },
    removeHandler: (channel: string) => handlers.delete(channel),
  },
}));

const { calls, IPC_CALL_CHANNEL, IPC_EVENT_CHANNEL } = await import('../../shared/api.ts');
const { createDispatcher } = await import('../../electron/host/handlers.ts');
const { registerCallChannel, forwardEvents, senderCheck } =
  await import('../../electron/main/ipc.ts');
const { startTestEngine } = await import('./engine.ts');
type TestEngine = Awaited<ReturnType<typeof startTestEngine>>;

/** A stand-in for Electron's WebContents and frames: only what the checks read. */
function fakeContents(url: string) {
  const sent: unknown[][] = [];
  const mainFrame = { url };
  return {
    mainFrame,
    sent,
    isDestroyed: () => false,
    send: (...args: unknown[]) => sent.push(args),
  };
}

let te: TestEngine;
let contents: ReturnType<typeof fakeContents>;
let unregister: () => void;

const invoke = (name: unknown, payload: unknown, event?: unknown) =>
  handlers.get(IPC_CALL_CHANNEL)!(
    event ?? { sender: contents, senderFrame: contents.mainFrame },
    name,
    payload,
  ) as Promise<{
    ok: boolean;
    value?: unknown;
    error?: { code: string; message: string; field?: string };
  }>;

beforeAll(async () => {
  te = await startTestEngine({ runJobs: false });
  contents = fakeContents('app://gex/index.html');
  const dispatch = createDispatcher(te.engine.handlers, { transport: 'ipc' });
  unregister = registerCallChannel(
    dispatch,
    senderCheck(() => contents as never, 'app://gex'),
  );
});
afterAll(async () => {
  unregister?.();
  await te?.stop();
});

describe('the gex:call channel', () => {
  it('is the only channel registered', () => {
    expect([...handlers.keys()]).toEqual([IPC_CALL_CHANNEL]);
  });

  it('serves a valid call from our window (engine:health names the ipc transport)', async () => {
    const res = await invoke('engine:health', {});
    expect(res.ok).toBe(true);
    expect(res.value).toMatchObject({
      ok: true,
      transport: 'ipc',
      db_path: te.engine.config.dbPath,
    });
  });

  it.each(Object.keys(calls))(
    '%s refuses a malformed payload with a VALIDATION error',
    async (name) => {
      const res = await invoke(name, 42);
      expect(res.ok).toBe(false);
      expect(res.error!.code).toBe('VALIDATION');
      expect(res.error!.message).toContain(name);
    },
  );

  it('names the field that is wrong', async () => {
    const res = await invoke('jobs:cancel', { id: 7 });
    expect(res.error).toMatchObject({ code: 'VALIDATION', field: 'id' });
    const manual = await invoke('ingest:submit', {
      file: '/tmp/x.csv',
      requested_priority: 'HIGH',
      justification: '  ',
    });
    expect(manual.error).toMatchObject({ code: 'VALIDATION', field: 'justification' });
    const extra = await invoke('engine:health', { sneaky: true });
    expect(extra.error!.code).toBe('VALIDATION');
    expect(extra.error!.message).toContain('sneaky');
  });

  it('refuses unknown channels, including inherited property names', async () => {
    for (const name of ['fs:read', 'constructor', '__proto__', 'toString', 7]) {
      const res = await invoke(name, {});
      expect(res.ok).toBe(false);
      expect(res.error!.code).toBe('NOT_FOUND');
    }
  });

  it('refuses calls from another web contents, a subframe or a foreign origin', async () => {
    const other = fakeContents('app://gex/index.html');
    const fromOther = await invoke(
      'engine:health',
      {},
      { sender: other, senderFrame: other.mainFrame },
    );
    expect(fromOther.error!.code).toBe('INVALID_REQUEST');
    const fromSubframe = await invoke(
      'engine:health',
      {},
      { sender: contents, senderFrame: { url: 'app://gex/index.html' } },
    );
    expect(fromSubframe.error!.code).toBe('INVALID_REQUEST');
    const foreign = fakeContents('https://evil.example/');
    const check = senderCheck(() => foreign as never, 'app://gex');
    expect(check({ sender: foreign, senderFrame: foreign.mainFrame } as never)).toBe(false);
    expect(
      senderCheck(
        () => null,
        'app://gex',
      )({ sender: contents, senderFrame: contents.mainFrame } as never),
    ).toBe(false);
  });
});

describe('event forwarding', () => {
  it('sends the engine events to the window on gex:event', async () => {
    const off = forwardEvents(te.engine, () => contents as never);
    const before = contents.sent.length;
    const active = await invoke('rules:active', {});
    const text = (active.value as { text: string }).text;
    const activated = await invoke('rules:activate', {
      text,
      author: 'tester',
      comment: 'the same rules again',
    });
    expect(activated.ok).toBe(true);
    const sent = contents.sent.slice(before);
    expect(
      sent.some(([channel, name]) => channel === IPC_EVENT_CHANNEL && name === 'rules:activated'),
    ).toBe(true);
    off();
    const after = contents.sent.length;
    await invoke('rules:rollback', { version: 1, author: 'tester' });
    expect(contents.sent.length).toBe(after);
  });
});
