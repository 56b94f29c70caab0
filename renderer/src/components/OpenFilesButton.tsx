// "Open files": a real file input behind a button, as a new user expects.
import { useRef } from 'react';
import { useSubmissions } from '../state/submissions.ts';
import { useUnreachable } from '../state/reach.ts';

/** The button's id: where the submit dialog gives the focus back when it closes. */
export const OPEN_FILES_ID = 'open-files';

export function OpenFilesButton() {
  const input = useRef<HTMLInputElement>(null);
  const off = useUnreachable();
  return (
    <>
      <button
        id={OPEN_FILES_ID}
        className="btn primary"
        onClick={() => input.current?.click()}
        disabled={off}
        data-testid="open-files"
      >
        Open files…
      </button>
      <input
        ref={input}
        type="file"
        multiple
        hidden
        data-testid="file-input"
        onChange={(e) => {
          const files = Array.from(e.target.files ?? []);
          e.target.value = '';
          useSubmissions.getState().offerFiles(files);
        }}
      />
    </>
  );
}
