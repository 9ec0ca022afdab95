import { NonRetriableError } from "inngest";

/** Thrown by a step to park the run until `wakeAtMs` (a sleep, an approval timeout) or an event. */
export class RunSuspended extends Error {
  constructor(readonly wakeAtMs: number | null) {
    super(
      wakeAtMs === null ? "Run waits for an event." : `Run waits until ${new Date(wakeAtMs).toISOString()}.`,
    );
    this.name = "RunSuspended";
  }
}

/** Thrown between steps (and by aborted calls) when the run was asked to stop. */
export class RunCancelled extends Error {
  constructor(message = "The run was cancelled.") {
    super(message);
    this.name = "RunCancelled";
  }
}

/**
 * A failure that replaying cannot fix (bad configuration, a 4xx from a provider): the run fails
 * at once. It is Inngest's NonRetriableError, so Inngest does not retry it either.
 */
export class RunFailed extends NonRetriableError {
  constructor(
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "RunFailed";
  }
}

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Milliseconds of a duration given as a number of ms or as Inngest writes it: "30s", "5m", "1h", "2d". */
export function durationMs(value: number | string): number {
  if (typeof value === "number") return value;
  const match = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)$/.exec(value.trim());
  if (!match) throw new Error(`"${value}" is not a duration such as 500ms, 30s, 5m, 1h or 2d.`);
  return Number(match[1]) * (UNITS[match[2]!] ?? 1);
}
