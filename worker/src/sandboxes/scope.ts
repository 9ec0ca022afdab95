import type { StudioMetaRepository } from "@agentos/db";
import { scopeOfInstallation } from "./labels";

export interface SandboxScopes {
  /** The scope label of every container and volume this worker makes. */
  scope: string;
  /** Scopes derived from secret keys by earlier releases: containers carrying them are ours too. */
  legacyScopes: string[];
}

/**
 * The sandbox scopes of this installation. Its scope comes from the installation id, so rotating
 * AGENTOS_SECRET_KEY keeps it. Earlier releases labelled containers with a digest of the secret
 * key, and Docker labels cannot change: such containers keep their label until re-created. The
 * legacy scope of each key a worker is given (current and previous) is remembered in the
 * database (as `agentos secrets rotate-key` does), so those containers stay recognised after
 * their key is rotated away.
 */
export async function sandboxScopesOf(
  meta: StudioMetaRepository,
  secretKeys: readonly string[],
): Promise<SandboxScopes> {
  const scope = scopeOfInstallation(await meta.installationId());
  await meta.rememberLegacySandboxScopes(secretKeys);
  return { scope, legacyScopes: await meta.legacySandboxScopes() };
}
