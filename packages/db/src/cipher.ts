import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";

/**
 * AES-256-GCM for secrets at rest (provider keys, MCP tokens, sandbox env). A sealed value is
 * `v1.<keyId>.<iv>.<tag>.<ciphertext>` (base64url parts); the key id lets the master key rotate.
 */
export interface SecretCipher {
  seal(plain: string): string;
  open(sealed: string): string;
}

export function parseSecretKey(value: string): Buffer {
  const trimmed = value.trim();
  const key = /^[0-9a-f]{64}$/i.test(trimmed) ? Buffer.from(trimmed, "hex") : Buffer.from(trimmed, "base64");
  if (key.length !== 32) {
    throw new Error(
      "AGENTOS_SECRET_KEY must be 32 bytes, as 64 hex characters or base64 (openssl rand -base64 32).",
    );
  }
  return key;
}

/** Reads the local master key from `path`, creating one (mode 0600) on first start. */
export function loadOrCreateSecretKey(path: string): string {
  if (existsSync(path)) return readFileSync(path, "utf8").trim();
  mkdirSync(dirname(path), { recursive: true });
  const key = randomBytes(32).toString("base64");
  writeFileSync(path, `${key}\n`, { mode: 0o600, flag: "wx" });
  return key;
}

export function createSecretCipher(secretKey: string): SecretCipher {
  const key = parseSecretKey(secretKey);
  const keyId = createHash("sha256").update(key).digest("base64url").slice(0, 8);
  return {
    seal(plain) {
      const iv = randomBytes(12);
      const cipher = createCipheriv("aes-256-gcm", key, iv);
      const ciphertext = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
      return ["v1", keyId, iv, cipher.getAuthTag(), ciphertext]
        .map((p) => (typeof p === "string" ? p : p.toString("base64url")))
        .join(".");
    },
    open(sealed) {
      const [version, sealedKeyId, iv, tag, ciphertext] = sealed.split(".");
      if (version !== "v1" || !iv || !tag || ciphertext === undefined)
        throw new Error("Not a sealed secret.");
      if (sealedKeyId !== keyId) {
        throw new Error(
          `Secret was sealed with key ${sealedKeyId}, but the current key is ${keyId}: restore the old AGENTOS_SECRET_KEY.`,
        );
      }
      const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64url"));
      decipher.setAuthTag(Buffer.from(tag, "base64url"));
      return Buffer.concat([
        decipher.update(Buffer.from(ciphertext, "base64url")),
        decipher.final(),
      ]).toString("utf8");
    },
  };
}
