// A throw-away writer process for the group-commit crash test: keeps about 40
// transactions (and plain statements) waiting on the store at all times, so that the
// connection is always inside a shared batch, and prints each id the moment its promise
// resolves. Every 7th transaction throws (its batch is rolled back and the others run
// again). It never stops on its own: the test SIGKILLs it and reopens the file.
// argv[2]: the DuckDB file.
import { Store } from '../../electron/engine/store/db.ts';

const opened = await Store.open(process.argv[2]!);
if (!opened.ok) throw new Error(opened.error.message);
const store = opened.value;
await store.run('CREATE TABLE landed (id INTEGER PRIMARY KEY)');
await store.run('CREATE TABLE landed_twin (id INTEGER PRIMARY KEY)');
await store.run('CREATE TABLE plain (id INTEGER PRIMARY KEY)');

class Refused extends Error {}

let next = 0;
const say = (line: string): void => {
  process.stdout.write(line + '\n');
};

function one(): Promise<void> {
  const id = next++;
  if (id % 5 === 4)
    return store.run('INSERT INTO plain VALUES ($1)', [id]).then(() => say(`plain ${id}`));
  const lane = id % 3 === 0 ? store.at('CRITICAL') : store;
  return lane
    .transaction(async (tx) => {
      await tx.run('INSERT INTO landed VALUES ($1)', [id]);
      await tx.run('INSERT INTO landed_twin VALUES ($1)', [id]);
      if (id % 7 === 6) throw new Refused();
    })
    .then(
      () => say(`tx ${id}`),
      (e: unknown) => {
        if (!(e instanceof Refused)) throw e;
        say(`refused ${id}`);
      },
    );
}

say('ready');
const keep = async (): Promise<void> => {
  for (;;) await one();
};
await Promise.all(Array.from({ length: 40 }, keep));
