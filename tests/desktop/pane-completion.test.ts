// The app completes a Snapshots pane's address by itself (Compare's A, History's
// underlying, an id's first characters) only while that pane is still the one shown
// (`completePane`, which asks `showsPane` of the store's route). A CI run (2cf9737) caught
// Compare writing its pair back over the levels board the analyst had just gone to: its
// effect ran after the address was read.
import { describe, expect, it } from 'vitest';
import { parseHash, showsPane } from '../../renderer/src/state/route.ts';

const A = 'a'.repeat(32);
const B = 'b'.repeat(32);

describe('which pane a route shows, for completing its address', () => {
  it('is the pane of the address: a comparison being completed is shown until the address moves', () => {
    const comparing = parseHash(`#/snapshots/compare/${B}`);
    expect(showsPane(comparing, `compare/${B}`)).toBe(true);
    // The analyst goes to the board (a link, Back): the comparison is no longer shown.
    const board = parseHash('#/snapshots');
    expect(showsPane(board, `compare/${B}`)).toBe(false);
    expect(showsPane(board, '')).toBe(true);
    expect(showsPane(parseHash(`#/snapshots/compare/${A}/${B}`), `compare/${B}`)).toBe(false);
  });

  it('is no pane in another view, and one history is not another', () => {
    expect(showsPane(parseHash('#/queue'), '')).toBe(false);
    expect(showsPane(parseHash('#/snapshots/history'), 'history')).toBe(true);
    expect(showsPane(parseHash('#/snapshots/history/SPX'), 'history')).toBe(false);
    expect(showsPane(parseHash('#/snapshots/history/spx'), 'history/SPX')).toBe(true);
  });
});
