// The Monaco editor of the rules: the draft (editable) or an old version
// (read-only), the engine's diagnostics under it (click to go to one), and the
// keyboard hint: Tab indents here, Ctrl+M makes Tab move focus instead.
import { useEffect, useLayoutEffect, useRef, useState, type MutableRefObject } from 'react';
import type { Diagnostic } from '../../../../shared/api.ts';
import { monaco } from '../../monaco.ts';

export function RuleEditor({
  model,
  readOnly,
  diagnostics,
  earlier = null,
  focusRef,
}: {
  model: monaco.editor.ITextModel;
  readOnly: boolean;
  diagnostics: Diagnostic[];
  /**
   * When `diagnostics` are of an earlier text (the draft was edited since its last check):
   * the note said above them, which are shown apart as not current.
   */
  earlier?: string | null;
  /** Set to a function that puts the focus in the editor (for the view's dialogs). */
  focusRef?: MutableRefObject<() => void>;
}) {
  const host = useRef<HTMLDivElement>(null);
  const editor = useRef<monaco.editor.IStandaloneCodeEditor | null>(null);
  const [tabMoves, setTabMoves] = useState(false);

  // A layout effect: the editor is disposed before React takes its box out of the page.
  useLayoutEffect(() => {
    if (!host.current) return;
    const ed = monaco.editor.create(host.current, {
      model: null,
      theme: 'gex-dark',
      automaticLayout: true,
      minimap: { enabled: false },
      fontSize: 13,
      lineHeight: 19,
      scrollBeyondLastLine: false,
      tabSize: 2,
      renderLineHighlight: 'line',
      fixedOverflowWidgets: true,
      wordWrap: 'on',
      wrappingIndent: 'indent',
      stickyScroll: { enabled: false },
      ariaLabel: 'Rule set, JSON. Tab indents; press Control+M to make Tab move the focus instead.',
    });
    editor.current = ed;
    // Monaco's own Ctrl+M (Mac: Ctrl+Shift+M) switches what Tab does; the hint follows it.
    const keys = ed.onKeyDown((e) => {
      const mac = navigator.platform.startsWith('Mac');
      if (
        e.keyCode === monaco.KeyCode.KeyM &&
        e.ctrlKey &&
        !e.altKey &&
        (mac ? e.shiftKey : !e.shiftKey)
      )
        setTabMoves((v) => !v);
    });
    // The diagnostics list appearing under the editor makes it shorter: keep the cursor in sight.
    const layout = ed.onDidLayoutChange(() => {
      const at = ed.getPosition();
      if (at && ed.hasTextFocus()) ed.revealPosition(at, monaco.editor.ScrollType.Immediate);
    });
    return () => {
      layout.dispose();
      keys.dispose();
      ed.dispose();
      editor.current = null;
    };
  }, []);

  useEffect(() => {
    if (!focusRef) return;
    focusRef.current = () => editor.current?.focus();
    return () => {
      focusRef.current = () => {};
    };
  }, [focusRef]);

  useEffect(() => {
    const ed = editor.current;
    if (!ed) return;
    if (ed.getModel() !== model) ed.setModel(model);
    ed.updateOptions({
      readOnly,
      readOnlyMessage: {
        value: 'An old version opens read-only: roll back to it, or go back to your draft to edit.',
      },
    });
  }, [model, readOnly]);

  const goTo = (d: Diagnostic) => {
    const ed = editor.current;
    if (!ed) return;
    ed.revealLineInCenter(d.line);
    ed.setPosition({ lineNumber: d.line, column: d.column });
    ed.focus();
  };

  return (
    <div className="editor-col">
      <div className="editor-host" ref={host} data-testid="rules-editor" />
      <p className="editor-hint" data-testid="tab-hint">
        {tabMoves ? (
          <>
            <kbd>Tab</kbd> moves the focus out of the editor. <kbd>Ctrl</kbd>+<kbd>M</kbd> makes it
            indent again.
          </>
        ) : (
          <>
            <kbd>Tab</kbd> indents in the editor. Press <kbd>Ctrl</kbd>+<kbd>M</kbd> (Mac:{' '}
            <kbd>⌃</kbd>
            <kbd>⇧</kbd>
            <kbd>M</kbd>) to make <kbd>Tab</kbd> move the focus instead.
          </>
        )}
      </p>
      {!readOnly && diagnostics.length > 0 && earlier && (
        <p className="diagnostics-earlier" data-testid="diagnostics-earlier">
          {earlier}
        </p>
      )}
      {!readOnly && diagnostics.length > 0 && (
        <ul
          className={`diagnostics${earlier ? ' earlier' : ''}`}
          aria-label={
            earlier ? 'Problems in the rules before your last edit' : 'Problems in the rules'
          }
          data-earlier={earlier ? 'true' : 'false'}
        >
          {diagnostics.map((d, i) => (
            <li key={i} className={d.severity}>
              <button className="diag" onClick={() => goTo(d)}>
                <span className="num">
                  {d.line}:{d.column}
                </span>
                <span className="error-code">{d.code}</span>
                <span>{d.message}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
