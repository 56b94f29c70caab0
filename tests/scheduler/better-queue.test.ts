// What better-queue 3.8.12 (the library the architecture named for dispatch) does and
// does not do, pinned down so docs/scheduler.md can say why the scheduler does its own
// ordering. These tests describe the library, not our code: if one starts failing
// after an upgrade, the reasons in the doc must be revisited.
import Queue from 'better-queue';
import { describe, expect, it } from 'vitest';

type T = { id: string; p: number; delay?: number };

/** Runs `tasks`; resolves once every one has run, noting whether 'drain' came before that. */
function run(
  tasks: T[],
  opts: Partial<Queue.QueueOptions<T, unknown>>,
  onStart: (t: T) => void = () => {},
  onQueued: (t: T) => void = () => {},
) {
  const order: string[] = [];
  let drainedEarly = false;
  return new Promise<{ order: string[]; q: Queue<T>; drainedEarly: boolean }>((resolve) => {
    const q: Queue<T> = new Queue<T>((t, cb) => {
      order.push(t.id);
      onStart(t);
      setTimeout(() => {
        cb(null);
        if (order.length === tasks.length) setTimeout(() => resolve({ order, q, drainedEarly }), 5);
      }, 2);
    }, opts);
    q.on('drain', () => {
      if (order.length < tasks.length) drainedEarly = true;
    });
    q.on('task_queued', (_id: string, t: T) => onQueued(t));
    tasks.forEach((t) => q.push(t));
  });
}

describe('better-queue 3.8.12, as we found it', () => {
  it('runs higher priorities first and keeps FIFO within a priority, for tasks written while the slot is busy', async () => {
    const tasks = [
      { id: 'blocker', p: 9 },
      ...Array.from({ length: 12 }, (_, i) => ({ id: `t${i}`, p: i % 3 })),
    ];
    const { order } = await run(tasks, { concurrent: 1, priority: (t, cb) => cb(null, t.p) });
    const expected = [2, 1, 0].flatMap((p) =>
      tasks.filter((t) => t.id !== 'blocker' && t.p === p).map((t) => t.id),
    );
    expect(order).toEqual(['blocker', ...expected]);
  });

  it('orders by when an asynchronous priority answered, not by submission: FIFO is lost', async () => {
    const tasks = Array.from({ length: 6 }, (_, i) => ({ id: `t${i}`, p: 1 }));
    const answers: (() => void)[] = [];
    const { order } = await run(tasks, {
      concurrent: 1,
      priority: (t, cb) => {
        answers.push(() => cb(null, t.p));
        // Once all six are asked, answer in reverse order of submission.
        if (answers.length === tasks.length) for (const a of answers.reverse()) a();
      },
    });
    expect(order).toEqual(['t5', 't4', 't3', 't2', 't1', 't0']);
  });

  it('keeps a priority entry for every task it ever ran (its memory store never forgets them)', async () => {
    const tasks = Array.from({ length: 50 }, (_, i) => ({ id: `t${i}`, p: 1 }));
    const { q } = await run(tasks, { priority: (t, cb) => cb(null, t.p) });
    const store = (q as unknown as { _store: { _priorities: Record<string, number> } })._store;
    expect(Object.keys(store._priorities)).toHaveLength(50);
  });

  it("fixes a task's priority when it is written: a waiting task whose level rises keeps its place", async () => {
    const tasks: T[] = [
      { id: 'blocker', p: 9 },
      { id: 'a', p: 1 },
      { id: 'b', p: 1 },
      { id: 'late', p: 0 },
    ];
    const { order } = await run(
      tasks,
      { concurrent: 1, priority: (t, cb) => cb(null, t.p) },
      () => undefined,
      // Escalate 'late' once better-queue has written it (it waits behind the blocker):
      // better-queue does not see the change.
      (t) => {
        if (t.id === 'late') t.p = 5;
      },
    );
    expect(order).toEqual(['blocker', 'a', 'b', 'late']);
  });
});
