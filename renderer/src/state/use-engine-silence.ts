// One reading of the engine's silence for the whole page (state/engine-silence.ts): the
// status bar and every live view's "Not current" line read it the same second, so the bar
// and a view never disagree on whether the engine answers, nor on for how long.
import { useShallow } from 'zustand/react/shallow';
import { engineWatch } from '../api/silence.ts';
import { useNow } from '../hooks.ts';
import { silenceOf, type Silence } from './engine-silence.ts';
import { useApp } from './store.ts';

/**
 * The engine's silence while it is reached and answers nothing though asked (null while
 * it answers, or while it cannot be reached: said elsewhere), checked every second.
 */
export function useEngineSilence(): Silence | null {
  const now = useNow(1000);
  const reach = useApp(useShallow((s) => ({ connected: s.connected, healthError: s.healthError })));
  return silenceOf(engineWatch, now, reach);
}
