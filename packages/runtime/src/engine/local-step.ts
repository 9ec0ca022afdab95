import type { JsonValue, RunStep } from "@agentos/core";
import type { RunStore } from "@agentos/db";
import type { Step, StepEvent } from "../step";
import { durationMs, RunCancelled, RunSuspended } from "./signals";

/** The step kind shown in the run timeline, read from the id's prefix (`llm-2`, `tool-1-call_x`). */
export function stepKindOf(id: string): RunStep["kind"] {
  const prefix = id.split(/[-:]/, 1)[0];
  if (prefix === "llm" || prefix === "tool" || prefix === "node") return prefix;
  return "other";
}

/** JSON round trip, so a fresh result and a replayed one are the same value. */
const asJson = <T>(value: T): T => (value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T));

export interface LocalStepOptions {
  store: RunStore;
  run: { id: string; workspaceId: string };
  /** Checked before each new step; a cancelled run stops between steps. */
  isCancelled(): Promise<boolean>;
  now?: () => number;
}

/**
 * The local engine's `Step`: every `run` result is memoised in `run_steps` by id, so a replay
 * (after a crash, a sleep or an approval) returns finished steps without running them again.
 * `sleep` and `waitForEvent` park the run by throwing `RunSuspended`.
 */
export function createLocalStep({ store, run, isCancelled, now = Date.now }: LocalStepOptions): Step {
  return {
    async run<T>(id: string, fn: () => Promise<T> | T): Promise<unknown> {
      const existing = await store.findStep(run.id, id);
      if (existing?.status === "succeeded") return (existing.output ?? undefined) as T;
      if (await isCancelled()) throw new RunCancelled();
      await store.startStep(run, { key: id, kind: stepKindOf(id), name: id });
      try {
        const output = asJson(await fn());
        await store.completeStep(run.id, id, (output ?? null) as JsonValue);
        return output;
      } catch (error) {
        if (!(error instanceof RunSuspended)) {
          await store.failStep(run.id, id, {
            code: error instanceof RunCancelled ? "cancelled" : "step_failed",
            message: (error as Error).message,
          });
        }
        throw error;
      }
    },

    async sleep(id: string, ms: number): Promise<void> {
      const existing = await store.findStep(run.id, id);
      if (existing?.status === "succeeded") return;
      const wakeAtMs = (existing?.input as { wakeAtMs?: number } | null)?.wakeAtMs ?? now() + ms;
      if (!existing) await store.startStep(run, { key: id, kind: "sleep", name: id, input: { wakeAtMs } });
      if (now() >= wakeAtMs) {
        await store.completeStep(run.id, id, null);
        return;
      }
      throw new RunSuspended(wakeAtMs);
    },

    async waitForEvent(id, options): Promise<StepEvent | null> {
      const existing = await store.findStep(run.id, id);
      if (existing?.status === "succeeded") return (existing.output ?? null) as StepEvent | null;
      const timeoutAtMs =
        (existing?.input as { timeoutAtMs?: number } | null)?.timeoutAtMs ??
        now() + durationMs(options.timeout);
      if (!existing) {
        await store.startStep(run, {
          key: id,
          kind: "wait",
          name: id,
          input: { event: options.event, timeoutAtMs },
        });
      }
      if (now() >= timeoutAtMs) {
        await store.completeStep(run.id, id, null);
        return null;
      }
      throw new RunSuspended(timeoutAtMs);
    },
  };
}
