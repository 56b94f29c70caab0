// Which jobs the engine's own process is working on (storing a run's result: DuckDB
// importing its Parquet hand-off), marked by a file that exists only meanwhile. A job
// whose marker is still there at the next start was in the engine's hands when the
// engine died: it may be what killed it, so it counts towards being set aside (see
// transitions.ts). A job interrupted anywhere else (waiting, in a worker) was not, and
// is simply run again — so an outside kill (a crash of the machine, a test's SIGKILL)
// does not set good files aside. A second set (`in-run`) marks each job from its run's
// start until its files are stored or removed: what a dead process left of a run that no
// snapshot names is removed at the next start (store/unstored-exports.ts).
import { readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeDirs } from '../make-dirs.ts';

export class EnginePhases {
  readonly #dir: string;

  constructor(dir: string) {
    this.#dir = dir;
    makeDirs(dir);
  }

  enter(jobId: string): void {
    writeFileSync(join(this.#dir, jobId), '');
  }

  leave(jobId: string): void {
    rmSync(join(this.#dir, jobId), { force: true });
  }

  /** The jobs a previous process was working on when it stopped. */
  leftovers(): string[] {
    return readdirSync(this.#dir);
  }

  /** Forgets them, once what they stand for is settled (a kill before leaves them for the next start). */
  forget(ids: readonly string[]): void {
    for (const id of ids) rmSync(join(this.#dir, id), { force: true });
  }
}
