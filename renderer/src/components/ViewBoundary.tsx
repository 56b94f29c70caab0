// A view that fails to load or to render stays in its pane: a lazily loaded view whose
// chunk cannot be fetched (its server stopped, or a build replaced its assets) used to
// unmount the whole UI to a blank page, taking the "cannot be reached" banner and the
// last figures with it. Around each view, it says which view failed and why, and offers
// to try again (once the server answers) or to reload the page; the navigation, the
// banners and the status bar stay.
import { Component, type ReactNode } from 'react';

interface Props {
  /** The view's name as its tab says it ("Rules"). */
  label: string;
  /** Called before trying again: a lazily loaded view makes a fresh import. */
  onRetry?: () => void;
  children: ReactNode;
}

interface State {
  error: Error | null;
}

/** A chunk (or its CSS) that could not be fetched, as Vite and browsers word it. */
export const isLoadFailure = (e: Error): boolean =>
  /preload CSS|dynamically imported module|Importing a module script failed|error loading dynamically imported|Failed to fetch/i.test(
    e.message,
  );

export class ViewBoundary extends Component<Props, State> {
  override state: State = { error: null };

  static getDerivedStateFromError(error: unknown): State {
    return { error: error instanceof Error ? error : new Error(String(error)) };
  }

  override render(): ReactNode {
    const { error } = this.state;
    if (!error) return this.props.children;
    const { label, onRetry } = this.props;
    const load = isLoadFailure(error);
    return (
      <section
        className="view-failed"
        role="alert"
        aria-labelledby="view-failed-title"
        data-testid="view-failed"
      >
        <h2 id="view-failed-title">
          {load ? `The ${label} view could not be loaded` : `The ${label} view failed`}
        </h2>
        <p>
          {load
            ? 'Its code did not arrive from GEX Desk: the server may have stopped or restarted. The other views still show what they had.'
            : 'Something in it went wrong while it was shown. The other views still work.'}
        </p>
        <p className="muted" data-testid="view-failed-detail">
          {error.message.slice(0, 300)}
        </p>
        <div className="view-failed-actions">
          <button
            type="button"
            className="btn primary"
            onClick={() => {
              onRetry?.();
              this.setState({ error: null });
            }}
          >
            Try again
          </button>
          <button type="button" className="btn" onClick={() => location.reload()}>
            Reload the page
          </button>
        </div>
      </section>
    );
  }
}
