import type { JsonValue } from "@agentos/core";

/** An event a waiting run receives, e.g. an approval decision. */
export interface StepEvent {
  name: string;
  data: Record<string, JsonValue>;
}

/**
 * The durable-step interface run functions are written against. `run` results are memoised by
 * id, so a replay skips what finished; the local engine and Inngest's `step` both provide it.
 */
export interface Step {
  // biome-ignore lint/suspicious/noConfusingVoidType: steps that return nothing are written as () => Promise<void>.
  run<T extends JsonValue | undefined | void>(id: string, fn: () => Promise<T> | T): Promise<T>;
  sleep(id: string, durationMs: number): Promise<void>;
  waitForEvent(
    id: string,
    options: { event: string; match?: string; timeout: number | string },
  ): Promise<StepEvent | null>;
}
