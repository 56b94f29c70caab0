// Listening on both loopback addresses, the same port. A browser opening
// `localhost:PORT` may try ::1 before 127.0.0.1 and takes the first that answers, so a
// host on 127.0.0.1 alone leaves [::1]:PORT to any other local user, whose listener would
// get the page request with its `?token=` (QA sec F5). Holding both, nobody else can.
// Where the machine has no IPv6 loopback, nobody can listen there either.
import type { Server } from 'node:net';

export const IPV4_LOOPBACK = '127.0.0.1';
export const IPV6_LOOPBACK = '::1';

/** No IPv6 loopback on this machine (none configured, or IPv6 off in the kernel). */
const noIpv6 = (e: unknown): boolean =>
  ['EADDRNOTAVAIL', 'EAFNOSUPPORT', 'EPROTONOSUPPORT'].includes(
    (e as NodeJS.ErrnoException).code ?? '',
  );

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const failed = (e: Error) => reject(e);
    server.once('error', failed);
    server.listen({ port, host, ipv6Only: host === IPV6_LOOPBACK }, () => {
      server.removeListener('error', failed);
      resolve();
    });
  });
}

const closed = (server: Server) =>
  new Promise<void>((resolve) => (server.listening ? server.close(() => resolve()) : resolve()));

/** A free port (0) is chosen again at most this many times when its ::1 twin is taken. */
const FREE_PORT_TRIES = 8;

export interface Loopbacks {
  port: number;
  /** Whether [::1]:port is held too (false: this machine has no IPv6 loopback). */
  ipv6: boolean;
}

/**
 * Listens `v4` on 127.0.0.1:`port` and `v6` on [::1]:`port` (0: a free port, the same on
 * both). A port taken on either address fails with the listen error (`address` names
 * which), neither left listening; for a free port, one whose ::1 twin is taken is given
 * up for another. Only a machine without an IPv6 loopback is served on 127.0.0.1 alone.
 */
export async function listenOnLoopbacks(v4: Server, v6: Server, port = 0): Promise<Loopbacks> {
  for (let attempt = 1; ; attempt++) {
    await listen(v4, port, IPV4_LOOPBACK);
    const address = v4.address();
    const chosen = typeof address === 'object' && address ? address.port : port;
    try {
      await listen(v6, chosen, IPV6_LOOPBACK);
      return { port: chosen, ipv6: true };
    } catch (e) {
      if (noIpv6(e)) return { port: chosen, ipv6: false };
      await closed(v4);
      const inUse = (e as NodeJS.ErrnoException).code === 'EADDRINUSE';
      if (!(port === 0 && inUse && attempt < FREE_PORT_TRIES)) throw e;
    }
  }
}
