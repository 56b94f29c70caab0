// A WHERE clause made of the conditions a listing was asked for (an underlying, a status,
// a page's `after`), each with its parameter numbered after those given first (LIMIT $1).
import type { Params } from './db.ts';

export class Filters {
  #params: unknown[];
  #conditions: string[] = [];

  constructor(...first: unknown[]) {
    this.#params = first;
  }

  /** `condition` with `?` where its parameter goes. */
  add(condition: string, value: unknown): this {
    this.#conditions.push(condition.replace('?', `$${this.#params.push(value)}`));
    return this;
  }

  get where(): string {
    return this.#conditions.length ? `WHERE ${this.#conditions.join(' AND ')}` : '';
  }

  get values(): Params {
    return this.#params as Params;
  }
}
