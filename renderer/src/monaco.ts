// Monaco, bundled locally (never from a CDN): the editor core, its standard editor
// features, the JSON language, and both workers built by Vite as same-origin
// module workers, which the CSP's worker-src 'self' allows.
import * as monaco from 'monaco-editor/editor/editor.api';
import 'monaco-editor/features/register.all';
import { jsonDefaults } from 'monaco-editor/languages/features/json/register';
import EditorWorker from 'monaco-editor/editor/editor.worker?worker';
import JsonWorker from 'monaco-editor/languages/features/json/json.worker?worker';

self.MonacoEnvironment = {
  getWorker(_id: string, label: string) {
    return label === 'json' ? new JsonWorker() : new EditorWorker();
  },
};

monaco.editor.defineTheme('gex-dark', {
  base: 'vs-dark',
  inherit: true,
  rules: [],
  colors: {
    'editor.background': '#0f1318',
    'editorGutter.background': '#0f1318',
    'editor.lineHighlightBackground': '#161c24',
    // The final line's number, dimmed when the text ends with a newline: still readable.
    'editorLineNumber.dimmedForeground': '#8a94a2',
  },
});

export { monaco, jsonDefaults };
