// The PNG and CSV buttons every chart has, named for the chart they export, kept together
// (a header that wraps moves them as one).
export function ExportButtons(props: {
  label: string;
  testId: string;
  png: () => void;
  csv: () => void;
}) {
  return (
    <span className="export-buttons">
      <button
        className="btn small ghost"
        onClick={props.png}
        aria-label={`Export ${props.label} as PNG`}
      >
        PNG
      </button>
      <button
        className="btn small ghost"
        onClick={props.csv}
        aria-label={`Export ${props.label} as CSV`}
        data-testid={`${props.testId}-csv`}
      >
        CSV
      </button>
    </span>
  );
}
