import { randomBytes } from "node:crypto";
import { closeSync, existsSync, fsyncSync, openSync, renameSync, rmSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { type Client, createClient } from "@libsql/client";
import type { Database } from "./client";
import { MIGRATIONS } from "./migrations.gen";

/** How far a database's schema is from this build's migrations. */
export interface SchemaState {
  /** Migrations recorded in the database. */
  applied: number;
  /** Migrations this build knows. */
  known: number;
  /** Known migrations the database has not applied yet (it is migrated at the next start). */
  pending: number;
}

export interface BackupResult {
  path: string;
  bytes: number;
  tookMs: number;
  schema: SchemaState;
}

/** Reads the schema state of a database through a libSQL connection. */
export async function schemaStateOf(client: Client): Promise<SchemaState> {
  const table = await client.execute(
    "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = '__drizzle_migrations'",
  );
  if (Number(table.rows[0]?.[0] ?? 0) === 0) {
    return { applied: 0, known: MIGRATIONS.length, pending: MIGRATIONS.length };
  }
  const result = await client.execute("SELECT count(*), max(created_at) FROM __drizzle_migrations");
  const applied = Number(result.rows[0]?.[0] ?? 0);
  const last = result.rows[0]?.[1] == null ? -1 : Number(result.rows[0][1]);
  return {
    applied,
    known: MIGRATIONS.length,
    pending: MIGRATIONS.filter((m) => m.folderMillis > last).length,
  };
}

/** PRAGMA integrity_check of a database file; throws naming the file when it is damaged. */
async function verifyFile(path: string): Promise<SchemaState> {
  const client = createClient({ url: `file:${path}` });
  try {
    const check = await client.execute("PRAGMA integrity_check");
    const verdict = String(check.rows[0]?.[0] ?? "");
    if (verdict !== "ok") {
      throw new Error(`${path} failed PRAGMA integrity_check: ${verdict}. It is not a usable backup.`);
    }
    return await schemaStateOf(client);
  } finally {
    client.close();
  }
}

function fsyncPath(path: string): void {
  const fd = openSync(path, "r");
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Online backup of a libSQL file database with `VACUUM INTO`: one read transaction, so the copy
 * is a consistent snapshot while other connections (web, workers) keep writing under WAL. The copy
 * is written beside `destination`, checked with `PRAGMA integrity_check`, then renamed into place,
 * so a crash never leaves a half-written backup under the final name.
 */
export async function backupDatabase(db: Database, destination: string): Promise<BackupResult> {
  if (db.$filePath === null) {
    throw new Error(
      "Online backup copies a libSQL file (DATABASE_URL=file:…). A libSQL server or Turso database is backed up by its own tooling (e.g. `turso db export`, point-in-time restore).",
    );
  }
  const target = resolve(destination);
  if (existsSync(target)) {
    throw new Error(`${target} exists already: choose a new backup file name, or delete the old one.`);
  }
  const started = performance.now();
  const partial = join(dirname(target), `.${randomBytes(6).toString("hex")}.backup-partial`);
  try {
    await db.$client.execute({ sql: "VACUUM INTO ?", args: [partial] });
    const schema = await verifyFile(partial);
    fsyncPath(partial);
    renameSync(partial, target);
    return { path: target, bytes: statSync(target).size, tookMs: performance.now() - started, schema };
  } catch (error) {
    rmSync(partial, { force: true });
    throw error;
  }
}

/**
 * Puts a backup in place of a database file. The Studio's processes must be stopped: their open
 * connections would keep writing to the replaced file. The backup is verified first, the old file
 * is kept as `<file>.before-restore-<time>` (with its WAL), so that SQLite never replays an old
 * WAL onto the restored copy.
 */
export async function restoreDatabase(
  backupPath: string,
  databasePath: string,
): Promise<{ path: string; previous: string | null; schema: SchemaState }> {
  const source = resolve(backupPath);
  const target = resolve(databasePath);
  if (!existsSync(source)) throw new Error(`No backup at ${source}.`);
  const schema = await verifyFile(source);
  const staged = join(dirname(target), `.${randomBytes(6).toString("hex")}.restore-partial`);
  // A fresh VACUUM INTO (rather than a byte copy) gives the restored file its own clean header.
  const reader = createClient({ url: `file:${source}` });
  try {
    await reader.execute({ sql: "VACUUM INTO ?", args: [staged] });
  } finally {
    reader.close();
  }
  fsyncPath(staged);
  let previous: string | null = null;
  if (existsSync(target)) {
    previous = `${target}.before-restore-${new Date().toISOString().replace(/[:.]/g, "-")}`;
    renameSync(target, previous);
  }
  // The old WAL belongs to the old file (commits not yet checkpointed): it moves along with it.
  for (const suffix of ["-wal", "-shm"]) {
    if (previous && existsSync(`${target}${suffix}`))
      renameSync(`${target}${suffix}`, `${previous}${suffix}`);
    else rmSync(`${target}${suffix}`, { force: true });
  }
  renameSync(staged, target);
  return { path: target, previous, schema };
}
