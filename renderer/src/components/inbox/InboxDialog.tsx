// The inbox from the app: the watched folder and its processing/, done/ and failed/
// folders with how many files each holds, each one openable (the desktop app opens it in
// the file manager; a browser tab can only copy its path), and choosing another folder:
// the desktop's native picker or a typed path, checked by the engine (inbox:set), whose
// refusal is shown as it says it, and the files left untaken in the folder watched before
// (the dialog stays open to say so). The browser host takes no paths, so there the dialog
// says where the folder is chosen instead.
import { useEffect, useState } from 'react';
import type { FailedNotes as Notes, InboxStatus } from '../../../../shared/api.ts';
import type { AppError } from '../../../../shared/result.ts';
import { useApp } from '../../state/store.ts';
import { useInbox } from '../../state/inbox.ts';
import { int } from '../../text/numbers.ts';
import { localStamp } from '../../text/time.ts';
import { failedSplit, heldText, plural } from '../../text/words.ts';
import { leftBehindDetail } from '../../../../shared/left-behind.ts';
import { ErrorLine } from '../common.tsx';
import { Modal } from '../Modal.tsx';
import { visible } from '../../../../shared/visible.ts';

type FolderKey = 'dir' | 'processing' | 'done' | 'failed';
const FOLDERS: { key: FolderKey; label: string; hint: string }[] = [
  {
    key: 'dir',
    label: 'Inbox',
    hint: 'Drop option-chain files (or folders of them) here; the count is those not taken yet',
  },
  { key: 'processing', label: 'Processing', hint: 'Files being ingested now' },
  { key: 'done', label: 'Done', hint: 'Files whose snapshot is stored' },
  { key: 'failed', label: 'Failed', hint: 'Files that failed, each with a .reason.txt' },
];
/** The inbox's own row counts the files dropped in and not taken yet. */
const countOf = (s: InboxStatus, k: FolderKey): number =>
  k === 'dir' ? s.counts.waiting : s.counts[k];

function FolderRow({
  s,
  k,
  label,
  hint,
}: {
  s: InboxStatus;
  k: FolderKey;
  label: string;
  hint: string;
}) {
  const client = useApp((st) => st.client);
  const [note, setNote] = useState<AppError | string | null>(null);
  const path = s[k];
  const count = countOf(s, k);
  const open = async () => {
    if (client?.folders) {
      const res = await client.folders.open(path);
      setNote(res.ok ? null : res.error);
    } else {
      try {
        await navigator.clipboard.writeText(path);
        setNote('Path copied');
      } catch {
        setNote('Select the path to copy it');
      }
    }
  };
  return (
    <tr data-testid={`inbox-folder-${k}`}>
      <th scope="row" title={hint}>
        {label}
      </th>
      <td className="num" data-testid={`inbox-count-${k}`}>
        {/* Never read while its folder answered: unknown, not 0 (QA sv F2). */}
        {s.counts_as_of === null ? (
          <span title="Not counted: the folder does not answer">
            —<span className="sr-only"> unknown</span>
          </span>
        ) : (
          int(count)
        )}
        {k === 'failed' && (s.refused.count > 0 || s.changed.count > 0) && (
          <div className="muted small" data-testid="inbox-failed-split">
            {failedSplit(s)}
          </div>
        )}
      </td>
      <td className="mono path-cell">{path}</td>
      <td className="actions">
        <button
          className="btn tiny"
          aria-label={`${client?.folders ? 'Open' : 'Copy path of'} the ${label.toLowerCase()} folder`}
          onClick={() => void open()}
        >
          {client?.folders ? 'Open' : 'Copy path'}
        </button>
        {note &&
          (typeof note === 'string' ? (
            <span className="muted small" role="status">
              {' '}
              {note}
            </span>
          ) : (
            <ErrorLine error={note} compact />
          ))}
      </td>
    </tr>
  );
}

function ChangeFolder({ s, onDone }: { s: InboxStatus; onDone(): void }) {
  const client = useApp((st) => st.client);
  const change = useInbox((st) => st.change);
  const [dir, setDir] = useState(s.dir);
  const [error, setError] = useState<AppError | null>(null);
  const [busy, setBusy] = useState(false);
  if (!client?.folders)
    return (
      <p className="muted" data-testid="inbox-browser-note">
        A browser tab cannot choose a folder on the engine’s machine (the browser host takes no
        paths). Choose it in the desktop app, or with <code>gex-desk inbox set FOLDER</code> beside
        this engine; the choice is kept in <code className="mono">{s.config_file}</code> and shows
        here at once.
      </p>
    );
  const submit = async (takeExisting = false) => {
    if (!dir.trim() || busy) return;
    setBusy(true);
    const e = await change(client, dir.trim(), takeExisting);
    setBusy(false);
    setError(e);
    // Files left in the previous folder are said in the dialog: it stays open to say it.
    if (!e && !useInbox.getState().status?.left_behind) onDone();
  };
  return (
    <form
      className="form-grid"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <label htmlFor="inbox-dir">Watch another folder</label>
      <div className="inbox-pick">
        <input
          id="inbox-dir"
          className="mono"
          value={dir}
          spellCheck={false}
          aria-invalid={!!error}
          onChange={(e) => {
            setDir(e.target.value);
            setError(null);
          }}
        />
        <button
          type="button"
          className="btn"
          onClick={async () => {
            const res = await client.folders!.choose(dir);
            if (!res.ok) setError(res.error);
            else if (res.value) setDir(res.value);
          }}
        >
          Choose…
        </button>
      </div>
      {error && (
        <div className="form-error" role="alert">
          <ErrorLine error={error} />
          {/* The folder already holds files: taken only when the analyst says so. */}
          {error.field === 'take_existing' && (
            <button
              type="button"
              className="btn"
              data-testid="inbox-take-existing"
              onClick={() => void submit(true)}
            >
              Take them and watch this folder
            </button>
          )}
        </div>
      )}
      <div className="modal-actions">
        <span className="muted small">Kept in {s.config_file}</span>
        <button
          type="submit"
          className="btn primary"
          disabled={busy || !dir.trim() || dir.trim() === s.dir}
        >
          Watch this folder
        </button>
      </div>
    </form>
  );
}

/** A list of files lying in failed/ beside their notes: the newest few, each with its reason. */
function FailedNotes(p: {
  kind: 'refused' | 'changed';
  title: string;
  about: string;
  count: number;
  recent: Notes['recent'];
}) {
  if (!p.count) return null;
  return (
    <section
      className="inbox-refused"
      data-testid={`inbox-${p.kind}`}
      aria-labelledby={`inbox-${p.kind}-title`}
    >
      <h3 id={`inbox-${p.kind}-title`} className="small">
        {p.title}: {plural(p.count, 'file')}
        {p.count > p.recent.length && (
          <span className="muted"> (the newest {int(p.recent.length)})</span>
        )}
      </h3>
      <p className="muted small">{p.about}</p>
      <ul className="refused-list">
        {p.recent.map((r) => (
          <li key={r.file} data-testid={`inbox-${p.kind}-file`}>
            <span className="mono path-cell">failed/{visible(r.file)}</span>{' '}
            <span className="muted small">{localStamp(r.at)}</span>
            <div className="refused-reason">{r.reason}</div>
          </li>
        ))}
      </ul>
    </section>
  );
}

/**
 * The failed files the inbox refused itself (no job: the Queue does not list them), the
 * newest few with the reason from each note, readable in a browser tab too.
 */
function Refused({ s }: { s: InboxStatus }) {
  return (
    <FailedNotes
      kind="refused"
      title="Refused by the inbox"
      about="Not taken as jobs, so the Queue does not list them: each lies in failed/ beside its .reason.txt. Fix what it says and drop it in again."
      {...s.refused}
    />
  );
}

/**
 * The failed files changed in processing/ after they were taken: their jobs completed on the
 * bytes taken (the Queue's Failed tab does not list them), each with its note's reason.
 */
function Changed({ s }: { s: InboxStatus }) {
  return (
    <FailedNotes
      kind="changed"
      title="Changed after they were taken"
      about="Each was emptied or overwritten in processing/ after the inbox took it: its job completed on the bytes taken, and the file, which no longer holds them, lies in failed/ beside its .reason.txt."
      {...s.changed}
    />
  );
}

/** What the inbox does with files put in it now, and, while it does not answer, how old its counts are. */
function watchingText(s: InboxStatus): string {
  if (!s.watching) return 'No engine watches this folder now.';
  if (s.problem_code !== 'NOT_ANSWERING')
    return 'Files put in the inbox are ingested as they arrive, then moved to done or failed.';
  const counted =
    s.counts_as_of == null
      ? 'Its files cannot be counted until then.'
      : `The files below were counted at ${localStamp(s.counts_as_of)}, the last time it answered.`;
  return `Nothing is taken from the inbox while it does not answer: files put in it are ingested once it answers again. ${counted}`;
}

/** How often the dialog asks again while files lie in the folder watched before (unwatched). */
const LEFT_BEHIND_EVERY_MS = 2000;

export function InboxDialog({ onClose }: { onClose(): void }) {
  const status = useInbox((s) => s.status);
  const error = useInbox((s) => s.error);
  const client = useApp((st) => st.client);
  const leftBehind = status?.left_behind != null;
  const leftDetail = status?.left_behind ? leftBehindDetail(status.left_behind) : null;
  // No event says that a file left the folder watched before: asked at opening, and
  // again while the note about its files is shown.
  useEffect(() => {
    if (!client) return;
    void useInbox.getState().refresh(client);
    if (!leftBehind) return;
    const t = setInterval(() => void useInbox.getState().refresh(client), LEFT_BEHIND_EVERY_MS);
    return () => clearInterval(t);
  }, [client, leftBehind]);
  return (
    <Modal title="Inbox" onClose={onClose} wide testId="inbox-dialog">
      {error && <ErrorLine error={error} />}
      {status && (
        <>
          {status.problem && (
            <p className="banner error inbox-note" role="alert" data-testid="inbox-problem">
              {status.problem}
            </p>
          )}
          <p className="muted" data-testid="inbox-watching">
            {watchingText(status)}
          </p>
          <table className="grid-table inbox-folders" aria-label="Inbox folders">
            <thead>
              <tr>
                <th scope="col">Folder</th>
                <th scope="col" className="right">
                  Files
                </th>
                <th scope="col">Path</th>
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {FOLDERS.map((f) => (
                <FolderRow key={f.key} s={status} k={f.key} label={f.label} hint={f.hint} />
              ))}
            </tbody>
          </table>
          <Refused s={status} />
          <Changed s={status} />
          {status.held && (
            <p className="banner paused inbox-note" role="status" data-testid="inbox-held">
              {heldText(status.held, localStamp(status.held.retry_at))}
            </p>
          )}
          {status.left_behind && (
            <p className="banner paused inbox-note" role="status" data-testid="inbox-left">
              {plural(status.left_behind.count, 'file')} still in the previous inbox,{' '}
              <span className="mono">{status.left_behind.dir}</span>: not taken before the change,
              and not taken now. Move {status.left_behind.count === 1 ? 'it' : 'them'} into this
              folder to ingest {status.left_behind.count === 1 ? 'it' : 'them'}.
              {leftDetail && ` ${leftDetail[0]!.toUpperCase()}${leftDetail.slice(1)}.`}
            </p>
          )}
          <ChangeFolder s={status} onDone={onClose} />
        </>
      )}
      <div className="modal-actions">
        <button className="btn" onClick={onClose}>
          Close
        </button>
      </div>
    </Modal>
  );
}
