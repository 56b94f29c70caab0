// The signals that ask a command to stop: Ctrl-C (SIGINT), a kill or a service manager
// (SIGTERM), and the terminal going away (SIGHUP: an ssh session dropped, a terminal
// window closed; on Windows, its console window closed). A command with an engine of its
// own stops on any of them as the app does — running jobs finish, the database is
// checkpointed and let go — instead of dying mid-write.
const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/**
 * Calls `stop` on the first stop signal, once: a second one ends the process at once, as
 * signals do (Ctrl-C twice when the orderly stop takes too long). Returns what takes the
 * handler off again.
 */
export function onStopSignal(stop: () => void): () => void {
  const off = () => {
    for (const s of STOP_SIGNALS) process.off(s, first);
  };
  const first = () => {
    off();
    stop();
  };
  for (const s of STOP_SIGNALS) process.on(s, first);
  return off;
}
