// The preload is bundled whole into the sandboxed page's process, so every value it
// imports ends up in its bundle (importing shared/api.ts for two channel names once
// made it 202 KB of zod). This follows the preload's value imports (type-only imports
// vanish in the build) through the repo's own files and fails on any package but
// `electron`. `.ci/run` checks the built bundle's size as well; this test builds nothing.
import { readFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const PRELOAD = resolve(ROOT, 'electron/preload/index.ts');

/** The specifiers a file imports or re-exports as values (type-only ones left out). */
function valueImports(file: string): string[] {
  const src = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const out: string[] = [];
  for (const st of src.statements) {
    if (ts.isImportDeclaration(st)) {
      const clause = st.importClause;
      const typeOnly =
        clause !== undefined &&
        (clause.isTypeOnly ||
          (clause.name === undefined &&
            clause.namedBindings !== undefined &&
            ts.isNamedImports(clause.namedBindings) &&
            clause.namedBindings.elements.length > 0 &&
            clause.namedBindings.elements.every((e) => e.isTypeOnly)));
      if (!typeOnly) out.push((st.moduleSpecifier as ts.StringLiteral).text);
    } else if (ts.isExportDeclaration(st) && st.moduleSpecifier && !st.isTypeOnly) {
      out.push((st.moduleSpecifier as ts.StringLiteral).text);
    }
  }
  return out;
}

/** Every file and package the preload reaches through value imports. */
function reach(entry: string): { files: string[]; packages: string[] } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string): void => {
    if (files.has(file)) return;
    files.add(file);
    for (const spec of valueImports(file)) {
      if (spec.startsWith('.')) visit(resolve(dirname(file), spec));
      else packages.add(spec);
    }
  };
  visit(entry);
  return {
    files: [...files].map((f) => relative(ROOT, f)).sort(),
    packages: [...packages].sort(),
  };
}

describe('the preload bundle stays dependency-free', () => {
  it('reaches no package but electron, and only dependency-free shared modules', () => {
    const { files, packages } = reach(PRELOAD);
    expect(packages).toEqual(['electron']);
    expect(files).toEqual(['electron/preload/index.ts', 'shared/channels.ts']);
  });

  it('sees a value import where there is one (the check can fail)', () => {
    // shared/api.ts imports zod as a value: were the preload to import it, the test above
    // would see zod among the packages.
    expect(reach(resolve(ROOT, 'shared/api.ts')).packages).toContain('zod');
  });
});
