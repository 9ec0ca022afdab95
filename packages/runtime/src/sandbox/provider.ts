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
 */
export interface SandboxProvider {
  /** The sandbox of an agent (created and started on first use, per its policy). */
  sandboxForAgent(
    workspaceId: string,
    agentId: string,
    policy: SandboxPolicy,
  ): Promise<{ sandboxId: string }>;
  exec(
    workspaceId: string,
    sandboxId: string,
    request: ExecRequest,
    options?: { onChunk?: (chunk: ExecChunk) => void; signal?: AbortSignal },
  ): Promise<ExecResult>;
  writeFile(workspaceId: string, sandboxId: string, path: string, content: Uint8Array): Promise<void>;
  readFile(workspaceId: string, sandboxId: string, path: string): Promise<Uint8Array>;
  listFiles(workspaceId: string, sandboxId: string, path: string): Promise<SandboxFileEntry[]>;
}
