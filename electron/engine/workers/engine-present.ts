// Whether the engine that started this worker is still there, asked before the worker
// publishes a file. Once the chain is read a run is synchronous (nodejs-polars) up to and
// through its Parquet files, so the 'disconnect' that follows the engine's death — even
// by SIGKILL — reaches the worker only after it has written them. An engine started again
// meanwhile runs the same job once more and, finding a duplicate, removes its files; the
// orphan's late write then left a file of no snapshot in the data folder for good (CI,
// tests/system/crash-loop.test.ts; tests/system/orphan-worker.test.ts).

/** One turn of the event loop with a poll in it: a closed IPC channel is noticed there. */
const pollOnce = (): Promise<void> =>
  new Promise((resolve) => setImmediate(() => setImmediate(resolve)));

/**
 * Lets the loop notice a gone engine (the worker's 'disconnect' handler then ends the
 * process), and says whether the channel to it is still open. A process without a
 * channel (a run in the engine's own process, Electron's utility process, which its
 * parent's death ends) has no one else to ask: true.
 */
export async function enginePresent(): Promise<boolean> {
  await pollOnce();
  return process.send === undefined || process.connected;
}
