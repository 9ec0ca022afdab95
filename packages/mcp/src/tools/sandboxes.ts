import { Id } from "@agentos/core";
import { z } from "zod";
import { ApiProblem, type StudioApi } from "../api/studio-api";
import { defineTool, ok, type ToolContext, ToolError } from "./tool";

const SandboxId = Id.describe("Id of the sandbox, e.g. sbx_01jh…");
const FilePath = z
  .string()
  .min(1)
  .max(4096)
  .describe("Absolute path inside the sandbox, e.g. /workspace/main.py");
const sandboxFields = { "path.id": "sandboxId", "query.path": "path" };
const PREVIEW = 200;

interface ExecResult {
  exitCode: number | null;
  timedOut: boolean;
  truncated: boolean;
  stdout: string;
  stderr: string;
  durationMs: number;
}

/** One line of the exec route's NDJSON answer. */
type ExecEvent =
  | { type: "chunk"; stream: "stdout" | "stderr"; text: string }
  | ({ type: "result" } & ExecResult)
  | { type: "error"; status: number; title: string; detail: string };

/** Calls a sandbox route, turning "no such route" (404) and "unavailable" (503) into plain answers. */
async function sandboxCall<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof ApiProblem && error.isMissingRoute) {
      throw new ToolError(
        "Sandboxes are not available on this Studio: it has no /api/sandboxes endpoints. They need a Studio with the sandbox API and a worker with Docker.",
      );
    }
    if (error instanceof ApiProblem && error.status === 503) {
      throw new ToolError(
        `Sandboxes are unavailable right now: ${error.problem.detail} Try again later, or check that a worker with Docker is running.`,
      );
    }
    throw error;
  }
}

/** Reads the exec route's NDJSON lines, relaying output as progress, up to the result line. */
export async function execResult(response: Response, context: ToolContext): Promise<ExecResult> {
  if (!/ndjson/i.test(response.headers.get("content-type") ?? ""))
    return (await response.json()) as ExecResult;
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  try {
    return await readExecLines(reader, context);
  } finally {
    reader.cancel().catch(() => {});
  }
}

async function readExecLines(reader: ReadableStreamDefaultReader<string>, context: ToolContext) {
  let buffered = "";
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    buffered += value;
    const complete = buffered.split("\n");
    buffered = complete.pop() ?? "";
    for (const line of complete) {
      if (!line.trim()) continue;
      const event = JSON.parse(line) as ExecEvent;
      if (event.type === "chunk") {
        const chunk = event.text.length > PREVIEW ? `${event.text.slice(0, PREVIEW)}…` : event.text;
        await context.progress(`${event.stream}: ${chunk}`);
      } else if (event.type === "result") {
        return event;
      } else {
        throw new ToolError(`${event.title} (${event.status}): ${event.detail}`);
      }
    }
  }
  throw new ToolError("The sandbox exec ended without a result; the worker may have stopped. Try again.");
}

function decodeFile(bytes: Uint8Array): { content: string; encoding: "utf8" | "base64" } {
  try {
    return { content: new TextDecoder("utf-8", { fatal: true }).decode(bytes), encoding: "utf8" };
  } catch {
    let binary = "";
    for (const byte of bytes) binary += String.fromCharCode(byte);
    return { content: btoa(binary), encoding: "base64" };
  }
}

function encodeFile(content: string, encoding: "utf8" | "base64"): Uint8Array {
  if (encoding === "utf8") return new TextEncoder().encode(content);
  try {
    return Uint8Array.from(atob(content), (c) => c.charCodeAt(0));
  } catch {
    throw new ToolError('content: is not valid base64; send base64 text, or use encoding "utf8" for text.');
  }
}

async function readFile(api: StudioApi, sandboxId: string, path: string) {
  const response = await api.send("GET", `/api/sandboxes/${sandboxId}/files/content`, { query: { path } });
  return { path, ...decodeFile(new Uint8Array(await response.arrayBuffer())) };
}

export const sandboxTools = [
  defineTool({
    name: "sandbox_exec",
    title: "Run a command in a sandbox",
    description:
      "Runs a command in a sandbox container (argv array, or a string for /bin/sh -c) and returns its exit code, stdout and stderr; output is relayed as progress notifications while it runs. A stopped sandbox is started first. Sandboxes have no network unless their policy allows it.",
    input: z.object({
      sandboxId: SandboxId,
      command: z
        .union([z.string().min(1), z.array(z.string()).min(1)])
        .describe('argv, e.g. ["python3", "main.py"], or a shell command line'),
      stdin: z.string().max(1_000_000).optional(),
      env: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/), z.string()).optional(),
      workdir: z.string().max(4096).optional().describe("Absolute working directory (default /workspace)"),
      timeoutMs: z.number().int().min(100).max(3_600_000).optional().describe("Kill the command after this"),
    }),
    fields: sandboxFields,
    async run({ sandboxId, ...request }, context) {
      const result = await sandboxCall(async () =>
        execResult(
          await context.api.send("POST", `/api/sandboxes/${sandboxId}/exec`, {
            body: request,
            signal: context.signal,
          }),
          context,
        ),
      );
      const status = result.timedOut ? "timed out" : `exited ${result.exitCode}`;
      return ok(
        result,
        `Command ${status} after ${result.durationMs} ms${result.truncated ? " (output truncated)" : ""}.`,
      );
    },
  }),
  defineTool({
    name: "sandbox_list_files",
    title: "List a directory in a sandbox",
    description:
      "Lists the entries of a directory in a sandbox: name, path, type, size and modification time.",
    input: z.object({ sandboxId: SandboxId, path: FilePath.default("/workspace") }),
    annotations: { readOnlyHint: true },
    fields: sandboxFields,
    async run({ sandboxId, path }, { api }) {
      return ok(await sandboxCall(() => api.get(`/api/sandboxes/${sandboxId}/files`, { path })));
    },
  }),
  defineTool({
    name: "sandbox_read_file",
    title: "Read a file in a sandbox",
    description:
      "Reads a file from a sandbox: UTF-8 text as is, other bytes as base64 (`encoding` says which).",
    input: z.object({ sandboxId: SandboxId, path: FilePath }),
    annotations: { readOnlyHint: true },
    fields: sandboxFields,
    async run({ sandboxId, path }, { api }) {
      return ok(await sandboxCall(() => readFile(api, sandboxId, path)));
    },
  }),
  defineTool({
    name: "sandbox_write_file",
    title: "Write a file in a sandbox",
    description:
      'Writes a file into a sandbox, creating its parent directories or replacing it. `content` is UTF-8 text, or base64 with `encoding: "base64"` for bytes.',
    input: z.object({
      sandboxId: SandboxId,
      path: FilePath,
      content: z.string().max(20_000_000),
      encoding: z.enum(["utf8", "base64"]).default("utf8"),
    }),
    fields: sandboxFields,
    async run({ sandboxId, path, content, encoding }, { api }) {
      const bytes = encodeFile(content, encoding);
      await sandboxCall(() =>
        api.send("PUT", `/api/sandboxes/${sandboxId}/files/content`, {
          query: { path },
          body: bytes,
          contentType: "application/octet-stream",
        }),
      );
      return ok({ path, bytes: bytes.byteLength }, `Wrote ${bytes.byteLength} bytes to ${path}.`);
    },
  }),
];
