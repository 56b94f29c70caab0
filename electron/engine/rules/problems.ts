// What is wrong with a rule file, placed by its path in the JSON document (check.ts
// turns the path into a line and column). Collected by every pass of the compiler
// and by the analysis, so that one `rules check` reports every problem at once.

/** A place in a JSON document: object keys and array indexes from the root. */
export type JsonPath = readonly (string | number)[];

export type Problem = {
  path: JsonPath;
  code: string;
  message: string;
  severity: 'error' | 'warning';
  /** Placed at the key rather than at the value (an unknown fact's name). */
  atKey?: boolean;
};

export type Report = (
  path: JsonPath,
  code: string,
  message: string,
  atKey?: boolean,
  severity?: 'error' | 'warning',
) => void;

/** A problem list and the function that adds to it. */
export const collectProblems = (): { problems: Problem[]; report: Report } => {
  const problems: Problem[] = [];
  const report: Report = (path, code, message, atKey = false, severity = 'error') =>
    problems.push({ path, code, message, severity, atKey });
  return { problems, report };
};
