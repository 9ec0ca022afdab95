import { createHash, randomUUID } from "node:crypto";
import { asc, eq, sql } from "drizzle-orm";
import { keyIdOf } from "./auth/keyring";
import type { Database } from "./client";
import { nowIso } from "./resource-repository";
import { studioMeta } from "./schema";

const INSTALLATION_ID = "installation_id";
/** Keys `sandbox_legacy_scope:<scope>`, valued with the id of the secret key the scope came from. */
const LEGACY_SCOPE_PREFIX = "sandbox_legacy_scope:";

/**
 * The sandbox scope label releases before the installation id gave containers: a digest of the
 * secret key (as configured, so hex and base64 spellings of one key differ). Docker labels cannot
 * change, so such containers keep it until re-created; remembering it keeps them recognised.
 */
export function legacySandboxScopeOfKey(secretKey: string): string {
  return createHash("sha256").update(`agentos.sandbox-scope:${secretKey.trim()}`).digest("hex").slice(0, 16);
}

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
    /**
     * Remembers the legacy sandbox scope of each key (workers at start, and `agentos secrets
     * rotate-key` before the old key is dropped), so containers labelled with it stay ours.
     */
    async rememberLegacySandboxScopes(secretKeys: readonly string[]): Promise<void> {
      for (const key of secretKeys) {
        await putIfAbsent(`${LEGACY_SCOPE_PREFIX}${legacySandboxScopeOfKey(key)}`, keyIdOf(key));
      }
    },
    /** Every legacy sandbox scope remembered, oldest first. */
    async legacySandboxScopes(): Promise<string[]> {
      const entries = await this.entriesWithPrefix(LEGACY_SCOPE_PREFIX);
      return entries.map((e) => e.key.slice(LEGACY_SCOPE_PREFIX.length));
    },
  };
}
