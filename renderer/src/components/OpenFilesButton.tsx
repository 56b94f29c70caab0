// "Open files": a real file input behind a button, as a new user expects.
import { useRef } from 'react';
import { useSubmissions } from '../state/submissions.ts';

export function OpenFilesButton() {
  const input = useRef<HTMLInputElement>(null);
  return (
    <>
      <button
        className="btn primary"
        onClick={() => input.current?.click()}
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
