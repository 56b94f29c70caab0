// A <select> that takes a choice stepped through with the keys only on Enter or on
// leaving it, a mouse choice at once (keyed-choice.ts): Compare's A and B, where each
// choice taken runs a comparison and is a Back step.
import { useRef, useState, type ReactNode } from 'react';
import { KeyedChoice } from './keyed-choice.ts';

export function KeyedSelect(props: {
  value: string;
  onChoose(value: string): void;
  testId: string;
  children: ReactNode;
}) {
  const choice = useRef(new KeyedChoice());
  // The held value, shown in the select until it is taken or dropped.
  const [held, setHeld] = useState<string | null>(null);
  const take = (v: string | null) => {
    setHeld(null);
    if (v !== null && v !== props.value) props.onChoose(v);
  };
  return (
    <select
      value={held ?? props.value}
      onKeyDown={(e) => {
        const v = choice.current.keyDown(e.key, (f) => setTimeout(f, 0));
        if (e.key === 'Enter' || e.key === 'Escape') take(v);
      }}
      onChange={(e) => {
        const v = choice.current.change(e.target.value);
        if (v === null) setHeld(e.target.value);
        else take(v);
      }}
      onBlur={() => take(choice.current.take())}
      data-testid={props.testId}
      data-held={held ?? undefined}
    >
      {props.children}
    </select>
  );
}
