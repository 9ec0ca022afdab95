import type { TokenScope } from "@agentos/core";
import type { Repositories } from "@agentos/db";
import type { SandboxWorkers } from "./sandbox-client";

export interface ApiConfig {
  mode: "local" | "hosted";
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
  onRunQueued?: (run: { id: string; workspaceId: string; agentId: string | null; workflowId: string | null }) => void;
  /**
   * Delivers an approval decision to an engine that keeps waits itself (Inngest); false when the
   * run is not waiting. Without it, the decision resolves the local engine's waiting step.
   */
  deliverApproval?: (run: { id: string; workspaceId: string }, decision: { approved: boolean; comment: string }) => Promise<boolean>;
  /** Called after a running or waiting run was asked to stop, so its engine aborts it at once. */
  onRunCancelRequested?: (run: { id: string; workspaceId: string }) => void;
  /** Reaches the worker hosts that run sandboxes; without it, sandbox routes answer 503. */
  sandboxes?: SandboxWorkers;
}

/** Who is calling: every repository call takes its workspace from here, never from the request. */
export interface Principal {
  kind: "local" | "token";
  workspaceId: string;
  scopes: TokenScope[];
  tokenId?: string;
}

export type ApiEnv = { Variables: { principal: Principal; requestId: string } };
