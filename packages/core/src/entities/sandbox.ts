import { z } from "zod";
import { Id } from "../ids";
import { SandboxPolicy } from "./agent";
import { HOSTNAME, Stored, Timestamp } from "./common";

export const SandboxState = z.enum(["creating", "running", "stopped", "missing", "error", "removed"]);
export type SandboxState = z.infer<typeof SandboxState>;

export const SandboxCreate = z.object({
  agentId: Id.nullable().default(null),
  runId: Id.nullable().default(null),
  policy: SandboxPolicy.default(SandboxPolicy.parse({})),
  env: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/), z.string().max(32_000)).default({}),
});
export type SandboxCreate = z.input<typeof SandboxCreate>;

export const Sandbox = z.object({
  id: Id,
  workspaceId: Id,
  agentId: Id.nullable(),
  runId: Id.nullable(),
  policy: SandboxPolicy,
  state: SandboxState,
  stateReason: z.string().nullable(),
  workerId: Id.nullable(),
  containerId: z.string().nullable(),
  lastUsedAt: Timestamp.nullable(),
  ...Stored,
});
export type Sandbox = z.infer<typeof Sandbox>;

export const SiteBindingCreate = z.object({
  host: z.string().toLowerCase().regex(HOSTNAME, "must be a host name such as app.example.com").max(253),
  containerPort: z.number().int().min(1).max(65535),
});
export type SiteBindingCreate = z.input<typeof SiteBindingCreate>;

export const SiteBinding = z.object({
  id: Id,
  workspaceId: Id,
  sandboxId: Id,
  ...SiteBindingCreate.shape,
  hostPort: z.number().int().min(1).max(65535),
  createdAt: Timestamp,
});
export type SiteBinding = z.infer<typeof SiteBinding>;
