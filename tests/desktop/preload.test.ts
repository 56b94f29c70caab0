// The preload with the Electron runtime replaced: it exposes `gex` and nothing else,
// calls go over gex:call, events arrive from gex:event, and dropped files' paths come
// from webUtils.getPathForFile.
import { describe, expect, it, vi } from 'vitest';

const exposed = new Map<string, unknown>();
const invoked: unknown[][] = [];
const rendererListeners = new Map<string, (...args: unknown[]) => void>();
vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, api: unknown) => exposed.set(key, api) },
  ipcRenderer: {
    invoke: async (...args: unknown[]) => {
      invoked.push(args);
      return { ok: true, value: 'answer' };
    },
    on: (channel: string, fn: (...args: unknown[]) => void) => rendererListeners.set(channel, fn),
  },
  webUtils: {
    getPathForFile: (file: { name: string }) => {
      if (file.name === 'no-path') throw new Error('no path');
      return `/home/analyst/${file.name}`;
    },
  },
}));

await import('../../electron/preload/index.ts');
const { IPC_CALL_CHANNEL, IPC_EVENT_CHANNEL, IPC_FOLDER_CHANNEL } =
  await import('../../shared/api.ts');
type Bridge = import('../../shared/api.ts').GexBridge;

describe('preload', () => {
  it('exposes only window.gex, with call, on, pathForFile and the inbox folder calls', () => {
    expect([...exposed.keys()]).toEqual(['gex']);
    expect(Object.keys(exposed.get('gex') as object).sort()).toEqual([
      'call',
      'chooseFolder',
      'on',
      'openFolder',
      'pathForFile',
    ]);
    expect([...rendererListeners.keys()]).toEqual([IPC_EVENT_CHANNEL]);
  });

  it('sends calls over gex:call with their name and request', async () => {
    const gex = exposed.get('gex') as Bridge;
    const res = await gex.call('jobs:cancel', { id: 'j1' });
    expect(res).toEqual({ ok: true, value: 'answer' });
    expect(invoked.at(-1)).toEqual([IPC_CALL_CHANNEL, 'jobs:cancel', { id: 'j1' }]);
  });

  it('delivers events to their listeners until unsubscribed', () => {
    const gex = exposed.get('gex') as Bridge;
    const got: unknown[] = [];
    const off = gex.on('queue:stats', (p) => got.push(p));
    const emit = rendererListeners.get(IPC_EVENT_CHANNEL)!;
    emit({}, 'queue:stats', { n: 1 });
    emit({}, 'job:updated', { n: 2 });
    off();
    emit({}, 'queue:stats', { n: 3 });
    expect(got).toEqual([{ n: 1 }]);
  });

  it('gives a dropped file its path, or an empty string', () => {
    const gex = exposed.get('gex') as Bridge;
    expect(gex.pathForFile({ name: 'spx.csv' } as File)).toBe('/home/analyst/spx.csv');
    expect(gex.pathForFile({ name: 'no-path' } as File)).toBe('');
  });

  it('asks for the folder picker and opens a folder over gex:folder', async () => {
    const gex = exposed.get('gex') as Bridge;
    await gex.chooseFolder('/home/analyst/inbox');
    expect(invoked.at(-1)).toEqual([IPC_FOLDER_CHANNEL, 'choose', '/home/analyst/inbox']);
    await gex.chooseFolder();
    expect(invoked.at(-1)).toEqual([IPC_FOLDER_CHANNEL, 'choose', '']);
    await gex.openFolder('/home/analyst/inbox/done');
    expect(invoked.at(-1)).toEqual([IPC_FOLDER_CHANNEL, 'open', '/home/analyst/inbox/done']);
  });
});
