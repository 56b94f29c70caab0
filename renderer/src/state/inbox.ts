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
  /**
   * Watches `dir` from now on (kept in the config file); the engine's refusal as a value.
   * `takeExisting`: the analyst confirmed that the files already there are to be taken.
   */
  change(client: GexClient, dir: string, takeExisting?: boolean): Promise<AppError | null>;
}

export const useInbox = create<InboxState>((set) => ({
  status: null,
  error: null,
  follow(client) {
    void client
      .call('inbox:get', {})
      .then((res) =>
        res.ok ? set({ status: res.value, error: null }) : set({ error: res.error }),
      );
    const offs = [
      client.on('inbox:updated', (status) => set({ status, error: null })),
      client.onConnection((up) => {
        if (up)
          void client.call('inbox:get', {}).then((res) => res.ok && set({ status: res.value }));
      }),
    ];
    return () => {
      for (const off of offs) off();
    };
  },
  async change(client, dir, takeExisting) {
    const res = await client.call('inbox:set', { dir, take_existing: takeExisting });
    if (!res.ok) return res.error;
    set({ status: res.value, error: null });
    return null;
  },
}));
