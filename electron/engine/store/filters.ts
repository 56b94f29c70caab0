// A WHERE clause made of the conditions a listing was asked for (an underlying, a status,
// a page's `after`), each with its parameter numbered after those given first (LIMIT $1).
import type { Params } from './db.ts';

export class Filters {
  #params: unknown[];
  #conditions: string[] = [];

  constructor(...first: unknown[]) {
    this.#params = first;
  }

  /** `condition` with a `?` where each of its parameters goes, in order. */
  add(condition: string, ...values: unknown[]): this {
    let at = 0;
    this.#conditions.push(condition.replace(/\?/g, () => `$${this.#params.push(values[at++])}`));
    return this;
  }

  get where(): string {
    return this.#conditions.length ? `WHERE ${this.#conditions.join(' AND ')}` : '';
  }

  get values(): Params {
    return this.#params as Params;
  }
}
