// A shutdown has one deadline: what it waits for (the inbox's last submissions, requests
// under way) it waits for only until then.

/** Resolves once `work` has settled, or at `deadlineMs` (epoch ms), whichever is first. */
export async function settledBy(work: Promise<unknown>, deadlineMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<void>((resolve) => {
    if (deadlineMs !== Infinity) timer = setTimeout(resolve, Math.max(0, deadlineMs - Date.now()));
  });
  await Promise.race([work.then(noop, noop), deadline]);
  clearTimeout(timer);
}

const noop = (): void => undefined;
