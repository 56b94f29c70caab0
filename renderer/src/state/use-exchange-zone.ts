// The exchange time zone the engine computes with (its conventions, from engine:health):
// where a snapshot's own conventions were not recorded, its as-of is read on this clock.
import { DEFAULT_EXCHANGE_ZONE } from '../components/plot/exchange-time.ts';
import { useApp } from './store.ts';

export function useEngineZone(): string {
  return useApp((s) => s.health?.conventions?.exchange_time_zone) ?? DEFAULT_EXCHANGE_ZONE;
}
