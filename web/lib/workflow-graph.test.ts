import { findGraphIssues, type RunStep, WorkflowGraph } from "@agentos/core";
import { describe, expect, it } from "vitest";
import { fromFlow, type Graph, makeNode, nodeStates, toFlow, validateGraph } from "./workflow-graph";

const AGENT_ID = "agt_01jh5x0000000000000000000a";

function twoNodeGraph(): Graph {
  const agent = { ...makeNode("agent", [], { x: 0, y: 0 }), agentId: AGENT_ID };
  const output = makeNode("output", [agent.id], { x: 300, y: 0 });
  return { nodes: [agent, output], edges: [{ id: "e1", source: agent.id, target: output.id, branch: null }] };
}

function makeStep(key: string, status: RunStep["status"]): RunStep {
  return {
    id: `step_${key}`,
    runId: "run_1",
    key,
    kind: "other",
    name: key,
    status,
    attempt: 1,
    input: null,
    output: null,
    error: null,
    model: null,
    usage: null,
    costUsd: 0,
    startedAt: "2026-01-01T00:00:00.000Z",
    finishedAt: null,
  };
}

describe("workflow graph", () => {
  it("numbers new nodes per kind without reusing a taken id", () => {
    expect(makeNode("agent", ["agent-1", "agent-3"]).id).toBe("agent-2");
    expect(makeNode("condition", [])).toMatchObject({
      id: "condition-1",
      kind: "condition",
      expression: "input",
    });
  });

  it("round-trips through React Flow, with moved positions and condition branches", () => {
    const condition = makeNode("condition", []);
    const yes = makeNode("output", [condition.id]);
    const no = makeNode("output", [condition.id, yes.id]);
    const graph: Graph = {
      nodes: [condition, yes, no],
      edges: [
        { id: "t", source: condition.id, target: yes.id, branch: "true" },
        { id: "f", source: condition.id, target: no.id, branch: "false" },
      ],
    };
    const flow = toFlow(graph);
    expect(flow.edges[0]).toMatchObject({ sourceHandle: "true", label: "true" });
    flow.nodes[1]!.position = { x: 120.6, y: 40.2 };
    const back = fromFlow(flow.nodes, flow.edges);
    expect(back.edges).toEqual(graph.edges);
    expect(back.nodes[1]!.position).toEqual({ x: 121, y: 40 });
    // What the editor saves is what the API accepts.
    expect(WorkflowGraph.safeParse(back).success).toBe(true);
  });

  it("reports core's structural issues and unfilled fields against the node they concern", () => {
    const graph = twoNodeGraph();
    graph.nodes[0] = { ...graph.nodes[0]!, agentId: "" } as Graph["nodes"][number];
    graph.edges.push({ id: "loop", source: "output-1", target: "agent-1", branch: null });
    const { byNode, byEdge } = validateGraph(graph, findGraphIssues);
    expect(byNode["agent-1"]).toEqual(["choose an agent"]);
    expect(byEdge.loop).toEqual(["an output node ends a path"]);
    expect(validateGraph(twoNodeGraph(), findGraphIssues).issues).toEqual([]);
    expect(validateGraph({ nodes: [], edges: [] }, findGraphIssues).issues.map((i) => i.message)).toEqual([
      "add a node to start",
    ]);
  });

  it("derives node states from a run's steps", () => {
    const graph = twoNodeGraph();
    expect(
      nodeStates(
        graph,
        [makeStep("node-agent-1:setup", "succeeded"), makeStep("node-agent-1:llm-0", "running")],
        "running",
      ),
    ).toEqual({
      "agent-1": "running",
      "output-1": "idle",
    });
    expect(
      nodeStates(
        graph,
        [makeStep("node-agent-1:setup", "succeeded"), makeStep("node-agent-1:llm-0", "succeeded")],
        "succeeded",
      ),
    ).toEqual({
      "agent-1": "succeeded",
      "output-1": "succeeded",
    });
    expect(nodeStates(graph, [makeStep("node-agent-1:llm-0", "failed")], "failed")["agent-1"]).toBe("failed");
  });

  it("shows an approval node waiting until its decision", () => {
    const approval = makeNode("approval", []);
    const graph: Graph = { nodes: [approval], edges: [] };
    expect(
      nodeStates(graph, [makeStep("node-approval-1:request", "succeeded")], "waiting")["approval-1"],
    ).toBe("waiting");
    expect(
      nodeStates(
        graph,
        [makeStep("node-approval-1:request", "succeeded"), makeStep("node-approval-1:decision", "succeeded")],
        "succeeded",
      )["approval-1"],
    ).toBe("succeeded");
  });
});
