// The attached export folders the levels board's rows come from, as last loaded
// (use-levels.ts), for the open snapshot's "attached: …" label, which is told apart from
// the other folders shown (text/origin.ts) as the board's Attached from column is: the
// workbench under the board names its folder as the board's row does, without a levels
// call of its own.
import { create } from 'zustand';

export const useShownFolders = create<{ folders: readonly string[] }>(() => ({ folders: [] }));

/** The folders now listed, kept as they were when they did not change (no render for nothing). */
export function showFolders(folders: readonly string[]): void {
  const was = useShownFolders.getState().folders;
  if (was.length !== folders.length || was.some((f, i) => f !== folders[i]))
    useShownFolders.setState({ folders });
}
