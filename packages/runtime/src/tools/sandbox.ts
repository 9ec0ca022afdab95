import type { JsonSchema, SandboxToolConfig } from "@agentos/core";
import type { z } from "zod";
import type { SandboxProvider } from "../sandbox/provider";
import { inputObject } from "./input";
import { ToolFailure } from "./tool-failure";
import type { RuntimeTool } from "./types";

export type SandboxConfig = z.infer<typeof SandboxToolConfig>;
export type SandboxLanguage = SandboxConfig["language"];

/** Bytes of stdout and of stderr a sandbox tool returns to the model. */
export const SANDBOX_OUTPUT_LIMIT_BYTES = 64 * 1024;

/** The input schema sandbox tools are meant to have: the program in `code`. */
export const SANDBOX_INPUT_SCHEMA: JsonSchema = {
  type: "object",
  properties: { code: { type: "string", description: "The program to run" } },
  required: ["code"],
};

/** The argv that runs `code` in `language` (no shell quoting: the code is one argument). */
export function commandFor(language: SandboxLanguage, code: string): string[] {
  switch (language) {
    case "bash":
      return ["sh", "-c", code];
    case "python":
      return ["python3", "-c", code];
    case "node":
      return ["node", "-e", code];
  }
}

/** Executes a `sandbox` tool: runs the input's `code` in the calling agent's sandbox. */
export function sandboxTool(
  toolName: string,
  config: SandboxConfig,
  sandboxes: SandboxProvider | undefined,
): RuntimeTool["execute"] {
  return async (rawInput, context) => {
    const code = inputObject(rawInput).code;
    if (typeof code !== "string") {
      throw new ToolFailure(
        `Tool ${toolName} runs the "code" field of its input; send the program as a string.`,
        {
          details: { fields: [{ path: "code", message: "must be a string" }] },
        },
      );
    }
    if (!sandboxes) {
      throw new ToolFailure(
        `Tool ${toolName} needs a sandbox, but this process has no sandbox provider; run the agent on a worker with Docker.`,
      );
    }
    const agent = context.agent;
    if (!agent) {
      throw new ToolFailure(
        `Tool ${toolName} runs in an agent's sandbox, and this call has no agent; call it from an agent run.`,
      );
    }
    if (!agent.sandbox.enabled) {
      throw new ToolFailure(
        `Agent "${agent.name}" has its sandbox disabled, so tool ${toolName} cannot run; enable the sandbox in the agent's settings.`,
      );
    }
    const { sandboxId } = await sandboxes.sandboxForAgent(context.workspaceId, agent.id, agent.sandbox);
    const result = await sandboxes.exec(
      context.workspaceId,
      sandboxId,
      {
        command: commandFor(config.language, code),
        timeoutMs: Math.min(config.timeoutMs, agent.sandbox.execTimeoutMs),
        outputLimitBytes: SANDBOX_OUTPUT_LIMIT_BYTES,
      },
      { signal: context.signal },
    );
    return {
      exitCode: result.exitCode,
      stdout: result.stdout,
      stderr: result.stderr,
      timedOut: result.timedOut,
      truncated: result.truncated,
    };
  };
}
