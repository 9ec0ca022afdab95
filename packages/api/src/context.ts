import type { TokenScope } from "@agentos/core";
import type { Repositories } from "@agentos/db";

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
  onRunQueued?: (run: { id: string; workspaceId: string }) => void;
}

/** Who is calling: every repository call takes its workspace from here, never from the request. */
export interface Principal {
  kind: "local" | "token";
  workspaceId: string;
  scopes: TokenScope[];
  tokenId?: string;
}

export type ApiEnv = { Variables: { principal: Principal; requestId: string } };
