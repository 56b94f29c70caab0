// `inbox:get` and `inbox:set`, over an InboxControl: the engine's (which may watch the
// folder) and a one-shot command's (which only reads and chooses it) answer alike.
import type { CallHandlers } from '../../../shared/api.ts';
import { ok } from '../../../shared/result.ts';
import type { InboxControl } from '../intake/inbox-control.ts';

export function inboxHandlers(inbox: InboxControl): Pick<CallHandlers, 'inbox:get' | 'inbox:set'> {
  return {
    'inbox:get': async () => ok(await inbox.status()),
    'inbox:set': async ({ dir, take_existing }) => inbox.set(dir, take_existing),
  };
}
