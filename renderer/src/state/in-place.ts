// Which moves are steps for Back. Every change of what is on screen that the analyst makes
// (a view, a Snapshots pane, a snapshot, what History or Compare shows, a job's drawer, a
// Rules side tab) is a new browser-history entry; what the app does by itself is not: an
// address completed (Compare's A filled in, History's underlying chosen), an open item
// closed because it went away or a filter hid it, the address read on Back / Forward.
// Those run inside `inPlace`, and bind-route.ts rewrites the address where it is. The
// address read on Back / Forward is still the analyst's move for the focus
// (route-focus.ts): it runs inside `fromTheAddress`.
let depth = 0;
let reading = 0;

/** Runs a change of the route (synchronously) that replaces the address instead of adding a step. */
export function inPlace(change: () => void): void {
  depth++;
  try {
    change();
  } finally {
    depth--;
  }
}

/** Runs the change that reads the address (the analyst's Back / Forward), in place. */
export function fromTheAddress(change: () => void): void {
  reading++;
  try {
    inPlace(change);
  } finally {
    reading--;
  }
}

/** Whether the route is being changed inside `inPlace`. */
export const changingInPlace = (): boolean => depth > 0;

/** Whether that change is the address read on Back / Forward. */
export const readingTheAddress = (): boolean => reading > 0;
