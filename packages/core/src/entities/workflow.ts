import { z } from "zod";
import { Id } from "../ids";
import { Description, JsonValue, Name, Stored, updateOf } from "./common";

export const NODE_KINDS = ["agent", "tool", "condition", "approval", "output"] as const;
export const NodeKind = z.enum(NODE_KINDS);
export type NodeKind = z.infer<typeof NodeKind>;

const NodeId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, "must be 1–64 letters, digits, _ or -");
const Position = z.object({ x: z.number(), y: z.number() }).default({ x: 0, y: 0 });
const nodeBase = { id: NodeId, label: z.string().max(200).default(""), position: Position };

export const WorkflowNode = z.discriminatedUnion("kind", [
  z.object({
    ...nodeBase,
    kind: z.literal("agent"),
    agentId: Id,
    prompt: z
      .string()
      .max(100_000)
      .default("{{input}}")
      .describe("Template; {{input}} is the incoming value"),
  }),
  z.object({
    ...nodeBase,
    kind: z.literal("tool"),
    toolId: Id,
    args: z.record(z.string(), JsonValue).default({}).describe("Arguments; string values are templates"),
  }),
  z.object({
    ...nodeBase,
    kind: z.literal("condition"),
    expression: z
      .string()
      .min(1)
      .max(2000)
      .describe("e.g. `input.score > 0.5`; picks the true or false edge"),
  }),
  z.object({
    ...nodeBase,
    kind: z.literal("approval"),
    message: z.string().max(2000).default("Approve to continue"),
    timeoutMs: z
      .number()
      .int()
      .min(1000)
      .max(30 * 86_400_000)
      .default(86_400_000),
  }),
  z.object({
    ...nodeBase,
    kind: z.literal("output"),
    template: z.string().max(100_000).nullable().default(null),
  }),
]);
export type WorkflowNode = z.infer<typeof WorkflowNode>;

export const WorkflowEdge = z.object({
  id: NodeId,
  source: NodeId,
  target: NodeId,
  branch: z.enum(["true", "false"]).nullable().default(null).describe("Which outcome of a condition node"),
});
export type WorkflowEdge = z.infer<typeof WorkflowEdge>;

export interface GraphIssue {
  path: string;
  message: string;
}

/** Structural checks a graph must pass to be saved and executed; returns every issue found. */
export function findGraphIssues(graph: { nodes: WorkflowNode[]; edges: WorkflowEdge[] }): GraphIssue[] {
  const issues: GraphIssue[] = [];
  const byId = new Map<string, WorkflowNode>();
  graph.nodes.forEach((node, i) => {
    if (byId.has(node.id))
      issues.push({ path: `graph.nodes.${i}.id`, message: `duplicate node id "${node.id}"` });
    byId.set(node.id, node);
  });
  const outgoing = new Map<string, WorkflowEdge[]>();
  graph.edges.forEach((edge, i) => {
    for (const end of ["source", "target"] as const) {
      if (!byId.has(edge[end]))
        issues.push({ path: `graph.edges.${i}.${end}`, message: `no node "${edge[end]}"` });
    }
    if (edge.source === edge.target)
      issues.push({ path: `graph.edges.${i}`, message: "an edge cannot loop" });
    const source = byId.get(edge.source);
    if (source?.kind === "condition" && edge.branch === null) {
      issues.push({
        path: `graph.edges.${i}.branch`,
        message: 'edges leaving a condition need branch "true" or "false"',
      });
    }
    if (source?.kind === "output")
      issues.push({ path: `graph.edges.${i}`, message: "an output node ends a path" });
    outgoing.set(edge.source, [...(outgoing.get(edge.source) ?? []), edge]);
  });
  if (graph.nodes.length > 0 && !graph.nodes.some((n) => n.kind === "output")) {
    issues.push({ path: "graph.nodes", message: "add an output node: it is what the run returns" });
  }
  if (issues.length === 0 && hasCycle(graph.nodes, outgoing)) {
    issues.push({ path: "graph.edges", message: "the graph has a cycle; workflows must be acyclic" });
  }
  return issues;
}

function hasCycle(nodes: WorkflowNode[], outgoing: Map<string, WorkflowEdge[]>): boolean {
  const state = new Map<string, "visiting" | "done">();
  const visit = (id: string): boolean => {
    if (state.get(id) === "done") return false;
    if (state.get(id) === "visiting") return true;
    state.set(id, "visiting");
    const cyclic = (outgoing.get(id) ?? []).some((e) => visit(e.target));
    state.set(id, "done");
    return cyclic;
  };
  return nodes.some((n) => visit(n.id));
}

export const WorkflowGraph = z
  .object({
    nodes: z.array(WorkflowNode).max(500).default([]),
    edges: z.array(WorkflowEdge).max(2000).default([]),
  })
  .superRefine((graph, ctx) => {
    for (const issue of findGraphIssues(graph)) {
      // Paths from findGraphIssues start at "graph."; zod wants them relative to this object.
      ctx.addIssue({ code: "custom", message: issue.message, path: issue.path.split(".").slice(1) });
    }
  });
export type WorkflowGraph = z.infer<typeof WorkflowGraph>;

export const WorkflowCreate = z.object({
  name: Name,
  description: Description.default(""),
  graph: WorkflowGraph.default({ nodes: [], edges: [] }),
});
export type WorkflowCreate = z.input<typeof WorkflowCreate>;
export const WorkflowUpdate = updateOf(WorkflowCreate);
export type WorkflowUpdate = z.input<typeof WorkflowUpdate>;

export const Workflow = z.object({ id: Id, workspaceId: Id, ...WorkflowCreate.shape, ...Stored });
export type Workflow = z.infer<typeof Workflow>;
