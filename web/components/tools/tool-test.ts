import type { AgentOsClient } from "@agentos/client";
import type { JsonValue, Run } from "@agentos/core";

const FINAL = new Set(["succeeded", "failed", "cancelled"]);

export interface ToolTestResult {
  run: Run;
  /** Milliseconds from queueing to the final status. */
  elapsedMs: number;
}

/**
 * Tests a saved tool for real through the run engine: a throwaway workflow of one tool node and
 * one output node, executed with `args`. The worker calls the tool with the same guarded fetch,
 * templates and limits an agent's call gets; the run stays listed under Runs, the workflow is
 * deleted afterwards. There is no tool-test endpoint, and this needs no model.
 */
export async function testToolThroughRun(
  client: AgentOsClient,
  tool: { id: string; name: string },
  args: Record<string, JsonValue>,
  options: { signal?: AbortSignal; queuedTimeoutMs?: number; onStatus?: (run: Run) => void } = {},
): Promise<ToolTestResult> {
  const started = Date.now();
  const workflow = await client.workflows.create({
    name: `Tool test: ${tool.name} ${new Date().toISOString()}`.slice(0, 120),
    description: "Created by the Test button of the tool editor; deleted when the test ends.",
    graph: {
      nodes: [
        { id: "tool", kind: "tool", label: tool.name, toolId: tool.id, args, position: { x: 0, y: 0 } },
        { id: "output", kind: "output", label: "result", template: null, position: { x: 260, y: 0 } },
      ],
      edges: [{ id: "e1", source: "tool", target: "output", branch: null }],
    },
  });
  try {
    let run = await client.workflows.execute(workflow.id, null);
    options.onStatus?.(run);
    // A run nobody picks up sends no events: give up on it after a while instead of waiting forever.
    const following = new AbortController();
    const stopFollowing = () => following.abort();
    options.signal?.addEventListener("abort", stopFollowing);
    let sawEvent = false;
    const timer = setTimeout(() => {
      if (!sawEvent) following.abort();
    }, options.queuedTimeoutMs ?? 15_000);
    try {
      for await (const event of client.runs.follow(run.id, { signal: following.signal })) {
        sawEvent = true;
        if (event.type === "status") {
          run = await client.runs.get(run.id);
          options.onStatus?.(run);
        }
      }
    } finally {
      clearTimeout(timer);
      options.signal?.removeEventListener("abort", stopFollowing);
    }
    run = await client.runs.get(run.id);
    if (!FINAL.has(run.status)) {
      await client.runs.cancel(run.id).catch(() => {});
      throw new Error(
        "No worker picked the test run up. Start the worker (`./run studio` starts one) and try again.",
      );
    }
    return { run, elapsedMs: Date.now() - started };
  } finally {
    await client.workflows.delete(workflow.id).catch(() => {});
  }
}
