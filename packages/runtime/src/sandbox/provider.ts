import type { SandboxPolicy } from "@agentos/core";

/** One command to run inside a sandbox. */
export interface ExecRequest {
  /** argv form (no shell), or a string run by `/bin/sh -c`. */
  command: string[] | string;
  stdin?: string;
  env?: Record<string, string>;
  workdir?: string;
  /** The process is killed when this elapses; the result says `timedOut`. */
  timeoutMs: number;
  /** Bytes kept per stream; beyond it output is dropped and the result says `truncated`. */
  outputLimitBytes: number;
}

export interface ExecChunk {
  stream: "stdout" | "stderr";
  /** UTF-8 text of the chunk (binary output is decoded lossily; use files for bytes). */
  text: string;
}

export interface ExecResult {
  exitCode: number | null;
  timedOut: boolean;
  truncated: boolean;
  stdout: string;
  stderr: string;
  durationMs: number;
}

/**
 * One line of an exec streamed over HTTP as NDJSON (`application/x-ndjson`): output chunks as they
 * come, then exactly one `result`, or one `error` (a problem+json body) when the exec could not run.
 */
export type ExecEvent =
  | ({ type: "chunk" } & ExecChunk)
  | ({ type: "result" } & ExecResult)
  | { type: "error"; status: number; title: string; detail: string; code: string };

export interface SandboxFileEntry {
  name: string;
  path: string;
  type: "file" | "directory" | "symlink" | "other";
  size: number;
  modifiedAt: string;
}

/**
 * What the run engine needs from sandboxes. The worker implements it with Docker; web and the
 * headless server implement it as an HTTP client of the worker that owns the sandbox.
 *
 * Paths are absolute inside the container; the working directory (and the only place that keeps
 * files across a restart or a port re-binding) is `/workspace`. Every call is scoped by workspace:
 * a sandbox of another workspace is `NotFound`.
 */
export interface SandboxProvider {
  /**
   * The sandbox of an agent: its live sandbox when it has one (restarted if stopped, re-created
   * with its files when the policy's image, network or limits changed), else a new one, warm
   * from the pool when one matches.
   */
  sandboxForAgent(
    workspaceId: string,
    agentId: string,
    policy: SandboxPolicy,
  ): Promise<{ sandboxId: string }>;
  /** Runs a command (starting the sandbox if it was stopped); `onChunk` sees output as it comes. */
  exec(
    workspaceId: string,
    sandboxId: string,
    request: ExecRequest,
    options?: { onChunk?: (chunk: ExecChunk) => void; signal?: AbortSignal },
  ): Promise<ExecResult>;
  /** Writes a file (parents created), owned by the sandbox user. */
  writeFile(workspaceId: string, sandboxId: string, path: string, content: Uint8Array): Promise<void>;
  readFile(workspaceId: string, sandboxId: string, path: string): Promise<Uint8Array>;
  /** The entries of a directory (not recursive). */
  listFiles(workspaceId: string, sandboxId: string, path: string): Promise<SandboxFileEntry[]>;
}
