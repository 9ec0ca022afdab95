import type { JsonValue, Run, RunError, RunEvent, RunEventType, RunStep, Usage } from "@agentos/core";
import { newId, ZERO_USAGE } from "@agentos/core";
import { and, asc, eq, sql } from "drizzle-orm";
import type { Database } from "./client";
import { nowIso } from "./resource-repository";
import { runEvents, runSteps, runs } from "./schema";

type RunRow = typeof runs.$inferSelect;
type StepRow = typeof runSteps.$inferSelect;

const toRun = ({ leaseOwner: _o, leaseExpiresAt: _e, cancelRequested: _c, ...run }: RunRow): Run =>
  run as Run;

/** A run claimed by an engine, with the engine-only fields it needs. */
export interface ClaimedRun {
  run: Run;
  cancelRequested: boolean;
}

/**
 * What the run engine writes: leases, step memos, events, usage. Every write is one SQL statement
 * (libSQL file calls are synchronous; an interactive transaction would block other writers), and
 * every lease-guarded write names its owner, so a worker that lost its lease cannot overwrite.
 */
export function createRunStore(db: Database) {
  const store = {
    /** Writes a new run, `queued` for an engine to claim. */
    async queue(
      workspaceId: string,
      run: {
        kind: Run["kind"];
        agentId?: string | null;
        workflowId?: string | null;
        conversationId?: string | null;
        input: JsonValue;
      },
    ): Promise<Run> {
      const now = nowIso();
      const [row] = await db
        .insert(runs)
        .values({
          id: newId("run"),
          workspaceId,
          kind: run.kind,
          status: "queued",
          agentId: run.agentId ?? null,
          workflowId: run.workflowId ?? null,
          conversationId: run.conversationId ?? null,
          input: run.input,
          usage: ZERO_USAGE,
          costUsd: 0,
          createdAt: now,
          updatedAt: now,
        })
        .returning();
      return toRun(row!);
    },

    /**
     * Claims the oldest runnable run: queued, or running/waiting with an expired lease (a crashed
     * worker, a due sleep or approval timeout). One UPDATE, so two workers never claim the same run.
     */
    async claim(owner: string, leaseMs: number, now = Date.now()): Promise<ClaimedRun | null> {
      const iso = new Date(now).toISOString();
      const rows = await db
        .update(runs)
        .set({
          status: "running",
          leaseOwner: owner,
          leaseExpiresAt: now + leaseMs,
          startedAt: sql`coalesce(${runs.startedAt}, ${iso})`,
          updatedAt: iso,
        })
        .where(
          eq(
            runs.id,
            sql`(SELECT id FROM runs WHERE
                  (status = 'queued' AND cancel_requested = 0)
                  OR (status IN ('running', 'waiting') AND lease_expires_at IS NOT NULL AND lease_expires_at < ${now})
                ORDER BY created_at LIMIT 1)`,
          ),
        )
        .returning();
      const row = rows[0];
      return row ? { run: toRun(row), cancelRequested: row.cancelRequested } : null;
    },

    /** Extends the lease; null when the lease was lost (another worker took over, or the run ended). */
    async renewLease(
      runId: string,
      owner: string,
      leaseMs: number,
    ): Promise<{ cancelRequested: boolean } | null> {
      const rows = await db
        .update(runs)
        .set({ leaseExpiresAt: Date.now() + leaseMs })
        .where(and(eq(runs.id, runId), eq(runs.leaseOwner, owner), eq(runs.status, "running")))
        .returning({ cancelRequested: runs.cancelRequested });
      return rows[0] ?? null;
    },

    async isCancelRequested(runId: string): Promise<boolean> {
      const [row] = await db.select({ c: runs.cancelRequested }).from(runs).where(eq(runs.id, runId));
      return row?.c ?? false;
    },

    /**
     * Ends a run the caller still owns (false when the lease was lost meanwhile). With a null owner
     * (Inngest, which guarantees one execution itself) it ends any run that is not final yet.
     */
    async finish(
      runId: string,
      owner: string | null,
      outcome: {
        status: "succeeded" | "failed" | "cancelled";
        output?: JsonValue | null;
        error?: RunError | null;
      },
    ): Promise<boolean> {
      const iso = nowIso();
      const rows = await db
        .update(runs)
        .set({
          status: outcome.status,
          output: outcome.output ?? null,
          error: outcome.error ?? null,
          finishedAt: iso,
          updatedAt: iso,
          leaseOwner: null,
          leaseExpiresAt: null,
        })
        .where(
          and(
            eq(runs.id, runId),
            owner === null
              ? sql`${runs.status} NOT IN ('succeeded', 'failed', 'cancelled')`
              : eq(runs.leaseOwner, owner),
          ),
        )
        .returning({ id: runs.id });
      return rows.length > 0;
    },

    /** Sets the status of a run driven by an engine without leases (Inngest); final runs stay final. */
    async setStatus(runId: string, status: "running" | "waiting"): Promise<Run | undefined> {
      const iso = nowIso();
      const [row] = await db
        .update(runs)
        .set({ status, startedAt: sql`coalesce(${runs.startedAt}, ${iso})`, updatedAt: iso })
        .where(and(eq(runs.id, runId), sql`${runs.status} NOT IN ('succeeded', 'failed', 'cancelled')`))
        .returning();
      return row ? toRun(row) : undefined;
    },

    /** Parks a run that waits for an event or a timer; `wakeAtMs` re-queues it by time (null: only an event does). */
    async suspend(runId: string, owner: string, wakeAtMs: number | null): Promise<void> {
      await db
        .update(runs)
        .set({ status: "waiting", leaseOwner: null, leaseExpiresAt: wakeAtMs, updatedAt: nowIso() })
        .where(and(eq(runs.id, runId), eq(runs.leaseOwner, owner)));
    },

    /** Gives a run back to the queue at once (drain on shutdown): another worker resumes it. */
    async release(runId: string, owner: string): Promise<void> {
      await db
        .update(runs)
        .set({ leaseExpiresAt: 0 })
        .where(and(eq(runs.id, runId), eq(runs.leaseOwner, owner)));
    },

    /** Re-queues a waiting run (after an approval decision). */
    async wake(runId: string): Promise<boolean> {
      const rows = await db
        .update(runs)
        .set({ status: "queued", leaseExpiresAt: null, updatedAt: nowIso() })
        .where(and(eq(runs.id, runId), eq(runs.status, "waiting")))
        .returning({ id: runs.id });
      return rows.length > 0;
    },

    async addUsage(runId: string, usage: Usage, costUsd: number): Promise<void> {
      await db
        .update(runs)
        .set({
          usage: sql`json_object(
            'inputTokens', json_extract(${runs.usage}, '$.inputTokens') + ${usage.inputTokens},
            'outputTokens', json_extract(${runs.usage}, '$.outputTokens') + ${usage.outputTokens},
            'cachedInputTokens', json_extract(${runs.usage}, '$.cachedInputTokens') + ${usage.cachedInputTokens})`,
          costUsd: sql`${runs.costUsd} + ${costUsd}`,
        })
        .where(eq(runs.id, runId));
    },

    /** Appends an event with the next sequence number of its run, in one statement. */
    async appendEvent(
      run: { id: string; workspaceId: string },
      type: RunEventType,
      payload: JsonValue,
    ): Promise<RunEvent> {
      const createdAt = nowIso();
      const [row] = await db
        .insert(runEvents)
        .values({
          runId: run.id,
          workspaceId: run.workspaceId,
          seq: sql`(SELECT coalesce(max(seq), 0) + 1 FROM run_events WHERE run_id = ${run.id})`,
          type,
          payload,
          createdAt,
        })
        .returning({ seq: runEvents.seq });
      return { runId: run.id, seq: Number(row?.seq), type, payload, createdAt };
    },

    async findStep(runId: string, key: string): Promise<RunStep | undefined> {
      const [row] = await db
        .select()
        .from(runSteps)
        .where(and(eq(runSteps.runId, runId), eq(runSteps.key, key)));
      return row ? stepOf(row) : undefined;
    },

    /** Records that a step began (or began again after a crash, with the next attempt number). */
    async startStep(
      run: { id: string; workspaceId: string },
      step: { key: string; kind: RunStep["kind"]; name: string; input?: JsonValue | null },
    ): Promise<RunStep> {
      const startedAt = nowIso();
      const [row] = await db
        .insert(runSteps)
        .values({
          id: newId("runStep"),
          workspaceId: run.workspaceId,
          runId: run.id,
          key: step.key,
          kind: step.kind,
          name: step.name,
          status: "running",
          attempt: 1,
          input: step.input ?? null,
          startedAt,
        })
        .onConflictDoUpdate({
          target: [runSteps.runId, runSteps.key],
          set: { status: "running", attempt: sql`${runSteps.attempt} + 1`, startedAt, error: null },
        })
        .returning();
      return stepOf(row!);
    },

    async completeStep(runId: string, key: string, output: JsonValue | null): Promise<void> {
      await db
        .update(runSteps)
        .set({ status: "succeeded", output, finishedAt: nowIso() })
        .where(and(eq(runSteps.runId, runId), eq(runSteps.key, key)));
    },

    async failStep(runId: string, key: string, error: RunError): Promise<void> {
      await db
        .update(runSteps)
        .set({ status: "failed", error, finishedAt: nowIso() })
        .where(and(eq(runSteps.runId, runId), eq(runSteps.key, key)));
    },

    /** Completes a waiting step from outside (an approval decision); false if it was not waiting. */
    async resolveWaitingStep(runId: string, output: JsonValue): Promise<RunStep | null> {
      const rows = await db
        .update(runSteps)
        .set({ status: "succeeded", output, finishedAt: nowIso() })
        .where(and(eq(runSteps.runId, runId), eq(runSteps.kind, "wait"), eq(runSteps.status, "running")))
        .returning();
      return rows[0] ? stepOf(rows[0]) : null;
    },

    async waitingStep(runId: string): Promise<RunStep | null> {
      const [row] = await db
        .select()
        .from(runSteps)
        .where(and(eq(runSteps.runId, runId), eq(runSteps.kind, "wait"), eq(runSteps.status, "running")))
        .orderBy(asc(runSteps.startedAt))
        .limit(1);
      return row ? stepOf(row) : null;
    },

    /** Usage of a model call, on its step row (created when the engine keeps no step rows, as on Inngest). */
    async recordStepUsage(
      run: { id: string; workspaceId: string },
      key: string,
      model: string,
      usage: Usage,
      costUsd: number,
    ): Promise<void> {
      const now = nowIso();
      await db
        .insert(runSteps)
        .values({
          id: newId("runStep"),
          workspaceId: run.workspaceId,
          runId: run.id,
          key,
          kind: "llm",
          name: key,
          status: "succeeded",
          startedAt: now,
          finishedAt: now,
          model,
          usage,
          costUsd,
        })
        .onConflictDoUpdate({ target: [runSteps.runId, runSteps.key], set: { model, usage, costUsd } });
    },

    /**
     * Delivers an approval decision to the run's waiting step and re-queues the run; null when
     * the run is not waiting on an approval (nothing is changed then).
     */
    async decideApproval(
      run: { id: string; workspaceId: string },
      decision: { approved: boolean; comment: string },
    ): Promise<RunStep | null> {
      const step = await store.waitingStep(run.id);
      if (!step || (step.input as { event?: string } | null)?.event !== "run.approval") return null;
      const resolved = await store.resolveWaitingStep(run.id, { name: "run.approval", data: decision });
      if (!resolved) return null;
      await store.appendEvent(run, "approval.resolved", { step: resolved.key, ...decision });
      await store.wake(run.id);
      return resolved;
    },

    async getRun(runId: string): Promise<Run | undefined> {
      const [row] = await db.select().from(runs).where(eq(runs.id, runId));
      return row ? toRun(row) : undefined;
    },
  };
  return store;
}

function stepOf({ workspaceId: _w, ...row }: StepRow): RunStep {
  return row as RunStep;
}

export type RunStore = ReturnType<typeof createRunStore>;
