// What the inbox tests ask of a running engine: to wait on what is observed (never on a
// timer), its jobs as listed, and its inbox's status.
import type { Engine } from '../../electron/engine/engine.ts';
import type { InboxStatus } from '../../shared/api.ts';
import type { ProcessingJob } from '../../shared/domain.ts';

/** Waits, on what is observed, until `f` holds (no timer decides). */
export async function until(f: () => boolean | Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 100_000;
  while (!(await f())) {
    if (Date.now() > deadline) throw new Error(`never: ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function jobsOf(e: Engine): Promise<ProcessingJob[]> {
  const r = await e.handlers['jobs:list']({ limit: 100 });
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

export async function statusOf(e: Engine): Promise<InboxStatus> {
  const r = await e.handlers['inbox:get']({});
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}
