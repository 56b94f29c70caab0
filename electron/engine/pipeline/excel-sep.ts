// Excel's `sep=,` first line: a hint some tools write above a CSV file's header "for
// Excel", telling it which character separates the columns (Excel reads and hides it). It
// is no header and no data: above a header whose columns the comma separates it is
// skipped, and one naming another separator than the header's is refused, saying so
// (detect-format.ts), since the file then says two different things.

/** The separator a `sep=X` line names (`sep=,`, `"sep=;"`, any case, Excel's empty cells after it); else null. */
export function excelSepHint(line: string): string | null {
  const m = /^\s*"?sep=([^\s"])"?,*\s*$/i.exec(line.replace(/^\uFEFF/, ''));
  return m ? m[1]! : null;
}

/** What a separator is called in a message. */
export function separatorName(sep: string): string {
  return sep === ','
    ? 'commas'
    : sep === ';'
      ? 'semicolons'
      : sep === '\t'
        ? 'tabs'
        : sep === '|'
          ? 'vertical bars'
          : `"${sep}"`;
}
