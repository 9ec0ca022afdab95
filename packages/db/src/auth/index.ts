import type { SecretCipher } from "../cipher";
import type { Database } from "../client";
import { createAuditRepository } from "./audit";
import { createBudgetWaitRepository } from "./budget-waits";
import { createBudgetRepository } from "./budgets";
import { createLoginFailureRepository, type LockoutPolicy } from "./login-failures";
import { createRunOriginRepository } from "./run-origins";
import { createSecretVault } from "./secrets";
import { createTenancyRepository } from "./tenancy";

export { type AuditEntry, type AuditQuery, type AuditRepository, createAuditRepository } from "./audit";
export { createBudgetWaitRepository } from "./budget-waits";
export { type BudgetRepository, createBudgetRepository, type SpendSubject } from "./budgets";
export { createKeyring, type Keyring, keyIdOf, sealedKeyId } from "./keyring";
export { createLoginFailureRepository, type LockoutPolicy } from "./login-failures";
export { AUTH_MODELS } from "./models";
export { createRequestLimiter, type RequestLimitResult } from "./request-limit";
export { type RotationResult, rotateSealedValues } from "./rotate";
export { createRunOriginRepository, type RunOrigin } from "./run-origins";
export {
  createSecretVault,
  replaceSecretReferences,
  type SecretUse,
  type SecretUseRecorder,
  type SecretVault,
} from "./secrets";
export { createTenancyRepository, type TenancyRepository } from "./tenancy";

export const DEFAULT_LOCKOUT: LockoutPolicy = { maxFailures: 5, lockMs: 15 * 60_000 };

/**
 * The hosted-mode repositories over one database: tenancy, budgets, the secrets vault (whose
 * every use lands in the audit log), audit, run origins and sign-in lockout.
 */
export function createHostedRepositories(db: Database, cipher: SecretCipher, lockout = DEFAULT_LOCKOUT) {
  const audit = createAuditRepository(db);
  return {
    tenancy: createTenancyRepository(db),
    budgets: createBudgetRepository(db),
    budgetWaits: createBudgetWaitRepository(db),
    audit,
    vault: createSecretVault(db, cipher, (workspaceId, names, use) =>
      audit.record({
        workspaceId,
        action: "secret.use",
        actorKind: "system",
        targetKind: "secret",
        targetId: names.join(","),
        detail: { names, by: use.by, runId: use.runId ?? null },
      }),
    ),
    runOrigins: createRunOriginRepository(db),
    loginFailures: createLoginFailureRepository(db, lockout),
  };
}
export type HostedRepositories = ReturnType<typeof createHostedRepositories>;
