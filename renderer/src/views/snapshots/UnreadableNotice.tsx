// The files of attached export folders that could not be read (`unreadable` in the answers
// of snapshots:levels and snapshots:history: a copy still arriving, a damaged one, one this
// user may not read). Each hides only its own snapshot: the views show the others, and this
// notice names each file by its whole path with what was wrong, without blocking anything.
import type { UnreadableFile } from '../../../../shared/api.ts';

/** The files of several answers, each once, by path. */
export function unreadableOf(...lists: (UnreadableFile[] | undefined)[]): UnreadableFile[] {
  const byPath = new Map(lists.flatMap((l) => l ?? []).map((f) => [f.path, f]));
  return [...byPath.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

export function UnreadableNotice({ files }: { files: UnreadableFile[] }) {
  // Always in the page, so that what is written into it is read out.
  return (
    <div
      role="status"
      className={files.length > 0 ? 'banner paused unreadable-notice' : 'sr-only'}
      data-testid="unreadable-notice"
    >
      {files.length > 0 && (
        <>
          <p className="unreadable-title">
            {files.length === 1
              ? 'A file of an attached export folder could not be read: its snapshot is left out, the others are shown.'
              : `${files.length} files of attached export folders could not be read: their snapshots are left out, the others are shown.`}
          </p>
          <ul
            className="unreadable-files"
            aria-label="Files that could not be read"
            // Several may run past its box, which scrolls: the keyboard must reach it.
            tabIndex={files.length > 1 ? 0 : undefined}
          >
            {files.map((f) => (
              <li key={f.path} data-testid="unreadable-file">
                <code className="unreadable-path">{f.path}</code>{' '}
                <span className="unreadable-message">{f.message}</span>
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}
