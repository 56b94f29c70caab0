// The export folders a running engine attaches, as config.json says now. The engine reads
// its configuration once, at its start, but an analyst edits `attach` while the app or
// `serve` runs: a command beside the engine (levels, history, snapshot, diff, export) and
// the app's views must answer over the folders the file names now, as the same command
// with no engine does (CONTRACTS.md: "the same output"). The file is small: it is read
// again at each call that reads snapshots and parsed again only when its text changed. A
// file that no longer parses is the error a command without the engine would give.
import { readFileSync } from 'node:fs';
import { ok, type Result } from '../../shared/result.ts';
import { loadConfig, type Config } from './config.ts';

/**
 * `attach` of the config file as it is now, then `extra` (the engine's own `--attach`).
 * `started` is the configuration the engine started with (its text is the first known).
 */
export function configuredAttach(
  started: Pick<Config, 'configFile' | 'attach'>,
  extra: string[] = [],
  env: NodeJS.ProcessEnv = process.env,
): () => Result<string[]> {
  const textOf = (): string | null => {
    try {
      return readFileSync(started.configFile, 'utf8');
    } catch {
      return null; // no file: no configured folder (as loadConfig has it)
    }
  };
  let text = textOf();
  let known: Result<string[]> = ok(started.attach);
  return () => {
    const now = textOf();
    if (now === text) return known;
    text = now;
    const cfg = loadConfig({ configFile: started.configFile, attach: extra }, env);
    known = cfg.ok ? ok(cfg.value.attach) : cfg;
    return known;
  };
}
