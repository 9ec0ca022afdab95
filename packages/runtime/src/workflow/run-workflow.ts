import type { JsonValue, Run, Workflow, WorkflowEdge, WorkflowNode } from "@agentos/core";
import jsonata from "jsonata";
import { type AgentRunDeps, runAgent } from "../agent/run-agent";
import { RunFailed } from "../engine/signals";
import { memo, type Step } from "../step";
import { renderDeep, renderTemplate } from "./template";

export const APPROVAL_EVENT = "run.approval";

type Outcome = { status: "done"; output: JsonValue } | { status: "skipped" };

/** Decides a condition node: its expression (JSONata, with `input` bound) must be truthy. */
export async function evaluateCondition(expression: string, input: JsonValue): Promise<boolean> {
  try {
    return Boolean(await jsonata(expression).evaluate({ input }));
  } catch (error) {
    throw new RunFailed(
      "invalid_condition",
      `Condition "${expression}" cannot be evaluated: ${(error as Error).message}`,
    );
  }
}

/**
 * Executes a workflow graph: nodes run when every incoming edge is settled, ready nodes run in
 * parallel, a condition node activates only its true or false edges (the other side is skipped),
 * a join receives `{sourceNodeId: output}` from its active inputs, and an approval node waits for
 * a decision. Every node's work is a memoised step, so replays resume where the run stopped.
 */
export async function runWorkflow(step: Step, deps: AgentRunDeps, run: Run): Promise<JsonValue> {
  const workflow = await memo(step, "setup", () =>
    deps.repos.workflows.get(run.workspaceId, run.workflowId!),
  );
  const { nodes, edges } = (workflow as Workflow).graph;
  const incoming = new Map<string, WorkflowEdge[]>();
  const outgoing = new Map<string, WorkflowEdge[]>();
  for (const edge of edges) {
    incoming.set(edge.target, [...(incoming.get(edge.target) ?? []), edge]);
    outgoing.set(edge.source, [...(outgoing.get(edge.source) ?? []), edge]);
  }
  const outcomes = new Map<string, Outcome>();
  const edgeActive = new Map<string, boolean>();

  while (outcomes.size < nodes.length) {
    const ready = nodes.filter(
      (n) => !outcomes.has(n.id) && (incoming.get(n.id) ?? []).every((e) => edgeActive.has(e.id)),
    );
    if (ready.length === 0)
      throw new RunFailed(
        "invalid_workflow",
        "The workflow cannot make progress (a node waits on a missing input).",
      );
    const results = await Promise.all(
      ready.map(async (node) => {
        const active = (incoming.get(node.id) ?? []).filter((e) => edgeActive.get(e.id));
        if ((incoming.get(node.id) ?? []).length > 0 && active.length === 0)
          return { node, outcome: { status: "skipped" } as Outcome };
        const valueFrom = (source: string) =>
          passedOn(nodes.find((n) => n.id === source)!, outcomes.get(source)!);
        const input =
          active.length === 0
            ? run.input
            : active.length === 1
              ? valueFrom(active[0]!.source)
              : Object.fromEntries(active.map((e) => [e.source, valueFrom(e.source)]));
        return {
          node,
          outcome: { status: "done", output: await runNode(step, deps, run, node, input) } as Outcome,
        };
      }),
    );
    for (const { node, outcome } of results) {
      outcomes.set(node.id, outcome);
      for (const edge of outgoing.get(node.id) ?? []) {
        const taken =
          outcome.status === "done" &&
          (node.kind !== "condition" ||
            edge.branch === String((outcome.output as { branch: boolean }).branch));
        edgeActive.set(edge.id, taken);
      }
    }
  }
  const reached = nodes.filter((n) => n.kind === "output" && outcomes.get(n.id)?.status === "done");
  const outputOf = (n: WorkflowNode) => (outcomes.get(n.id) as { output: JsonValue }).output;
  if (reached.length === 1) return outputOf(reached[0]!);
  return Object.fromEntries(reached.map((n) => [n.id, outputOf(n)]));
}

/** What a finished node hands to its successors: a condition passes its own input through. */
function passedOn(node: WorkflowNode, outcome: Outcome): JsonValue {
  const output = (outcome as { output: JsonValue }).output;
  return node.kind === "condition" ? (output as { input: JsonValue }).input : output;
}

async function runNode(
  step: Step,
  deps: AgentRunDeps,
  run: Run,
  node: WorkflowNode,
  input: JsonValue,
): Promise<JsonValue> {
  const key = `node-${node.id}`;
  switch (node.kind) {
    case "agent":
      return runAgent(step, deps, run, {
        agentId: node.agentId,
        input: renderTemplate(node.prompt, { input }),
        prefix: `${key}:`,
      });
    case "tool":
      return memo(step, key, async () => {
        const tool = await deps.tools.toolById(run.workspaceId, node.toolId);
        await deps.events.emit("tool.call", {
          node: node.id,
          toolName: tool.name,
          input: renderDeep(node.args, { input }),
        });
        const output = await tool.execute(renderDeep(node.args, { input }), {
          workspaceId: run.workspaceId,
          runId: run.id,
          agent: null,
          signal: deps.signal,
          log: (message) => deps.events.emit("log", { message, node: node.id }),
        });
        await deps.events.emit("tool.result", { node: node.id, toolName: tool.name, output });
        return output;
      });
    case "condition":
      // The branch is memoised with the input passed through, so the next node sees the same value.
      return memo(step, key, async () => ({
        branch: await evaluateCondition(node.expression, input),
        input,
      }));
    case "approval": {
      await step.run(`${key}:request`, async () => {
        await deps.events.emit("approval.requested", { node: node.id, message: node.message, input });
        // Visible as waiting at once (on Inngest nothing else would say so).
        await deps.store.setStatus(run.id, "waiting");
      });
      const decision = await step.waitForEvent(`${key}:decision`, {
        event: APPROVAL_EVENT,
        match: "data.runId",
        timeout: node.timeoutMs,
      });
      const approved = decision?.data.approved === true;
      if (!approved) {
        const why = decision
          ? `Rejected${decision.data.comment ? `: ${decision.data.comment}` : "."}`
          : "No decision before the timeout.";
        throw new RunFailed("approval_rejected", `Approval "${node.label || node.id}" was not given. ${why}`);
      }
      await step.run(`${key}:resume`, () => deps.store.setStatus(run.id, "running").then(() => null));
      return input;
    }
    case "output":
      return node.template === null ? input : renderTemplate(node.template, { input });
  }
}
