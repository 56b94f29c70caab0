// The highest level a request without a requested level could get, known before its
// bytes are captured: the rules' partial decision over what the analyst's file says at
// its two ends (a few kilobytes read in place). Under a burst a capture may wait its turn
// for seconds; with this bound the captures go by level, and an arrival that the rules
// will make LOW (stale data) stops holding back the work above it at once instead of
// holding as CRITICAL until its turn comes. It only orders the captures and the holds:
// the decision itself is still taken on the captured bytes (submit.ts), so a file that
// changes between this peek and its capture is decided on what was captured. A file on a
// file system that can stall (stalling-fs.ts) is not peeked at: a read that never returns
// would hold a thread of this process, and so its exit; its bound is CRITICAL.
import type { PriorityLevel } from '../../../shared/domain.ts';
import { sniffChain } from '../pipeline/sniff.ts';
import { arrivalFacts, type Arrival } from './arrival-facts.ts';
import { mayStall } from './stalling-fs.ts';
import type { IntakeDeps } from './submit.ts';

/** How long the peek may take: a file on a stalled share goes on to its capture (which times out). */
export const PEEK_TIMEOUT_MS = 2000;

/** The level (decided) or upper bound the rules give the file's ends; CRITICAL when they cannot tell. */
export async function levelBound(
  deps: Pick<IntakeDeps, 'memory' | 'conventions' | 'limits'>,
  a: Pick<Arrival, 'request' | 'arrivedMs' | 'rules' | 'source_reliability'> &
    Partial<Pick<Arrival, 'read'>> & {
      request_id?: string;
    },
  timeoutMs = PEEK_TIMEOUT_MS,
): Promise<PriorityLevel> {
  const file = a.read ?? a.request.file;
  if (mayStall(file)) return 'CRITICAL';
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), timeoutMs)));
  const head = await Promise.race([sniffChain(file, deps.conventions, deps.limits), late]);
  clearTimeout(timer);
  // Unreadable here, or too slow: the capture says why; until then nothing is known.
  if (!head?.ok) return 'CRITICAL';
  // No content hash yet: the facts a stored duplicate would give stay unknown (a wider bound).
  const context = deps.memory.context({
    content_hash: null,
    underlying: head.value.underlying,
    source: a.request.source,
    arrivedMs: a.arrivedMs,
    request_id: a.request_id,
  });
  const { given, unknown } = arrivalFacts(a, head.value, context);
  const outcome = a.rules.compiled.decidePartial(given, unknown, new Date(a.arrivedMs));
  if (!outcome.ok) return 'CRITICAL';
  return outcome.value.kind === 'decided' ? outcome.value.decision.priority : outcome.value.upper;
}
