import type { TokenScope, WorkspaceRole } from "@agentos/core";
import type { Repositories } from "@agentos/db";
import type { AllowList } from "@agentos/runtime";
import type { TenancyDeps } from "./auth/tenancy-deps";
import type { OllamaWorkers } from "./ollama-client";
import type { SandboxWorkers } from "./sandbox-client";

export interface ApiConfig {
  mode: "local" | "hosted";
  /** Hosted: private destinations user-supplied URLs may reach anyway (AGENTOS_OUTBOUND_ALLOW); default none. */
  outboundAllow?: AllowList;
  /** Largest JSON request body accepted, in bytes. */
  bodyLimitBytes: number;
  /** Origins allowed to call the API from a browser (a remote Studio); empty allows none. */
  corsOrigins: string[];
  version: string;
}

export interface ApiDeps {
  repos: Repositories;
  config: ApiConfig;
  /** Called after a run is created, so an engine can pick it up at once (the local engine polls anyway). */
  onRunQueued?: (run: {
    id: string;
    workspaceId: string;
    agentId: string | null;
    workflowId: string | null;
  }) => void;
  /**
   * Delivers an approval decision to an engine that keeps waits itself (Inngest); false when the
   * run is not waiting. Without it, the decision resolves the local engine's waiting step.
   */
  deliverApproval?: (
    run: { id: string; workspaceId: string },
    decision: { approved: boolean; comment: string },
  ) => Promise<boolean>;
  /** Called after a running or waiting run was asked to stop, so its engine aborts it at once. */
  onRunCancelRequested?: (run: { id: string; workspaceId: string }) => void;
  /** Reaches the worker hosts that run sandboxes; without it, sandbox routes answer 503. */
  sandboxes?: SandboxWorkers;
  /** Reaches the worker host that offers Ollama; without it, /api/ollama routes answer 503. */
  ollama?: OllamaWorkers;
  /** Accounts (hosted), budgets, secrets and the audit log; without it those routes answer 503. */
  tenancy?: TenancyDeps;
}

/** Who is calling: every repository call takes its workspace from here, never from the request. */
export interface Principal {
  /** local: no login (local mode); token: an API token; user: a session cookie; oauth: an MCP client's token. */
  kind: "local" | "token" | "user" | "oauth";
  workspaceId: string;
  scopes: TokenScope[];
  tokenId?: string;
  /** The signed-in user (sessions and OAuth tokens). */
  userId?: string;
  /** The user's role in the workspace. */
  role?: WorkspaceRole;
}

export type ApiEnv = { Variables: { principal: Principal; requestId: string } };
