// Keeps the address and the store in step: the address decides what is on screen at
// load and on Back / Forward; moving in the app writes the address (a new history
// entry when the view changes, in place when only its open item does).
import { formatRoute, parseHash, type Route } from './route.ts';
import { useApp } from './store.ts';

const routeOf = (s: Route): Route => ({
  view: s.view,
  snapshotId: s.snapshotId,
  snapshotsPane: s.snapshotsPane,
  jobId: s.jobId,
  auditRequest: s.auditRequest,
  rulesTab: s.rulesTab,
});

export function bindRoute(): () => void {
  const fromAddress = () => useApp.getState().goTo(parseHash(location.hash));
  fromAddress();
  let last = routeOf(useApp.getState());
  const unsubscribe = useApp.subscribe((s) => {
    const route = routeOf(s);
    const hash = formatRoute(route);
    const viewChanged = route.view !== last.view;
    last = route;
    if (hash === location.hash) return;
    if (viewChanged) history.pushState(null, '', hash);
    else history.replaceState(null, '', hash);
  });
  window.addEventListener('popstate', fromAddress);
  window.addEventListener('hashchange', fromAddress);
  return () => {
    unsubscribe();
    window.removeEventListener('popstate', fromAddress);
    window.removeEventListener('hashchange', fromAddress);
  };
}
