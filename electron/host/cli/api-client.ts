// What every command is written against: the API map of shared/api.ts, the same one the
// UI holds (`call(name, request)` → Result, `on(event, listener)`). A command gets either
// the handlers of an engine it started in its own process, or the client of the engine
// already running on its database (the desktop app, `gex-desk serve`); it cannot tell
// them apart, and so answers the same either way. Types only: loads nothing.
import type { GexApi } from '../../../shared/api.ts';
import type { AppError } from '../../../shared/result.ts';

export interface ApiClient extends GexApi {
  /** `in-process`: this command opened the database; `running-engine`: an engine's local endpoint answers. */
  readonly where: 'in-process' | 'running-engine';
  /** The running engine's process (`running-engine` only): whether it has ended after it went away. */
  readonly enginePid?: number;
  /**
   * Told once if the engine goes away while events are awaited (the running engine quit
   * or crashed; an in-process engine never does): nothing more will be heard.
   */
  onLost(listener: (error: AppError) => void): void;
  /**
   * Whether a call's error is the engine going away (its endpoint stopped answering), not
   * an answer of the engine's own (which may also be IO: a full disk). Only a running
   * engine's client has it.
   */
  wentAway?(error: AppError): boolean;
}
