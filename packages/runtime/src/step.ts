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
  /** Results must be JSON-serialisable: a replay returns them parsed from storage. */
  run<T>(id: string, fn: () => Promise<T> | T): Promise<T>;
  sleep(id: string, durationMs: number): Promise<void>;
  waitForEvent(
    id: string,
    options: { event: string; match?: string; timeout: number | string },
  ): Promise<StepEvent | null>;
}
