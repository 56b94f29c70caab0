// What each kind of audit entry is called and how it is coloured. The engine may
// add kinds (arrival, queued, started, completed, failed, cancelled, retried, …);
// any kind not listed here is still shown, under its own name.
export interface KindInfo {
  label: string;
  /** CSS tone: info, good, warn, bad, neutral, rule. */
  tone: 'info' | 'good' | 'warn' | 'bad' | 'neutral' | 'rule' | 'override';
  hint: string;
}

const KINDS: Record<string, KindInfo> = {
  arrival: { label: 'arrival', tone: 'neutral', hint: 'The request arrived' },
  decision: { label: 'decision', tone: 'info', hint: 'The active rules decided its level' },
  override: { label: 'override', tone: 'override', hint: 'An analyst set the level by hand (G1)' },
  rejected: { label: 'rejected', tone: 'bad', hint: 'Refused: nothing was queued' },
  queued: { label: 'queued', tone: 'neutral', hint: 'Waiting for a worker' },
  started: { label: 'started', tone: 'info', hint: 'A worker started it' },
  preempted: {
    label: 'preempted',
    tone: 'warn',
    hint: 'Put back in the queue for more urgent work',
  },
  requeued: {
    label: 'requeued',
    tone: 'neutral',
    hint: 'Back in the queue, its attempt not charged',
  },
  escalation: { label: 'escalation', tone: 'warn', hint: 'Late: raised one level' },
  late: { label: 'late', tone: 'warn', hint: 'Waited longer than its level’s target' },
  retried: { label: 'retried', tone: 'info', hint: 'Queued again' },
  cancelled: { label: 'cancelled', tone: 'neutral', hint: 'Cancelled by an analyst' },
  completed: { label: 'completed', tone: 'good', hint: 'Done: the snapshot is stored' },
  failed: { label: 'failed', tone: 'bad', hint: 'Ended with an error' },
  rules: { label: 'rules', tone: 'rule', hint: 'A rule set was activated' },
  job: { label: 'job', tone: 'neutral', hint: 'A job event' },
  source: {
    label: 'source',
    tone: 'override',
    hint: 'A source’s reliability override was set or cleared',
  },
  removed: {
    label: 'removed',
    tone: 'override',
    hint: 'An analyst removed the snapshot it made',
  },
  inbox: {
    label: 'inbox',
    tone: 'warn',
    hint: 'The inbox moved the file to failed/: changed after it was taken, or refused at its door',
  },
};

/** The kinds in the order of a request's life, for the filter chips. */
export const KIND_ORDER = Object.keys(KINDS);

export const kindInfo = (kind: string): KindInfo =>
  KINDS[kind] ?? { label: kind, tone: 'neutral', hint: kind };
