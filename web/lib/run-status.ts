import type { RunStatus } from "@agentos/core";

// A copy of core's RUN_STATUSES: importing values from @agentos/core would pull zod into every
// client bundle; the type import keeps the two in step.
export const RUN_STATUSES = [
  "queued",
  "running",
  "waiting",
  "succeeded",
  "failed",
  "cancelled",
] as const satisfies readonly RunStatus[];

export const isFinal = (status: RunStatus): boolean =>
  status === "succeeded" || status === "failed" || status === "cancelled";
