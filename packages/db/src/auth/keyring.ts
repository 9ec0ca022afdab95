import { createHash } from "node:crypto";
import { createSecretCipher, parseSecretKey, type SecretCipher } from "../cipher";

/** The id a key seals under (the second part of `v1.<keyId>.…`). */
export function keyIdOf(secretKey: string): string {
  return createHash("sha256").update(parseSecretKey(secretKey)).digest("base64url").slice(0, 8);
}

/** The key id a sealed value names. */
export function sealedKeyId(sealed: string): string | null {
  const [version, keyId] = sealed.split(".");
  return version === "v1" && keyId ? keyId : null;
}

export interface Keyring extends SecretCipher {
  /** Id of the key new values are sealed with. */
  readonly currentKeyId: string;
  /** True when `sealed` was sealed with an older key and should be re-sealed. */
  isStale(sealed: string): boolean;
}

/**
 * Seals with `current` and opens values sealed with it or any of `previous`, so the master key
 * can rotate: start with the new key plus the old ones, re-seal (`agentos secrets rotate-key`),
 * then drop the old keys.
 */
export function createKeyring(current: string, previous: readonly string[] = []): Keyring {
  const sealer = createSecretCipher(current);
  const currentKeyId = keyIdOf(current);
  const openers = new Map<string, SecretCipher>([[currentKeyId, sealer]]);
  for (const key of previous) openers.set(keyIdOf(key), createSecretCipher(key));
  return {
    currentKeyId,
    seal: (plain) => sealer.seal(plain),
    open(sealed) {
      const keyId = sealedKeyId(sealed);
      const opener = keyId ? openers.get(keyId) : undefined;
      if (!opener) {
        throw new Error(
          `Secret was sealed with key ${keyId ?? "?"}, which is neither AGENTOS_SECRET_KEY (${currentKeyId}) nor one of AGENTOS_PREVIOUS_SECRET_KEYS.`,
        );
      }
      return opener.open(sealed);
    },
    isStale: (sealed) => sealedKeyId(sealed) !== currentKeyId,
  };
}
