import type { Run } from "@agentos/core";
import type { RunStore } from "@agentos/db";
import { Inngest, NonRetriableError } from "inngest";
import type { AgentRunDeps } from "../agent/run-agent";
import { memo } from "../step";
import { createRunEventSink, type RunEventSink } from "./event-sink";
import { executeRun } from "./execute-run";

export const RUN_REQUESTED_EVENT = "agentos/run.requested";
export const RUN_CANCELLED_EVENT = "agentos/run.cancelled";

export interface InngestRunFunctionOptions {
  store: RunStore;
  depsFor(
    run: Run,
    signal: AbortSignal,
    events: RunEventSink,
  ): Omit<AgentRunDeps, "events" | "signal" | "store">;
  /** Runs of one agent (or workflow) executed at once across all workers. */
  concurrencyPerAgent?: number;
}

/**
 * The run function on Inngest: the same `executeRun` the local engine calls, given Inngest's own
 * `step` (memoisation, retries, waits for approval events and scale-out are Inngest's). Runs are
 * requested by `agentos/run.requested` and cancelled by `agentos/run.cancelled` (matched on runId).
 */
export function createInngestRunFunction(inngest: Inngest.Any, options: InngestRunFunctionOptions) {
  const { store } = options;
  return inngest.createFunction(
    {
      id: "agentos-run",
      name: "AgentOS run",
      triggers: [{ event: RUN_REQUESTED_EVENT }],
      concurrency: [{ key: "event.data.concurrencyKey", limit: options.concurrencyPerAgent ?? 4 }],
      cancelOn: [{ event: RUN_CANCELLED_EVENT, match: "data.runId" }],
      retries: 3,
      // After the last retry (or at once for a RunFailed), the run ends failed with the reason.
      onFailure: async ({ event, error }) => {
        const runId = (event.data.event.data as { runId: string }).runId;
        await markRunFailed(store, runId, error);
      },
    },
    async ({ event, step }) => {
      const { runId } = event.data as { runId: string };
      const run = await memo(step, "start", async () => {
        const started = await store.setStatus(runId, "running");
        if (!started) throw new NonRetriableError(`Run ${runId} does not exist or already finished.`);
        return started;
      });
      const events = createRunEventSink(store, run);
      const controller = new AbortController();
      const deps: AgentRunDeps = {
        ...options.depsFor(run, controller.signal, events),
        store,
        events,
        signal: controller.signal,
      };
      try {
        const output = await executeRun(step, deps, run);
        await step.run("finish", async () => {
          await events.emit("status", { status: "succeeded" });
          await store.finish(run.id, null, { status: "succeeded", output });
        });
        return output;
      } finally {
        await events.flush();
      }
    },
  );
}

/** Ends a run failed with the error's code (a RunFailed's own, else `run_error`) and message. */
export async function markRunFailed(store: RunStore, runId: string, error: Error): Promise<void> {
  const run = await store.getRun(runId);
  if (!run) return;
  const code = (error as { code?: unknown }).code;
  const runError = { code: typeof code === "string" ? code : "run_error", message: error.message };
  await store.appendEvent(run, "status", { status: "failed", error: runError });
  await store.finish(runId, null, { status: "failed", error: runError });
}

export interface InngestSettings {
  AGENTOS_ENGINE: "local" | "inngest";
  INNGEST_EVENT_KEY?: string | undefined;
  INNGEST_SIGNING_KEY?: string | undefined;
  INNGEST_BASE_URL?: string | undefined;
  INNGEST_DEV?: boolean | undefined;
}

/** The Inngest client of this Studio (web and server send events with it; workers serve functions). */
export function createInngestClient(settings: InngestSettings): Inngest {
  return new Inngest({
    id: "agentos-studio",
    ...(settings.INNGEST_EVENT_KEY ? { eventKey: settings.INNGEST_EVENT_KEY } : {}),
    ...(settings.INNGEST_SIGNING_KEY ? { signingKey: settings.INNGEST_SIGNING_KEY } : {}),
    ...(settings.INNGEST_BASE_URL ? { baseUrl: settings.INNGEST_BASE_URL } : {}),
    ...(settings.INNGEST_DEV !== undefined ? { isDev: settings.INNGEST_DEV } : {}),
  });
}

/** Asks Inngest to execute a queued run (the `agentos/run.requested` event). */
export async function requestRunOnInngest(
  inngest: Inngest.Any,
  run: { id: string; workspaceId: string; concurrencyKey: string },
): Promise<void> {
  await inngest.send({
    name: RUN_REQUESTED_EVENT,
    data: { runId: run.id, workspaceId: run.workspaceId, concurrencyKey: run.concurrencyKey },
  });
}

/** Tells Inngest to cancel a run (matched by `cancelOn` on data.runId). */
export async function cancelRunOnInngest(inngest: Inngest.Any, runId: string): Promise<void> {
  await inngest.send({ name: RUN_CANCELLED_EVENT, data: { runId } });
}

/** Delivers an approval decision to a run waiting on Inngest (`waitForEvent` matches data.runId). */
export async function sendApprovalOnInngest(
  inngest: Inngest.Any,
  runId: string,
  decision: { approved: boolean; comment: string },
): Promise<void> {
  await inngest.send({ name: "run.approval", data: { runId, ...decision } });
}
