// Is an engine running on this database, and does it answer? Reads the database's
// discovery file (electron/host/local/discovery.ts): none, or one whose process is gone
// or whose endpoint nobody listens on (a crash), means no engine — such a file is
// removed (only while it is still that engine's). A live process whose endpoint does not
// answer in time, or answers for another database or in another protocol, is `silent`:
// it is not used, and if it holds the database the command says so and exits 3.
// The discovery file is looked for in the command's own user folder, then in the one the
// mark beside the database names (db-mark.ts): an engine started with another
// GEX_DESK_HOME or XDG_CONFIG_HOME than the command's is found all the same.
import type { CallResponse } from '../../../shared/api.ts';
import { LOCAL_PROTOCOL } from '../../../shared/channels.ts';
import { envNumberOr } from '../../engine/env.ts';
import type { RemoteApi } from '../local/client.ts';
import type { Discovery } from '../local/discovery.ts';

export type Found =
  /** `health`: its answer to the probe, `engine:health`. */
  | { state: 'live'; client: RemoteApi; health: CallResponse<'engine:health'> }
  | { state: 'silent'; discovery: Discovery; reason: string }
  | { state: 'none' };

/** How long a running engine has to answer its health call (GEX_DESK_CONNECT_TIMEOUT_MS). */
export function connectTimeoutMs(env: NodeJS.ProcessEnv = process.env): number {
  return envNumberOr(env, 'GEX_DESK_CONNECT_TIMEOUT_MS');
}

export async function findEngine(
  home: string,
  dbPath: string,
  timeoutMs = connectTimeoutMs(),
): Promise<Found> {
  const { homesOf } = await import('../local/db-mark.ts');
  let silent: Found | null = null;
  for (const h of homesOf(home, dbPath)) {
    const found = await findIn(h, dbPath, timeoutMs);
    if (found.state === 'live') return found;
    if (found.state === 'silent') silent ??= found;
  }
  return silent ?? { state: 'none' };
}

/** The engine of `dbPath` by the discovery file in the user folder `home`. */
async function findIn(home: string, dbPath: string, timeoutMs: number): Promise<Found> {
  const { canonicalDb, discoveryFile, processAlive, readDiscovery, removeDiscovery } =
    await import('../local/discovery.ts');
  const file = discoveryFile(home, dbPath);
  const d = readDiscovery(file);
  if (!d) return { state: 'none' };
  if (d.protocol !== LOCAL_PROTOCOL)
    return {
      state: 'silent',
      discovery: d,
      reason: `it speaks protocol ${d.protocol} and this command ${LOCAL_PROTOCOL} (another version of GEX Desk)`,
    };
  if (!processAlive(d.pid)) {
    // Its socket file is left to the next engine on this database, which removes it.
    removeDiscovery(file, d);
    return { state: 'none' };
  }
  const { RemoteApi } = await import('../local/client.ts');
  const client = new RemoteApi(d);
  const probe = await client.probe(timeoutMs);
  if (probe.state === 'live' && canonicalDb(probe.health.db_path) === canonicalDb(dbPath))
    return { state: 'live', client, health: probe.health };
  await client.close();
  if (probe.state === 'refused') {
    removeDiscovery(file, d);
    return { state: 'none' };
  }
  return {
    state: 'silent',
    discovery: d,
    reason:
      probe.state === 'live'
        ? `it serves another database (${probe.health.db_path})`
        : probe.reason,
  };
}
