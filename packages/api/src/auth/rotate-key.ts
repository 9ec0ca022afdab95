import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createStudioMetaRepository, DEFAULT_DATABASE_URL, migrate, openDatabase, schema } from "@agentos/db";
import { createKeyring, keyIdOf, type RotationResult, rotateSealedValues } from "@agentos/db/auth";
import type { StudioEnv } from "../node";

export interface KeyRotation extends RotationResult {
  previousKeyIds: string[];
  /** Where the new local key was written (local mode without AGENTOS_SECRET_KEY). */
  keyFile: string | null;
  /** OAuth signing keys dropped because they were encrypted with the old key. */
  droppedSigningKeys: number;
}

/**
 * Re-seals every secret under a new master key. With AGENTOS_SECRET_KEY set, that is the new
 * key and AGENTOS_PREVIOUS_SECRET_KEYS the old ones; without it (local mode) a new key is made
 * and replaces <AGENTOS_DATA_DIR>/secret.key, the old one kept beside it. Safe to run again
 * after an interruption.
 */
export async function rotateSecretKey(env: StudioEnv): Promise<KeyRotation> {
  let current: string;
  let previous: string[];
  let keyFile: string | null = null;
  let finishFile = () => {};
  if (env.AGENTOS_SECRET_KEY) {
    current = env.AGENTOS_SECRET_KEY;
    previous = env.AGENTOS_PREVIOUS_SECRET_KEYS;
    if (previous.length === 0) {
      throw new Error(
        "Set AGENTOS_SECRET_KEY to the new key and AGENTOS_PREVIOUS_SECRET_KEYS to the old one(s), then run this again.",
      );
    }
  } else {
    const path = join(env.AGENTOS_DATA_DIR, "secret.key");
    const next = `${path}.new`;
    if (!existsSync(path)) throw new Error(`No ${path}: there is no local key to rotate.`);
    const old = readFileSync(path, "utf8").trim();
    if (!existsSync(next)) writeFileSync(next, `${randomBytes(32).toString("base64")}\n`, { mode: 0o600 });
    current = readFileSync(next, "utf8").trim();
    previous = [old];
    keyFile = path;
    finishFile = () => {
      renameSync(path, `${path}.${keyIdOf(old)}.old`);
      renameSync(next, path);
    };
  }
  const url =
    env.DATABASE_URL ??
    (env.AGENTOS_DATA_DIR === ".data"
      ? DEFAULT_DATABASE_URL
      : `file:${join(env.AGENTOS_DATA_DIR, "studio.db")}`);
  const db = await openDatabase({ url, authToken: env.DATABASE_AUTH_TOKEN });
  try {
    await migrate(db);
    // Sandboxes of releases before the installation id carry a label derived from the key: remember
    // it before the old key goes, so workers keep recognising those containers.
    await createStudioMetaRepository(db).rememberLegacySandboxScopes([...previous, current]);
    const result = await rotateSealedValues(db, createKeyring(current, previous));
    // Better Auth encrypts its OAuth signing keys with a secret derived from the master key.
    let droppedSigningKeys = 0;
    if (!env.AGENTOS_AUTH_SECRET) {
      droppedSigningKeys = (await db.delete(schema.authJwks).returning()).length;
    }
    finishFile();
    return { ...result, previousKeyIds: previous.map(keyIdOf), keyFile, droppedSigningKeys };
  } finally {
    db.$client.close();
  }
}
