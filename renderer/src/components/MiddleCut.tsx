// Text cut in the middle: its head gives way with an ellipsis while its tail stays whole,
// for names that differ at their end — a database path (its file's name), a source
// named `long-source-name-…-7` beside `…-8`, which cut at the end read the same. The
// whole text stays in the page (a screen reader reads it, in one piece) and in the tooltip.
import type { CSSProperties } from 'react';

/** How many characters of a name stay whole at its end. */
export const NAME_TAIL = 12;

/** `text` split before its last `keep` characters (whole code points). */
export function splitTail(text: string, keep = NAME_TAIL): { head: string; tail: string } {
  const chars = Array.from(text);
  const at = Math.max(0, chars.length - keep);
  return { head: chars.slice(0, at).join(''), tail: chars.slice(at).join('') };
}

export function MiddleCut({
  head,
  tail,
  className,
  title,
  style,
}: {
  head: string;
  tail: string;
  className?: string;
  /** The tooltip: the whole text, unless said otherwise. */
  title?: string;
  style?: CSSProperties;
}) {
  return (
    <span
      className={`mid-cut${className ? ` ${className}` : ''}`}
      title={title ?? head + tail}
      style={style}
    >
      {/* Read once, whole: the two parts are blocks (flex items), which a screen reader's
          name would part with a space ("…-tail-" "7"). */}
      <span className="sr-only">{head + tail}</span>
      <span className="mid-head" aria-hidden>
        {head}
      </span>
      <span className="mid-tail" aria-hidden>
        {tail}
      </span>
    </span>
  );
}
