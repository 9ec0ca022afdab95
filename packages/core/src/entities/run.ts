import { z } from "zod";
import { Id } from "../ids";
import { JsonValue, Timestamp, Usage } from "./common";

export const RUN_STATUSES = ["queued", "running", "waiting", "succeeded", "failed", "cancelled"] as const;
export const RunStatus = z.enum(RUN_STATUSES);
export type RunStatus = z.infer<typeof RunStatus>;
export const FINAL_RUN_STATUSES: readonly RunStatus[] = ["succeeded", "failed", "cancelled"];
export const isFinalRunStatus = (s: RunStatus): boolean => FINAL_RUN_STATUSES.includes(s);

export const RunKind = z.enum(["agent", "workflow", "chat"]);
export type RunKind = z.infer<typeof RunKind>;

export const RunError = z.object({
  code: z.string().describe("Stable code, e.g. budget_exceeded, provider_error, cancelled"),
  message: z.string(),
});
export type RunError = z.infer<typeof RunError>;

export const RunCreate = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("agent"), agentId: Id, input: JsonValue.default("") }),
  z.object({ kind: z.literal("workflow"), workflowId: Id, input: JsonValue.default(null) }),
  z.object({ kind: z.literal("chat"), agentId: Id, conversationId: Id, input: JsonValue.default("") }),
]);
export type RunCreate = z.input<typeof RunCreate>;

export const Run = z.object({
  id: Id,
  workspaceId: Id,
  kind: RunKind,
  status: RunStatus,
  agentId: Id.nullable(),
  workflowId: Id.nullable(),
  conversationId: Id.nullable(),
  input: JsonValue,
  output: JsonValue.nullable(),
  error: RunError.nullable(),
  usage: Usage,
  costUsd: z.number().nonnegative(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
  startedAt: Timestamp.nullable(),
  finishedAt: Timestamp.nullable(),
});
export type Run = z.infer<typeof Run>;

export const RunStepKind = z.enum(["llm", "tool", "sleep", "wait", "node", "other"]);
export const RunStep = z.object({
  id: Id,
  runId: Id,
  key: z.string().describe("Memo key: the id given to step.run"),
  kind: RunStepKind,
  name: z.string(),
  status: z.enum(["running", "succeeded", "failed"]),
  attempt: z.number().int().min(1),
  input: JsonValue.nullable(),
  output: JsonValue.nullable(),
  error: RunError.nullable(),
  model: z.string().nullable(),
  usage: Usage.nullable(),
  costUsd: z.number().nonnegative(),
  startedAt: Timestamp,
  finishedAt: Timestamp.nullable(),
});
export type RunStep = z.infer<typeof RunStep>;

export const RUN_EVENT_TYPES = [
  "status",
  "step.start",
  "step.end",
  "text.delta",
  "tool.call",
  "tool.result",
  "usage",
  "log",
  "approval.requested",
  "approval.resolved",
] as const;
export const RunEventType = z.enum(RUN_EVENT_TYPES);
export type RunEventType = z.infer<typeof RunEventType>;

export const RunEvent = z.object({
  runId: Id,
  seq: z.number().int().min(1).describe("1, 2, 3… per run; the SSE event id"),
  type: RunEventType,
  payload: JsonValue,
  createdAt: Timestamp,
});
export type RunEvent = z.infer<typeof RunEvent>;
