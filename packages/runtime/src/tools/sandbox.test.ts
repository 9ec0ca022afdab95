import type { SandboxPolicy } from "@agentos/core";
import { describe, expect, it } from "vitest";
import { asRecord, makeAgent, makeContext } from "../../test/fixtures/factories";
import type { ExecRequest, ExecResult, SandboxProvider } from "../sandbox/provider";
import { commandFor, type SandboxConfig, sandboxTool } from "./sandbox";
import { ToolFailure } from "./tool-failure";

/**
 * Records what the tool asks of its provider. The one fake allowed here: the real Docker path of
 * `sandboxForAgent` + `exec` is tested by the worker's sandbox tests.
 */
function recordingProvider(result: Partial<ExecResult> = {}) {
  const calls: { sandboxFor: [string, string, SandboxPolicy][]; exec: [string, string, ExecRequest][] } = {
    sandboxFor: [],
    exec: [],
  };
  const provider: SandboxProvider = {
    async sandboxForAgent(workspaceId, agentId, policy) {
      calls.sandboxFor.push([workspaceId, agentId, policy]);
      return { sandboxId: "sbx_01jh00000000000000000000aa" };
    },
    async exec(workspaceId, sandboxId, request) {
      calls.exec.push([workspaceId, sandboxId, request]);
      return {
        exitCode: 0,
        timedOut: false,
        truncated: false,
        stdout: "out",
        stderr: "",
        durationMs: 5,
        ...result,
      };
    },
    writeFile: async () => undefined,
    readFile: async () => new Uint8Array(),
    listFiles: async () => [],
  };
  return { provider, calls };
}

const config = (language: SandboxConfig["language"], timeoutMs = 60_000): SandboxConfig => ({
  kind: "sandbox",
  language,
  timeoutMs,
});

async function failureOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (ToolFailure.isInstance(error)) return error.message;
    throw error;
  }
  throw new Error("expected a tool failure");
}

describe("sandbox tool (recording provider; the real Docker path is tested by the worker's sandbox tests)", () => {
  it.each([
    ["bash", ["sh", "-c", "echo hi"]],
    ["python", ["python3", "-c", "echo hi"]],
    ["node", ["node", "-e", "echo hi"]],
  ] as const)("runs %s code as one argv argument, without shell quoting", (language, argv) => {
    expect(commandFor(language, "echo hi")).toEqual(argv);
  });

  it("execs in the agent's sandbox and returns exit code, output, timeout and truncation", async () => {
    const { provider, calls } = recordingProvider({ exitCode: 3, stdout: "a", stderr: "b", truncated: true });
    const agent = makeAgent({ sandbox: { enabled: true, execTimeoutMs: 10_000 } });
    const context = makeContext({ agent });
    const result = await sandboxTool(
      "run_py",
      config("python", 60_000),
      provider,
    )({ code: "print(1)" }, context);
    expect(asRecord(result)).toEqual({
      exitCode: 3,
      stdout: "a",
      stderr: "b",
      timedOut: false,
      truncated: true,
    });
    expect(calls.sandboxFor).toEqual([[context.workspaceId, agent.id, agent.sandbox]]);
    expect(calls.exec).toEqual([
      [
        context.workspaceId,
        "sbx_01jh00000000000000000000aa",
        // The agent's policy caps the tool's own timeout.
        { command: ["python3", "-c", "print(1)"], timeoutMs: 10_000, outputLimitBytes: 64 * 1024 },
      ],
    ]);
  });

  it("answers with a clear error when no sandbox provider is configured", async () => {
    const agent = makeAgent({ sandbox: { enabled: true } });
    const message = await failureOf(
      sandboxTool("sh", config("bash"), undefined)({ code: "ls" }, makeContext({ agent })),
    );
    expect(message).toBe(
      "Tool sh needs a sandbox, but this process has no sandbox provider; run the agent on a worker with Docker.",
    );
  });

  it("answers with a clear error when the agent's sandbox is disabled, without starting one", async () => {
    const { provider, calls } = recordingProvider();
    const agent = makeAgent({ name: "writer", sandbox: { enabled: false } });
    const message = await failureOf(
      sandboxTool("sh", config("bash"), provider)({ code: "ls" }, makeContext({ agent })),
    );
    expect(message).toContain('Agent "writer" has its sandbox disabled');
    expect(calls.sandboxFor).toEqual([]);
  });

  it("answers with a clear error when called outside an agent run", async () => {
    const { provider } = recordingProvider();
    const message = await failureOf(
      sandboxTool("sh", config("bash"), provider)({ code: "ls" }, makeContext()),
    );
    expect(message).toContain("runs in an agent's sandbox, and this call has no agent");
  });

  it("asks for the program in the code field", async () => {
    const { provider } = recordingProvider();
    const agent = makeAgent({ sandbox: { enabled: true } });
    const message = await failureOf(
      sandboxTool("sh", config("bash"), provider)({ script: "ls" }, makeContext({ agent })),
    );
    expect(message).toBe('Tool sh runs the "code" field of its input; send the program as a string.');
  });
});
