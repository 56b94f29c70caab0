// The watched inbox as the status bar and its dialog show it: the folders and how many
// files are in processing/, done/ and failed/ (inbox:get), kept live from `inbox:updated`
// (files moved, or another folder chosen here or with `gex-desk inbox set`).
import { create } from 'zustand';
import type { InboxStatus } from '../../../shared/api.ts';
import type { AppError } from '../../../shared/result.ts';
import type { GexClient } from '../api/client.ts';

interface InboxState {
  status: InboxStatus | null;
  error: AppError | null;
  /** Loads the status and follows its events; returns the unsubscribe. */
  follow(client: GexClient): () => void;
  /** Asks for the status again (what no event says: files leaving the folder watched before). */
  refresh(client: GexClient): Promise<void>;
  /**
   * Watches `dir` from now on (kept in the config file); the engine's refusal as a value.
   * `takeExisting`: the analyst confirmed that the files already there are to be taken.
   */
  change(client: GexClient, dir: string, takeExisting?: boolean): Promise<AppError | null>;
}

export const useInbox = create<InboxState>((set, get) => ({
  status: null,
  error: null,
  follow(client) {
    void get().refresh(client);
    const offs = [
      client.on('inbox:updated', (status) => set({ status, error: null })),
      client.onConnection((up) => {
        if (up) void get().refresh(client);
      }),
    ];
    return () => {
      for (const off of offs) off();
    };
  },
  async refresh(client) {
    const res = await client.call('inbox:get', {});
    if (res.ok) set({ status: res.value, error: null });
    else set({ error: res.error });
  },
  async change(client, dir, takeExisting) {
    const res = await client.call('inbox:set', { dir, take_existing: takeExisting });
    if (!res.ok) return res.error;
    set({ status: res.value, error: null });
    return null;
  },
}));
