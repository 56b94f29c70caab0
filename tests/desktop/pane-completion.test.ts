// The app completes a Snapshots pane's address by itself (Compare's A, History's
// underlying, an id's first characters): only while that pane is still the one shown. A
// CI run (2cf9737) caught Compare writing its pair back over the levels board the
// analyst had just gone to: its effect ran after the address was read.
import { beforeEach, describe, expect, it } from 'vitest';
import { useApp } from '../../renderer/src/state/store.ts';
import { completePane, showPane } from '../../renderer/src/state/workbench.ts';
import { HOME } from '../../renderer/src/state/route.ts';

const A = 'a'.repeat(32);
const B = 'b'.repeat(32);
const pane = () => useApp.getState().snapshotsPane;

describe('completing a pane’s address', () => {
  beforeEach(() => useApp.getState().goTo(HOME));

  it('completes the pane still shown, in place', () => {
    showPane(`compare/${B}`);
    completePane(`compare/${B}`, `compare/${A}/${B}`);
    expect(pane()).toBe(`compare/${A}/${B}`);
  });

  it('leaves the board the analyst went to when the comparison completes after', () => {
    showPane(`compare/${B}`);
    // The address read (a link, Back): the board.
    useApp.getState().goTo({ ...HOME, view: 'snapshots', snapshotsPane: '' });
    completePane(`compare/${B}`, `compare/${A}/${B}`);
    expect(useApp.getState().view).toBe('snapshots');
    expect(pane()).toBe('');
  });

  it('leaves another view, and another history, as they are', () => {
    showPane('history');
    useApp.getState().goTo({ ...HOME, view: 'queue' });
    completePane('history', 'history/SPX');
    expect(useApp.getState().view).toBe('queue');
    showPane('history/SPX');
    completePane('history', 'history/QQQ');
    expect(pane()).toBe('history/SPX');
  });
});
