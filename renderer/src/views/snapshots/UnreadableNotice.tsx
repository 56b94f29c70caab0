// The files of attached export folders that could not be read (`unreadable` in the answers
// of snapshots:levels and snapshots:history: a copy still arriving, a damaged one, one this
// user may not read). Each hides only its own snapshot: the views show the others, and this
// notice names each file by its whole path with what was wrong, without blocking anything.
// So too an attached folder nothing is read from (`not_exports`): one that could not be
// read at all (a share not mounted, a folder renamed: `cannot_read`) hides only what it
// holds, this desk's rows and the other folders' shown below; one that holds no export.
import type { AttachedFolderProblem, UnreadableFile } from '../../../../shared/api.ts';

/** The files of several answers, each once, by path. */
export function unreadableOf(...lists: (UnreadableFile[] | undefined)[]): UnreadableFile[] {
  const byPath = new Map(lists.flatMap((l) => l ?? []).map((f) => [f.path, f]));
  return [...byPath.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

export function UnreadableNotice({
  files,
  folders = [],
}: {
  files: UnreadableFile[];
  /** Attached folders nothing is read from (not_exports): gone or unreadable, or holding no export. */
  folders?: AttachedFolderProblem[];
}) {
  // Always in the page, so that what is written into it is read out.
  const shown = files.length > 0 || folders.length > 0;
  const unread = folders.filter((f) => f.cannot_read);
  const notExports = folders.filter((f) => !f.cannot_read);
  return (
    <div
      role="status"
      className={shown ? 'banner paused unreadable-notice' : 'sr-only'}
      data-testid="unreadable-notice"
    >
      {unread.length > 0 && (
        <>
          <p className="unreadable-title">
            {unread.length === 1
              ? "An attached folder could not be read: its snapshots are left out, this desk's and the other folders' are shown."
              : `${unread.length} attached folders could not be read: their snapshots are left out, this desk's and the other folders' are shown.`}
          </p>
          <ul className="unreadable-files" aria-label="Attached folders that could not be read">
            {unread.map((f) => (
              <li key={f.path} data-testid="unread-folder">
                <code className="unreadable-path">{f.path}</code>{' '}
                <span className="unreadable-message">{f.message}</span>
              </li>
            ))}
          </ul>
        </>
      )}
      {notExports.length > 0 && (
        <>
          <p className="unreadable-title">
            {notExports.length === 1
              ? 'An attached folder is not an export folder: no snapshot is read from it.'
              : `${notExports.length} attached folders are not export folders: no snapshot is read from them.`}{' '}
            Change <code>attach</code> in config.json.
          </p>
          <ul className="unreadable-files" aria-label="Attached folders that hold no export">
            {notExports.map((f) => (
              <li key={f.path} data-testid="not-export-folder">
                <code className="unreadable-path">{f.path}</code>{' '}
                <span className="unreadable-message">{f.message}</span>
              </li>
            ))}
          </ul>
        </>
      )}
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
