// When a <select> whose choice costs something (Compare's A and B: a comparison run and a
// Back step each) takes what is chosen. A closed select's arrow keys, Home, End and Page
// keys change its value, and fire `change`, at every press: passing through the choices
// ran a comparison and pushed an address for each one passed (QA wb F6). A choice made by
// a key is held, shown in the select, until Enter or leaving it (Escape drops it); one
// made with the mouse, or in the open list, is taken at once. Pure: tests run it in Node.

/** The keys with which a closed select steps through its options. */
const STEP_KEYS = new Set(['ArrowUp', 'ArrowDown', 'Home', 'End', 'PageUp', 'PageDown']);

export class KeyedChoice {
  /** A change is a key's step (set at the key, cleared once its task is over). */
  #stepping = false;
  /** The value held since a key's step, not yet taken. */
  pending: string | null = null;

  /**
   * A key pressed on the closed select: what to take now (Enter), or null. `later`
   * clears the step's mark once the key's change, fired in its task, has been seen.
   */
  keyDown(key: string, later: (f: () => void) => void): string | null {
    if (STEP_KEYS.has(key)) {
      this.#stepping = true;
      later(() => (this.#stepping = false));
      return null;
    }
    if (key === 'Enter') return this.take();
    if (key === 'Escape') this.pending = null;
    return null;
  }

  /** The select's `change`: the value to take now, or null when held (a key's step). */
  change(value: string): string | null {
    if (this.#stepping) {
      this.pending = value;
      return null;
    }
    this.pending = null;
    return value;
  }

  /** The held value, to take now (Enter, leaving the select); null when none is held. */
  take(): string | null {
    const v = this.pending;
    this.pending = null;
    return v;
  }
}
