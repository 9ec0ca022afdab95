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
  /**
   * Runs `fn` once per id and memoises its result. Results must be JSON-serialisable: a replay
   * returns them parsed from storage. Typed `unknown` so that Inngest's `step` (which returns
   * `Jsonify<T>`) satisfies this interface directly; call it through `memo` for a typed result.
   */
  run<T>(id: string, fn: () => Promise<T> | T): Promise<unknown>;
  sleep(id: string, durationMs: number): Promise<void>;
  waitForEvent(
    id: string,
    options: { event: string; match?: string; timeout: number | string },
  ): Promise<StepEvent | null>;
}

/** `step.run` with the result typed as what `fn` returns (JSON round-tripped on replay). */
export async function memo<T>(step: Step, id: string, fn: () => Promise<T> | T): Promise<T> {
  return (await step.run(id, fn)) as T;
}
