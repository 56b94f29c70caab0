// The attached export folders, every one the engine reads (configured, whether it answers
// or not), as the levels board last loaded them (use-levels.ts), for the "attached: …"
// labels outside the board (the open snapshot's header, Compare's choices), which are told
// apart among them (text/origin.ts) as the board's Attached from column is: the workbench
// names a folder as the board's row does, without a levels call of its own, and a folder
// keeps its label while another stops answering.
import { create } from 'zustand';

export const useShownFolders = create<{ folders: readonly string[] }>(() => ({ folders: [] }));

/** The folders now listed, kept as they were when they did not change (no render for nothing). */
export function showFolders(folders: readonly string[]): void {
  const was = useShownFolders.getState().folders;
  if (was.length !== folders.length || was.some((f, i) => f !== folders[i]))
    useShownFolders.setState({ folders });
}
