// Whether this window can reach the engine. A browser tab outlives the server it was
// opened on (`gex-desk serve` restarted elsewhere, or stopped): once the event socket is
// down and the health poll has failed too, what the views show is as of the last
// contact. Live times (waits, ages) stop there instead of counting on as if current, and
// the actions that need the engine are off until it answers again.
import { useNow } from '../hooks.ts';
import { useApp } from './store.ts';

type Reach = { connected: boolean; healthError: unknown; contactAt: number | null };

/** The event socket is down and the engine did not answer its last health call. */
export const isUnreachable = (s: Reach): boolean => !s.connected && s.healthError !== null;

export const useUnreachable = (): boolean => useApp(isUnreachable);

/** When the engine last answered while it cannot be reached; null while it can. */
const frozenAt = (s: Reach): number | null => (isUnreachable(s) ? s.contactAt : null);

/** The time the engine's figures are measured against: now, or the last contact. */
export const dataNow = (): number => frozenAt(useApp.getState()) ?? Date.now();

/** dataNow, refreshed every `ms` (for waits and ages shown live). */
export function useDataNow(ms = 1000): number {
  const now = useNow(ms);
  return useApp(frozenAt) ?? now;
}
