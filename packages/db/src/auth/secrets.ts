import {
  Conflict,
  Invalid,
  NotFound,
  newHostedId,
  type Secret,
  type SecretCreate,
  type SecretUpdate,
  secretReferences,
} from "@agentos/core";
import { and, asc, eq, inArray } from "drizzle-orm";
import type { SecretCipher } from "../cipher";
import type { Database } from "../client";
import { isUniqueViolation, nowIso } from "../resource-repository";
import { secrets } from "../schema";
import { sealedKeyId } from "./keyring";

type SecretRow = typeof secrets.$inferSelect;

const toSecret = ({ valueSecret: _sealed, ...row }: SecretRow): Secret => row;

/** Where a secret was used, for its audit entry. */
export interface SecretUse {
  /** e.g. `tool:weather header x-api-key`, `provider:OpenAI`, `sandbox:sbx_…`. */
  by: string;
  runId?: string | null;
}

export type SecretUseRecorder = (workspaceId: string, names: string[], use: SecretUse) => Promise<void>;

/**
 * The workspace secrets vault. Values are sealed with AES-256-GCM and only ever opened by
 * `reveal`, inside the runtime, for the one request that needs them; the API lists names only.
 */
export function createSecretVault(db: Database, cipher: SecretCipher, onUse?: SecretUseRecorder) {
  const findRow = async (workspaceId: string, id: string) => {
    const [row] = await db
      .select()
      .from(secrets)
      .where(and(eq(secrets.workspaceId, workspaceId), eq(secrets.id, id)));
    if (!row) throw new NotFound("secret", id);
    return row;
  };

  const vault = {
    async list(workspaceId: string): Promise<Secret[]> {
      const rows = await db
        .select()
        .from(secrets)
        .where(eq(secrets.workspaceId, workspaceId))
        .orderBy(asc(secrets.name));
      return rows.map(toSecret);
    },
    get: async (workspaceId: string, id: string) => toSecret(await findRow(workspaceId, id)),
    async create(workspaceId: string, input: Required<SecretCreate>): Promise<Secret> {
      const now = nowIso();
      const sealed = cipher.seal(input.value);
      const row: SecretRow = {
        id: newHostedId("secret"),
        workspaceId,
        name: input.name,
        description: input.description,
        valueSecret: sealed,
        keyId: sealedKeyId(sealed) ?? "",
        lastUsedAt: null,
        createdAt: now,
        updatedAt: now,
      };
      try {
        await db.insert(secrets).values(row);
      } catch (error) {
        if (!isUniqueViolation(error)) throw error;
        throw new Conflict(`A secret named ${input.name} already exists; update its value instead.`, {
          cause: error,
        });
      }
      return toSecret(row);
    },
    async update(workspaceId: string, id: string, input: SecretUpdate): Promise<Secret> {
      const row = await findRow(workspaceId, id);
      const changes: Partial<SecretRow> = { updatedAt: nowIso() };
      if (input.description !== undefined) changes.description = input.description;
      if (input.value !== undefined) {
        changes.valueSecret = cipher.seal(input.value);
        changes.keyId = sealedKeyId(changes.valueSecret) ?? "";
      }
      await db.update(secrets).set(changes).where(eq(secrets.id, id));
      return toSecret({ ...row, ...changes });
    },
    async delete(workspaceId: string, id: string): Promise<void> {
      await findRow(workspaceId, id);
      await db.delete(secrets).where(eq(secrets.id, id));
    },

    /**
     * Opens the named secrets of a workspace for one use, records the use, and throws Invalid
     * naming every missing one. Callers must keep the values out of results, events and logs.
     */
    async reveal(workspaceId: string, names: string[], use: SecretUse): Promise<Map<string, string>> {
      const values = new Map<string, string>();
      if (names.length === 0) return values;
      const rows = await db
        .select()
        .from(secrets)
        .where(and(eq(secrets.workspaceId, workspaceId), inArray(secrets.name, names)));
      const missing = names.filter((n) => !rows.some((r) => r.name === n));
      if (missing.length > 0) {
        throw new Invalid(
          `${use.by} references ${missing.map((n) => `{{secret:${n}}}`).join(", ")}, which ${missing.length === 1 ? "is" : "are"} not in this workspace's secrets. Add ${missing.length === 1 ? "it" : "them"} in Settings → Secrets.`,
        );
      }
      for (const row of rows) values.set(row.name, cipher.open(row.valueSecret));
      await db
        .update(secrets)
        .set({ lastUsedAt: nowIso() })
        .where(and(eq(secrets.workspaceId, workspaceId), inArray(secrets.name, names)));
      await onUse?.(workspaceId, names, use);
      return values;
    },

    /** `text` with each `{{secret:NAME}}` replaced by the secret's value. */
    async fill(workspaceId: string, text: string, use: SecretUse): Promise<string> {
      const names = secretReferences(text);
      if (names.length === 0) return text;
      const values = await vault.reveal(workspaceId, names, use);
      return replaceSecretReferences(text, values);
    },
  };
  return vault;
}
export type SecretVault = ReturnType<typeof createSecretVault>;

/** Replaces `{{secret:NAME}}` by its value from `values` (names not in it stay as they are). */
export function replaceSecretReferences(text: string, values: ReadonlyMap<string, string>): string {
  return text.replace(/\{\{\s*secret:([A-Za-z_][A-Za-z0-9_]{0,63})\s*\}\}/g, (match, name: string) =>
    values.has(name) ? values.get(name)! : match,
  );
}
