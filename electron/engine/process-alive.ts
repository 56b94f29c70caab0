// Whether a process still exists, for what a process leaves behind it (a discovery file,
// a warm-up folder): the next one may remove what a dead one left. Plain Node.

/** Whether a process with this id exists (EPERM: it does, and is another user's). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
