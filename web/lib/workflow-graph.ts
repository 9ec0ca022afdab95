import type { GraphIssue, NodeKind, RunStatus, RunStep, WorkflowEdge, WorkflowNode } from "@agentos/core";
import type { Edge, Node } from "@xyflow/react";

/** The graph a workflow stores (core's WorkflowGraph, positions included). */
export interface Graph {
  nodes: WorkflowNode[];
  edges: WorkflowEdge[];
}

export type NodeState = "idle" | "running" | "waiting" | "succeeded" | "failed";
export type StepNodeData = { node: WorkflowNode; state: NodeState; issues: string[]; title: string };
export type FlowNode = Node<StepNodeData, "step">;
export type FlowEdge = Edge<{ branch: "true" | "false" | null }>;

export const NODE_KINDS: readonly NodeKind[] = ["agent", "tool", "condition", "approval", "output"];

/** A node of `kind` with the schema's defaults and an id not used yet (`agent-1`, `agent-2` …). */
export function makeNode(
  kind: NodeKind,
  takenIds: Iterable<string>,
  position = { x: 0, y: 0 },
): WorkflowNode {
  const taken = new Set(takenIds);
  let n = 1;
  while (taken.has(`${kind}-${n}`)) n++;
  const base = { id: `${kind}-${n}`, label: "", position };
  switch (kind) {
    case "agent":
      return { ...base, kind, agentId: "", prompt: "{{input}}" };
    case "tool":
      return { ...base, kind, toolId: "", args: {} };
    case "condition":
      return { ...base, kind, expression: "input" };
    case "approval":
      return { ...base, kind, message: "Approve to continue", timeoutMs: 86_400_000 };
    case "output":
      return { ...base, kind, template: null };
  }
}

/** The stored graph as React Flow nodes and edges; a condition's edges leave its true/false handle. */
export function toFlow(
  graph: Graph,
  titleOf: (node: WorkflowNode) => string = (n) => n.label || n.id,
): {
  nodes: FlowNode[];
  edges: FlowEdge[];
} {
  return {
    nodes: graph.nodes.map((node) => ({
      id: node.id,
      type: "step",
      position: node.position ?? { x: 0, y: 0 },
      data: { node, state: "idle", issues: [], title: titleOf(node) },
    })),
    edges: graph.edges.map((edge) => flowEdge(edge.source, edge.target, edge.branch, edge.id)),
  };
}

export function flowEdge(
  source: string,
  target: string,
  branch: "true" | "false" | null,
  id?: string,
): FlowEdge {
  return {
    id: id ?? edgeId(source, target, branch),
    source,
    target,
    ...(branch ? { sourceHandle: branch, label: branch } : {}),
    data: { branch },
  };
}

function edgeId(source: string, target: string, branch: "true" | "false" | null): string {
  return `e-${source}-${target}${branch ? `-${branch}` : ""}`.slice(0, 64);
}

/** React Flow's state back to the stored graph: node data with the dragged positions. */
export function fromFlow(nodes: readonly FlowNode[], edges: readonly FlowEdge[]): Graph {
  return {
    nodes: nodes.map((n) => ({
      ...n.data.node,
      id: n.id,
      position: { x: Math.round(n.position.x), y: Math.round(n.position.y) },
    })),
    edges: edges.map((e) => ({
      id: e.id,
      source: e.source,
      target: e.target,
      branch:
        e.data?.branch ?? (e.sourceHandle === "true" || e.sourceHandle === "false" ? e.sourceHandle : null),
    })),
  };
}

/**
 * Checks a graph before saving: core's structural `findGraphIssues` plus what the form must fill
 * in (an agent or tool chosen). Issues come back per node and edge id, to mark them on the canvas.
 */
export function validateGraph(
  graph: Graph,
  findGraphIssues: (graph: Graph) => GraphIssue[],
): { issues: GraphIssue[]; byNode: Record<string, string[]>; byEdge: Record<string, string[]> } {
  const issues: GraphIssue[] = [...findGraphIssues(graph)];
  graph.nodes.forEach((node, i) => {
    if (node.kind === "agent" && !node.agentId)
      issues.push({ path: `graph.nodes.${i}.agentId`, message: "choose an agent" });
    if (node.kind === "tool" && !node.toolId)
      issues.push({ path: `graph.nodes.${i}.toolId`, message: "choose a tool" });
    if (node.kind === "condition" && !node.expression.trim())
      issues.push({ path: `graph.nodes.${i}.expression`, message: "write an expression" });
  });
  if (graph.nodes.length === 0) issues.push({ path: "graph.nodes", message: "add a node to start" });
  const byNode: Record<string, string[]> = {};
  const byEdge: Record<string, string[]> = {};
  for (const issue of issues) {
    const match = /^graph\.(nodes|edges)\.(\d+)/.exec(issue.path);
    if (!match) continue;
    const target = match[1] === "nodes" ? graph.nodes[Number(match[2])] : graph.edges[Number(match[2])];
    if (!target) continue;
    const map = match[1] === "nodes" ? byNode : byEdge;
    map[target.id] = [...(map[target.id] ?? []), issue.message];
  }
  return { issues, byNode, byEdge };
}

/**
 * Each node's state in a run, from the run's steps (keyed `node-<id>` or `node-<id>:…`) and its
 * status: failed or running if any of its steps is; waiting at an approval without a decision;
 * succeeded once its work is done (an agent node when a later node started or the run ended).
 */
export function nodeStates(
  graph: Graph,
  steps: readonly RunStep[],
  runStatus: RunStatus,
): Record<string, NodeState> {
  const byNode = new Map<string, RunStep[]>();
  for (const step of steps) {
    const match = /^node-([A-Za-z0-9_-]{1,64})(?::|$)/.exec(step.key);
    if (match) byNode.set(match[1]!, [...(byNode.get(match[1]!) ?? []), step]);
  }
  const started = (id: string) => (byNode.get(id)?.length ?? 0) > 0;
  const states: Record<string, NodeState> = {};
  for (const node of graph.nodes) {
    const own = byNode.get(node.id) ?? [];
    const downstreamStarted = graph.edges.some((e) => e.source === node.id && started(e.target));
    if (own.some((s) => s.status === "failed")) states[node.id] = "failed";
    else if (own.some((s) => s.status === "running"))
      states[node.id] = node.kind === "approval" ? "waiting" : "running";
    else if (node.kind === "approval" && own.length > 0 && !own.some((s) => s.key.endsWith(":decision")))
      states[node.id] = runStatus === "waiting" ? "waiting" : runStatus === "failed" ? "failed" : "running";
    else if (node.kind === "output") {
      // An output node computes without a step: it is done when the run succeeded through it.
      const reached = graph.edges.some(
        (e) =>
          e.target === node.id &&
          (byNode.get(e.source) ?? []).length > 0 &&
          !(byNode.get(e.source) ?? []).some((s) => s.status !== "succeeded"),
      );
      states[node.id] =
        runStatus === "succeeded" && (reached || graph.edges.every((e) => e.target !== node.id))
          ? "succeeded"
          : "idle";
    } else if (own.length > 0)
      states[node.id] =
        node.kind === "agent" && !downstreamStarted && runStatus !== "succeeded"
          ? runStatus === "failed" || runStatus === "cancelled"
            ? "failed"
            : "running"
          : "succeeded";
    else states[node.id] = "idle";
  }
  return states;
}
