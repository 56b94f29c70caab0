// The desktop's folder actions (gex:folder) with the Electron runtime replaced: the
// native picker's answer comes back as the chosen folder (or null when cancelled), the
// picker opens on the window; only the real engine's inbox folders are opened in the
// file manager, any other path is refused; calls from elsewhere are refused. Choosing a
// folder then watching it is inbox:set on the real engine.
import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

const handlers = new Map<string, (...args: unknown[]) => unknown>();
const opened: string[] = [];
const dialogs: unknown[][] = [];
let picked: { canceled: boolean; filePaths: string[] } = { canceled: true, filePaths: [] };
vi.mock('electron', () => ({
  ipcMain: {
    handle: (channel: string, fn: (...args: unknown[]) => unknown) => handlers.set(channel, fn),
    removeHandler: (channel: string) => handlers.delete(channel),
  },
  dialog: {
    showOpenDialog: async (...args: unknown[]) => {
      dialogs.push(args);
      return picked;
    },
  },
  shell: {
    openPath: async (path: string) => {
      opened.push(path);
      return '';
    },
  },
}));

const { IPC_FOLDER_CHANNEL } = await import('../../shared/channels.ts');
const { createDispatcher } = await import('../../electron/host/handlers.ts');
const { registerFolderChannel } = await import('../../electron/main/folders.ts');
const { startTestEngine } = await import('./engine.ts');
type TestEngine = Awaited<ReturnType<typeof startTestEngine>>;

let te: TestEngine;
let unregister: () => void;
const win = { id: 'main window' };
const ours = { sender: 'ours' };
const dispatch = (name: string, payload: unknown) =>
  createDispatcher(te.engine.handlers, { transport: 'ipc' })(name, payload);
const folder = (action: unknown, arg?: unknown, event: unknown = ours) =>
  handlers.get(IPC_FOLDER_CHANNEL)!(event, action, arg) as Promise<{
    ok: boolean;
    value?: unknown;
    error?: { code: string; message: string };
  }>;

beforeAll(async () => {
  te = await startTestEngine({ runJobs: false });
  unregister = registerFolderChannel({
    dispatch,
    isTrusted: (e) => e === (ours as never),
    window: () => win as never,
  });
});
afterAll(async () => {
  unregister?.();
  await te?.stop();
});

describe('gex:folder', () => {
  it('answers the native picker’s folder, on the window, or null when cancelled', async () => {
    picked = { canceled: true, filePaths: [] };
    expect(await folder('choose', '/somewhere')).toEqual({ ok: true, value: null });
    expect(dialogs.at(-1)![0]).toBe(win);
    expect(dialogs.at(-1)![1]).toMatchObject({
      defaultPath: '/somewhere',
      properties: ['openDirectory', 'createDirectory'],
    });
    const chosen = mkdtempSync(join(tmpdir(), 'gex-picked-'));
    picked = { canceled: false, filePaths: [chosen] };
    const res = await folder('choose', '');
    expect(res).toEqual({ ok: true, value: chosen });
    expect(dialogs.at(-1)![1]).not.toHaveProperty('defaultPath');
    // What the renderer does next: the engine watches the chosen folder.
    const set = await dispatch('inbox:set', { dir: chosen });
    expect(set).toMatchObject({ ok: true, value: { dir: chosen } });
  });

  it('opens the inbox and its folders, and nothing else', async () => {
    const inbox = await te.engine.handlers['inbox:get']({});
    if (!inbox.ok) throw new Error(inbox.error.message);
    for (const path of [inbox.value.dir, inbox.value.done, inbox.value.failed]) {
      expect(await folder('open', path)).toEqual({ ok: true, value: null });
    }
    expect(opened).toEqual([inbox.value.dir, inbox.value.done, inbox.value.failed]);
    for (const path of ['/etc', te.engine.config.dataDir, `${inbox.value.done}/../../..`, '', 7]) {
      const res = await folder('open', path);
      expect(res.ok).toBe(false);
    }
    expect(opened).toHaveLength(3);
  });

  it('opens only a real folder: a file or a link lying where failed/ should be is refused', async () => {
    const inbox = await te.engine.handlers['inbox:get']({});
    if (!inbox.ok) throw new Error(inbox.error.message);
    const { failed } = inbox.value;
    const before = opened.length;
    try {
      // Anyone who can write into a shared inbox can put a script there (QA sec F13).
      rmSync(failed, { recursive: true });
      writeFileSync(failed, '#!/bin/sh\necho ran\n');
      chmodSync(failed, 0o755);
      const res = await folder('open', failed);
      expect(res).toMatchObject({ ok: false, error: { code: 'IO' } });
      expect(res.error!.message).toBe(
        `could not open ${failed}: it is not a folder (a file or a link lies there), and only a folder is opened; move it away`,
      );
      // A link, even to a folder (an app bundle is one), is not followed.
      rmSync(failed);
      symlinkSync(mkdtempSync(join(tmpdir(), 'gex-elsewhere-')), failed);
      expect((await folder('open', failed)).ok).toBe(false);
      rmSync(failed);
      expect((await folder('open', failed)).error!.message).toBe(
        `could not open ${failed}: it does not exist`,
      );
      expect(opened).toHaveLength(before);
    } finally {
      rmSync(failed, { recursive: true, force: true });
      mkdirSync(failed);
    }
    expect(await folder('open', failed)).toEqual({ ok: true, value: null });
  });

  it('opens the inbox itself through a link (the analyst may point it at a share)', async () => {
    const inbox = await te.engine.handlers['inbox:get']({});
    if (!inbox.ok) throw new Error(inbox.error.message);
    const { dir } = inbox.value;
    const share = `${dir}-share`;
    renameSync(dir, share);
    symlinkSync(share, dir);
    try {
      expect(await folder('open', dir)).toEqual({ ok: true, value: null });
      expect(opened.at(-1)).toBe(dir);
    } finally {
      rmSync(dir);
      renameSync(share, dir);
    }
  });

  it('refuses other senders and unknown actions', async () => {
    expect((await folder('choose', '', { sender: 'a frame' })).error!.code).toBe('INVALID_REQUEST');
    expect((await folder('delete', '/tmp')).error!.code).toBe('NOT_FOUND');
  });
});
