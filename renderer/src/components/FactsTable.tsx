// The facts a decision was made from, one a line: the given ones, then those the
// rule set derived from them, then those not known at arrival, with why (`unknownNote`:
// by default the rules decided before the file was read, whatever they would have been).
import { factValue } from '../text/fact-value.ts';

export function FactsTable({
  facts,
  derived,
  unknown,
  unknownNote = 'not needed: decided before the file was read',
}: {
  facts: Record<string, unknown>;
  derived?: Record<string, unknown> | null;
  unknown?: readonly string[] | null;
  unknownNote?: string;
}) {
  const rows = [
    ...Object.entries(facts).map(([k, v]) => ({ k, v, derived: false, note: '' })),
    ...Object.entries(derived ?? {}).map(([k, v]) => ({ k, v, derived: true, note: '' })),
    ...(unknown ?? [])
      .filter((k) => !(k in facts))
      .map((k) => ({
        k,
        v: undefined,
        derived: false,
        note: unknownNote,
      })),
  ];
  return (
    <table className="grid-table facts-table">
      <thead>
        <tr>
          <th scope="col">Fact</th>
          <th scope="col">Value</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={`${r.derived ? 'd' : 'g'}-${r.k}`}>
            <td className="mono">
              {r.k}
              {r.derived && <span className="muted"> (derived)</span>}
            </td>
            <td className={r.note ? 'muted' : 'mono'}>{r.note || factValue(r.k, r.v)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
