import type { RunError } from "@agentos/core";
import { and, eq, sql } from "drizzle-orm";
import type { Database } from "../client";
import { nowIso } from "../resource-repository";
import { runs } from "../schema";

const isBudgetWait = sql`json_extract(${runs.error}, '$.code') = 'budget_exceeded'`;

/** Runs parked by a budget, and waking them once the limit allows. */
export function createBudgetWaitRepository(db: Database) {
  return {
    /** Notes why a run is about to park: the engine then marks it waiting. */
    async noteExceeded(runId: string, error: RunError): Promise<void> {
      await db.update(runs).set({ error, updatedAt: nowIso() }).where(eq(runs.id, runId));
    },
    /** Re-queues runs of the workspace (or one run) waiting on a budget; returns them. */
    async resume(workspaceId: string, runId?: string) {
      return db
        .update(runs)
        .set({ status: "queued", error: null, leaseOwner: null, leaseExpiresAt: null, updatedAt: nowIso() })
        .where(
          and(
            eq(runs.workspaceId, workspaceId),
            eq(runs.status, "waiting"),
            isBudgetWait,
            runId ? eq(runs.id, runId) : undefined,
          ),
        )
        .returning({
          id: runs.id,
          workspaceId: runs.workspaceId,
          agentId: runs.agentId,
          workflowId: runs.workflowId,
        });
    },
  };
}
