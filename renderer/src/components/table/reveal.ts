// A row that opens in place (an audit entry's facts below its cells) is brought into the
// list's view: the last row's facts opened below the window's edge (y 865–1055 in 900) and
// the analyst saw nothing happen. The whole of what opened when it fits, else its top;
// a row already in view is left where it is. Read from the page, after the row has opened.

/** Scrolls `scroller` the least that shows `el` whole under a sticky header `inset` px tall. */
export function revealIn(scroller: HTMLElement, el: HTMLElement, inset: number): void {
  const list = scroller.getBoundingClientRect();
  const box = el.getBoundingClientRect();
  const top = list.top + inset;
  const bottom = list.top + scroller.clientHeight;
  let by = 0;
  if (box.bottom > bottom) by = box.bottom - bottom;
  // Too tall for the view (or above it): its top, under the header.
  if (box.top - by < top) by = box.top - top;
  if (by !== 0) scroller.scrollTop += by;
}
