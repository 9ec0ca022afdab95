import { eq, isNotNull } from "drizzle-orm";
import type { Database } from "../client";
import { llmProviders, mcpServers, sandboxes, secrets } from "../schema";
import { type Keyring, sealedKeyId } from "./keyring";

export interface RotationResult {
  /** Values re-sealed under the current key, per table. */
  resealed: Record<string, number>;
  currentKeyId: string;
}

/**
 * Re-seals every sealed value (vault secrets, provider keys, MCP tokens, sandbox env) that an
 * older key sealed, under the keyring's current key. Safe to run twice; values already on the
 * current key are left alone.
 */
export async function rotateSealedValues(db: Database, keyring: Keyring): Promise<RotationResult> {
  const resealed: Record<string, number> = {};
  const targets = [
    { name: "secrets", table: secrets, column: secrets.valueSecret, key: "valueSecret" },
    { name: "llm_providers", table: llmProviders, column: llmProviders.apiKeySecret, key: "apiKeySecret" },
    { name: "mcp_servers", table: mcpServers, column: mcpServers.authTokenSecret, key: "authTokenSecret" },
    { name: "sandboxes", table: sandboxes, column: sandboxes.envSecret, key: "envSecret" },
  ] as const;
  for (const target of targets) {
    const rows = (await db
      .select({ id: target.table.id, sealed: target.column })
      .from(target.table)
      .where(isNotNull(target.column))) as Array<{ id: string; sealed: string | null }>;
    let count = 0;
    for (const row of rows) {
      if (!row.sealed || !keyring.isStale(row.sealed)) continue;
      const sealed = keyring.seal(keyring.open(row.sealed));
      const changes: Record<string, string> = { [target.key]: sealed };
      if (target.name === "secrets") changes.keyId = sealedKeyId(sealed) ?? "";
      await db.update(target.table).set(changes).where(eq(target.table.id, row.id));
      count++;
    }
    resealed[target.name] = count;
  }
  return { resealed, currentKeyId: keyring.currentKeyId };
}
