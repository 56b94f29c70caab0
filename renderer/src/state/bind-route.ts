// Keeps the address and the store in step: the address decides what is on screen at
// load and on Back / Forward; moving in the app writes the address, a new history entry
// for each move of the analyst's and in place for the app's own (in-place.ts).
import { changingInPlace, fromTheAddress } from './in-place.ts';
import { formatRoute, parseHash } from './route.ts';
import { useApp } from './store.ts';

/** What each entry we add remembers: the address of the one before it. */
type EntryState = { before: string } | null;

export function bindRoute(): () => void {
  // The address as last read or written here. The browser moves the address (a link
  // followed, Back) before it tells us, a task later: meanwhile the app's own change
  // (an address completed by a reply that arrived in between) must not write over it.
  let synced = location.hash;
  const fromAddress = () => {
    fromTheAddress(() => useApp.getState().goTo(parseHash(location.hash)));
    // A bare or odd address (the token's page, `#/`) is written as the view it shows, in
    // place: else the next change of the store would add it as a step of its own.
    const hash = formatRoute(useApp.getState());
    if (hash !== location.hash) history.replaceState(history.state, '', hash);
    synced = location.hash;
  };
  fromAddress();
  const unsubscribe = useApp.subscribe((s) => {
    const hash = formatRoute(s);
    if (hash === location.hash) return;
    if (!changingInPlace()) history.pushState({ before: location.hash }, '', hash);
    // The address moved and the browser has yet to say so (popstate / hashchange, which
    // read it into the store): the analyst's move wins over the app's.
    else if (location.hash !== synced) return;
    // The app closed what the analyst opened (a removed snapshot, a filtered-out drawer):
    // back to the entry before when it shows just that, so that no Back does nothing.
    else if ((history.state as EntryState)?.before === hash) history.back();
    else history.replaceState(history.state, '', hash);
    synced = location.hash;
  });
  window.addEventListener('popstate', fromAddress);
  window.addEventListener('hashchange', fromAddress);
  return () => {
    unsubscribe();
    window.removeEventListener('popstate', fromAddress);
    window.removeEventListener('hashchange', fromAddress);
  };
}
