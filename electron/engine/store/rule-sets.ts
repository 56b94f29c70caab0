// Rule-set versions in DuckDB: activating a text stores a new version (text, author,
// time, comment) and makes it the only active one; a rollback activates an earlier
// version's text again as a new version, so history only grows and every decision's
// version number points at the exact text that made it.
import type { RuleVersion } from '../../../shared/api.ts';
import { iso, num, type Store, type Tx } from './db.ts';

const SELECT = `SELECT version, author, comment, epoch_ms(created_at) AS created_at, active FROM rule_sets`;

const toVersion = (r: Record<string, unknown>): RuleVersion => ({
  version: num(r.version),
  author: r.author as string,
  comment: r.comment as string,
  created_at: iso(r.created_at)!,
  active: Boolean(r.active),
});

export async function activeRuleSet(
  store: Store,
): Promise<{ version: number; text: string } | undefined> {
  const row = await store.one<{ version: number; text: string }>(
    'SELECT version, text FROM rule_sets WHERE active ORDER BY version DESC LIMIT 1',
  );
  return row && { version: num(row.version), text: row.text };
}

/** The active version as stored (author, comment, time), read in the caller's transaction when given one. */
export async function activeRuleVersion(db: Store | Tx): Promise<RuleVersion | undefined> {
  const rows = await db.all<Record<string, unknown>>(
    `${SELECT} WHERE active ORDER BY version DESC LIMIT 1`,
  );
  return rows[0] && toVersion(rows[0]);
}

/** Whether `version` was ever stored; in the caller's transaction when given one. */
export async function ruleVersionExists(db: Store | Tx, version: number): Promise<boolean> {
  return (await db.all('SELECT 1 FROM rule_sets WHERE version = $1', [version])).length > 0;
}

export async function ruleSetText(store: Store, version: number): Promise<string | undefined> {
  return (
    await store.one<{ text: string }>('SELECT text FROM rule_sets WHERE version = $1', [version])
  )?.text;
}

/** Stores `text` as the new active version; in the caller's transaction when given one. */
export async function storeRuleSet(
  db: Store | Tx,
  text: string,
  author: string,
  comment: string,
): Promise<RuleVersion> {
  const write = async (tx: Tx) => {
    const [{ v }] = (await tx.all<{ v: number | null }>(
      'SELECT max(version) AS v FROM rule_sets',
    )) as [{ v: number | null }];
    const version = (v === null ? 0 : num(v)) + 1;
    await tx.run('UPDATE rule_sets SET active = false WHERE active');
    await tx.run(
      'INSERT INTO rule_sets (version, text, author, comment, created_at, active) VALUES ($1, $2, $3, $4, $5::TIMESTAMPTZ, true)',
      [version, text, author, comment, new Date().toISOString()],
    );
    const rows = await tx.all<Record<string, unknown>>(`${SELECT} WHERE version = $1`, [version]);
    return toVersion(rows[0]!);
  };
  return 'transaction' in db ? db.transaction(write) : write(db);
}

export async function ruleHistory(store: Store): Promise<RuleVersion[]> {
  return (await store.all<Record<string, unknown>>(`${SELECT} ORDER BY version DESC`)).map(
    toVersion,
  );
}

/** The versions that requests still deciding arrived under: the versions that will decide them. */
export async function decidingRuleVersions(store: Store): Promise<number[]> {
  const rows = await store.all<{ v: number | null }>(
    `SELECT DISTINCT rule_version AS v FROM jobs WHERE status = 'deciding'`,
  );
  return rows.flatMap((r) => (r.v === null ? [] : [num(r.v)]));
}
