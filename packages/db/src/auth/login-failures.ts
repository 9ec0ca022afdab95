import { eq, sql } from "drizzle-orm";
import type { Database } from "../client";
import { nowIso } from "../resource-repository";
import { loginFailures } from "../schema";

export interface LockoutPolicy {
  /** Failures in a row that lock the account. */
  maxFailures: number;
  /** How long a lock lasts. */
  lockMs: number;
}

/** Failed sign-ins per email, shared by every process on the database. */
export function createLoginFailureRepository(db: Database, policy: LockoutPolicy) {
  const key = (email: string) => email.trim().toLowerCase();
  return {
    /** Milliseconds until the lock on `email` ends, or 0 when it may try. */
    async lockedForMs(email: string, now = Date.now()): Promise<number> {
      const [row] = await db
        .select()
        .from(loginFailures)
        .where(eq(loginFailures.email, key(email)));
      return row?.lockedUntilMs && row.lockedUntilMs > now ? row.lockedUntilMs - now : 0;
    },
    /** Counts a failure; the one that reaches the limit locks the email and restarts the count. */
    async recordFailure(email: string, now = Date.now()): Promise<{ locked: boolean }> {
      const [row] = await db
        .insert(loginFailures)
        .values({ email: key(email), failures: 1, lockedUntilMs: null, updatedAt: nowIso() })
        .onConflictDoUpdate({
          target: loginFailures.email,
          set: { failures: sql`${loginFailures.failures} + 1`, updatedAt: nowIso() },
        })
        .returning();
      if (!row || row.failures < policy.maxFailures) return { locked: false };
      await db
        .update(loginFailures)
        .set({ failures: 0, lockedUntilMs: now + policy.lockMs })
        .where(eq(loginFailures.email, key(email)));
      return { locked: true };
    },
    async clear(email: string): Promise<void> {
      await db.delete(loginFailures).where(eq(loginFailures.email, key(email)));
    },
  };
}
