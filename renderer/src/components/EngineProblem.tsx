// Above every view while the engine cannot store anything (its database failed: a full
// disk): the status bar's small red text is easy to miss, and a file dropped meanwhile
// would only fail. The engine's words up to DuckDB's own; those in the tooltip.
import { useApp } from '../state/store.ts';
import { withoutDuckDb } from '../text/clean-error.ts';

export function EngineProblem() {
  const problem = useApp((s) => s.health?.problem);
  if (!problem) return null;
  return (
    <div
      className="banner error engine-problem"
      role="alert"
      data-testid="engine-problem"
      title={problem}
    >
      <b>Nothing can be stored now.</b> <span>{withoutDuckDb(problem)}</span>
    </div>
  );
}
