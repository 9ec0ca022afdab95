import { randomUUID } from "node:crypto";
import { asc, eq, sql } from "drizzle-orm";
import type { Database } from "./client";
import { nowIso } from "./resource-repository";
import { studioMeta } from "./schema";

const INSTALLATION_ID = "installation_id";

export type StudioMetaRepository = ReturnType<typeof createStudioMetaRepository>;

/** Facts about this Studio installation, shared by all of its processes through the database. */
export function createStudioMetaRepository(db: Database) {
  async function find(key: string): Promise<string | null> {
    const [row] = await db
      .select({ value: studioMeta.value })
      .from(studioMeta)
      .where(eq(studioMeta.key, key));
    return row?.value ?? null;
  }

  /** The value under `key`, storing `value` first when there is none: the first writer wins. */
  async function putIfAbsent(key: string, value: string): Promise<string> {
    await db.insert(studioMeta).values({ key, value, createdAt: nowIso() }).onConflictDoNothing();
    const stored = await find(key);
    if (stored === null) throw new Error(`studio_meta row ${key} vanished right after it was written`);
    return stored;
  }

  return {
    find,
    putIfAbsent,
    /** Entries whose key starts with `prefix` (literally, not as a LIKE pattern), oldest first. */
    async entriesWithPrefix(prefix: string): Promise<Array<{ key: string; value: string }>> {
      return db
        .select({ key: studioMeta.key, value: studioMeta.value })
        .from(studioMeta)
        .where(sql`substr(${studioMeta.key}, 1, ${prefix.length}) = ${prefix}`)
        .orderBy(asc(studioMeta.createdAt), asc(studioMeta.key));
    },
    /**
     * This installation's id: made by the first process that asks, then the same for every
     * process whatever its secret key, so it outlives key rotations.
     */
    installationId: () => putIfAbsent(INSTALLATION_ID, randomUUID()),
    /** The installation id if a process has made it, without making one. */
    findInstallationId: () => find(INSTALLATION_ID),
  };
}
