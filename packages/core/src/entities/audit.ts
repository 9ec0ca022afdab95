import { z } from "zod";
import { Id } from "../ids";
import { JsonValue, Timestamp } from "./common";

export const AuditActorKind = z.enum(["user", "token", "oauth", "local", "system"]);
export type AuditActorKind = z.infer<typeof AuditActorKind>;

/** One entry of the audit log: who did what, to what, when, and how it ended. */
export const AuditEvent = z.object({
  id: Id,
  workspaceId: Id,
  action: z.string().describe("e.g. auth.sign_in, token.create, agent.update, run.cancel, secret.use"),
  actorKind: AuditActorKind,
  actorId: z.string().nullable(),
  targetKind: z.string().nullable(),
  targetId: z.string().nullable(),
  status: z.number().int().nullable().describe("HTTP status of the request, when it was one"),
  ip: z.string().nullable(),
  detail: z.record(z.string(), JsonValue),
  createdAt: Timestamp,
});
export type AuditEvent = z.infer<typeof AuditEvent>;
