import type { Database } from "./client";
import { MIGRATIONS } from "./migrations.gen";

const TABLE = "__drizzle_migrations";

export type Migration = (typeof MIGRATIONS)[number];

export interface MigrationResult {
  applied: number;
  total: number;
}

/**
 * Applies pending migrations. Unlike drizzle's libsql migrator, which reads the last applied
 * migration before taking the write lock, this reads and applies inside one IMMEDIATE
 * transaction, so web and worker starting together on one file cannot apply a migration twice.
 * It keeps drizzle's bookkeeping table, so drizzle-kit sees the same state. `migrations` is for
 * tests that build a database as an older release left it.
 */
export async function migrate(
  db: Database,
  migrations: readonly Migration[] = MIGRATIONS,
): Promise<MigrationResult> {
  const tx = await db.$client.transaction("write");
  try {
    await tx.execute(
      `CREATE TABLE IF NOT EXISTS ${TABLE} (id INTEGER PRIMARY KEY, hash text NOT NULL, created_at numeric)`,
    );
    const last = await tx.execute(`SELECT created_at FROM ${TABLE} ORDER BY created_at DESC LIMIT 1`);
    const lastMillis = last.rows[0] ? Number(last.rows[0][0]) : -1;
    const pending = migrations.filter((m) => m.folderMillis > lastMillis);
    for (const migration of pending) {
      for (const statement of migration.sql) {
        if (statement.trim()) await tx.execute(statement);
      }
      await tx.execute({
        sql: `INSERT INTO ${TABLE} (hash, created_at) VALUES (?, ?)`,
        args: [migration.hash, migration.folderMillis],
      });
    }
    await tx.commit();
    return { applied: pending.length, total: migrations.length };
  } catch (error) {
    await tx.rollback().catch(() => {});
    throw new Error(`Database migration failed: ${(error as Error).message}`, { cause: error });
  } finally {
    tx.close();
  }
}
