import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { type Client, createClient } from "@libsql/client";
import { drizzle, type LibSQLDatabase } from "drizzle-orm/libsql";
import * as schema from "./schema";

export type Database = LibSQLDatabase<typeof schema> & {
  $client: Client;
  /** The database file for `file:` URLs (null for a libSQL server). */
  $filePath: string | null;
};

export interface DatabaseOptions {
  /** `file:path.db`, `libsql://…`, `http(s)://…`; default `file:.data/studio.db`. */
  url: string;
  authToken?: string | undefined;
}

export const DEFAULT_DATABASE_URL = "file:.data/studio.db";
const BUSY_TIMEOUT_MS = 10_000;

function filePathOf(url: string): string | null {
  if (!url.startsWith("file:")) return null;
  return url.startsWith("file://") ? fileURLToPath(url) : url.slice("file:".length);
}

/**
 * Opens the database: a local libSQL file (WAL, busy timeout) or a libSQL server.
 *
 * For files, libSQL calls are synchronous and run on this thread, so more connections add no
 * parallelism: one connection is used, with `synchronous = NORMAL` (in WAL mode a commit then
 * waits for no disk flush; a power loss can drop the last commits but never corrupts the file).
 * An interactive transaction holds that connection: write atomically with single statements or
 * `batch`; `migrate` at start-up is the one interactive transaction.
 */
export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  const path = filePathOf(options.url);
  if (path !== null && path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
  // The busy timeout (applied to every pooled connection) makes concurrent writers — web, worker,
  // a second worker — wait for the write lock instead of failing with SQLITE_BUSY.
  const client = createClient({
    url: options.url,
    timeout: BUSY_TIMEOUT_MS,
    ...(path !== null ? { concurrency: 1 } : {}),
    ...(options.authToken ? { authToken: options.authToken } : {}),
  });
  if (path !== null && path !== ":memory:") {
    // WAL lets other processes read while one commits; NORMAL skips the flush per commit.
    await client.execute("PRAGMA journal_mode = WAL");
    await client.execute("PRAGMA synchronous = NORMAL");
  }
  const db = drizzle(client, { schema, casing: "snake_case" }) as Database;
  db.$filePath = path !== null && path !== ":memory:" ? path : null;
  return db;
}
