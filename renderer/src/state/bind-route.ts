// Keeps the address and the store in step: the address decides what is on screen at
// load and on Back / Forward; moving in the app writes the address, a new history entry
// for each move of the analyst's and in place for the app's own (in-place.ts).
import { changingInPlace, inPlace } from './in-place.ts';
import { formatRoute, parseHash } from './route.ts';
import { useApp } from './store.ts';

export function bindRoute(): () => void {
  const fromAddress = () => inPlace(() => useApp.getState().goTo(parseHash(location.hash)));
  fromAddress();
  const unsubscribe = useApp.subscribe((s) => {
    const hash = formatRoute(s);
    if (hash === location.hash) return;
    if (changingInPlace()) history.replaceState(null, '', hash);
    else history.pushState(null, '', hash);
  });
  window.addEventListener('popstate', fromAddress);
  window.addEventListener('hashchange', fromAddress);
  return () => {
    unsubscribe();
    window.removeEventListener('popstate', fromAddress);
    window.removeEventListener('hashchange', fromAddress);
  };
}
