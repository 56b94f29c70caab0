// Where the keyboard's focus goes when the analyst moves to another view or pane: a
// button that opened it ("Open the snapshot ›", "timeline ›", "Compare", a workbench's
// Close…) leaves the page with the view it was in, and the focus fell to the page's
// body (a screen reader said nothing; Tab started again from the top). One rule for every
// such move, here: once the new view is drawn, if the focus fell to the body, it goes back
// to what had it when the analyst last left this address (the row a snapshot was opened
// from, for its Close), else to the new view's heading, which is then read out. A move
// that keeps its control in the page (a view's tab, a pane tab, a table's row) keeps the
// focus where it is. Back and Forward are moves of the analyst's too; the app's own
// changes of the address (in-place.ts) move nothing. A row drawn anew when its view comes
// back (the Audit table, re-mounted after a request's timeline) is found again by its
// `data-focus-key`: the focus lands on the heading at once and moves to the row once it
// is drawn again (its list loaded), if the analyst has not moved it meanwhile. A page
// loaded fresh at an address that names no id lands on what says so as well.
import { idShaped } from '../text/ids.ts';
import { changingInPlace, readingTheAddress } from './in-place.ts';
import { formatRoute, type Route } from './route.ts';
import { useApp } from './store.ts';
import { paneOf } from './workbench.ts';

/** What an address that names no id shows (NotAnId). */
const NOT_AN_ID = '[data-testid=not-an-id]';

/** The headings (or regions) a route lands on, most specific first. */
export function landingOf(r: Route): string[] {
  const view = `[data-testid=${r.view}-view]`;
  if (r.view === 'snapshots') {
    const { kind } = paneOf(r.snapshotsPane);
    if (r.snapshotId && (kind === '' || kind === 'list')) return ['#snapshot-title'];
    if (kind === 'history') return ['[data-testid=history-view]'];
    if (kind === 'compare') return ['[data-testid=compare-view]'];
    return [`${view} .pane-title`, `${view} h1`];
  }
  // An address naming no id lands on what says so (NotAnId).
  if (r.view === 'queue' && r.jobId) return ['#drawer-title', NOT_AN_ID];
  if (r.view === 'audit' && r.auditRequest) return ['#trail-title', NOT_AN_ID];
  return [`${view} h1`];
}

/** Whether the route's id (a snapshot's, a job's, a request's) is no id's shape (NotAnId). */
const namesNoId = (r: Route): boolean =>
  [
    r.view === 'snapshots' && r.snapshotId,
    r.view === 'queue' && r.jobId,
    r.view === 'audit' && r.auditRequest,
  ].some((id) => !!id && !idShaped(id));

/** How long a view may take to be drawn (a snapshot's figures are read first). */
const WAIT_MS = 15_000;
/** How long a row drawn anew may take to be listed again, its view's heading focused meanwhile. */
const ROW_WAIT_MS = 5_000;

/** What had the focus, and the identity of the row it was in (to find it drawn anew). */
interface Opener {
  el: Element | null;
  key: string | null;
}

const keyOf = (el: Element): string | null =>
  el.closest('[data-focus-key]')?.getAttribute('data-focus-key') ?? null;

const rowOf = (key: string | null): HTMLElement | null =>
  key === null
    ? null
    : document.querySelector<HTMLElement>(`[data-focus-key="${CSS.escape(key)}"]`);

const lost = (): boolean => {
  const a = document.activeElement;
  return !a || a === document.body || !a.isConnected;
};

export function bindRouteFocus(): () => void {
  /** What had the focus when the analyst left each address. */
  const openers = new Map<string, Opener>();
  let hash = formatRoute(useApp.getState());
  let ticket = 0;
  let timer = 0;

  const land = (route: Route, at: string, landing = landingOf(route)) => {
    const mine = ++ticket;
    const until = Date.now() + WAIT_MS;
    const tryLand = () => {
      if (mine !== ticket) return;
      // The view kept the focus (or the analyst has moved it since): it stays.
      if (!lost()) return;
      const opener = openers.get(at);
      const back =
        opener?.el?.isConnected && opener.el instanceof HTMLElement
          ? opener.el
          : rowOf(opener?.key ?? null);
      const target =
        back ??
        landing.map((sel) => document.querySelector<HTMLElement>(sel)).find((el) => el !== null);
      if (target) {
        if (target !== back && !target.hasAttribute('tabindex')) target.tabIndex = -1;
        target.focus({ preventScroll: target !== back });
        if (target !== back) target.scrollIntoView({ block: 'nearest' });
        if (!back && opener?.key) awaitRow(mine, opener.key, target);
        return;
      }
      if (Date.now() < until) timer = window.setTimeout(tryLand, 50);
    };
    // After React has drawn the change.
    window.clearTimeout(timer);
    requestAnimationFrame(() => requestAnimationFrame(tryLand));
  };

  // The row left, drawn anew: the focus moves on to it from the heading it landed on.
  const awaitRow = (mine: number, key: string, landed: HTMLElement) => {
    const until = Date.now() + ROW_WAIT_MS;
    const look = () => {
      if (mine !== ticket || document.activeElement !== landed) return;
      const row = rowOf(key);
      if (row) row.focus();
      else if (Date.now() < until) timer = window.setTimeout(look, 50);
    };
    timer = window.setTimeout(look, 50);
  };

  const unsubscribe = useApp.subscribe((s) => {
    const next = formatRoute(s);
    if (next === hash) return;
    const was = hash;
    hash = next;
    if (changingInPlace() && !readingTheAddress()) return;
    const from = document.activeElement;
    if (from && from !== document.body) openers.set(was, { el: from, key: keyOf(from) });
    // Those gone with their views are no way back (and would hold their pages); a row's
    // identity stays, to find it drawn anew.
    for (const [at, o] of openers)
      if (o.el && !o.el.isConnected && at !== was) {
        if (o.key) o.el = null;
        else openers.delete(at);
      }
    land(s, next);
  });
  // A page loaded at an address that names no id (a link carrying a sentence, opened in a
  // new tab) lands the focus on what says so, as a move within the app does (QA land F4:
  // it stayed on the body). Other pages as loaded keep the browser's own start.
  const first = useApp.getState();
  if (namesNoId(first)) land(first, hash, [NOT_AN_ID]);
  return () => {
    ticket++;
    window.clearTimeout(timer);
    unsubscribe();
  };
}
