import type { Run } from "@agentos/core";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import type { StudioApi } from "../api/studio-api";
import { ok, type ToolContext, toolError } from "../tools/tool";
import { followRun } from "./follow";

/** What a run tool answers: the run (status, output, usage, cost), summarised in one line. */
export function runResult(run: Run, extra: Record<string, unknown> = {}): CallToolResult {
  const body = { run, ...extra };
  const cost = `$${run.costUsd.toFixed(6)}`;
  const tokens = `${run.usage.inputTokens} in / ${run.usage.outputTokens} out tokens`;
  switch (run.status) {
    case "succeeded":
      return ok(body, `Run ${run.id} succeeded (${tokens}, ${cost}).`);
    case "failed":
      return toolError(
        `Run ${run.id} failed: ${run.error?.message ?? "no reason recorded"} (${run.error?.code ?? "unknown"}).\n\n${JSON.stringify(body, null, 2)}`,
        body,
      );
    case "cancelled":
      return toolError(
        `Run ${run.id} was cancelled: ${run.error?.message ?? "no reason recorded"}.\n\n${JSON.stringify(body, null, 2)}`,
        body,
      );
    case "waiting":
      return ok(
        body,
        `Run ${run.id} is waiting for approval: call approve_run or reject_run with its runId.`,
      );
    default:
      return ok(body, `Run ${run.id} is ${run.status}.`);
  }
}

/**
 * Answers for a run just created: at once when `wait` is false, otherwise after following it to
 * a final status (or the deadline), relaying each event and status change as progress.
 */
export async function answerForRun(
  api: StudioApi,
  created: Run,
  options: { wait: boolean; timeoutSeconds: number },
  context: ToolContext,
  extra: Record<string, unknown> = {},
): Promise<CallToolResult> {
  if (!options.wait) {
    return ok(
      { run: created, ...extra },
      `Run ${created.id} is ${created.status}; call get_run with this runId to follow it.`,
    );
  }
  const followed = await followRun(api, created.id, {
    signal: context.signal,
    timeoutMs: options.timeoutSeconds * 1000,
    onProgress: context.progress,
  });
  const { run } = followed;
  if (followed.timedOut) {
    return ok(
      { run, ...extra, timedOut: true },
      `Run ${run.id} is still ${run.status} after ${options.timeoutSeconds} s; it goes on. Call get_run with this runId to check on it.`,
    );
  }
  return runResult(run, extra);
}
