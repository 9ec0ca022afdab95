import { describe, expect, it } from "vitest";
import { findGraphIssues, WorkflowGraph } from "./workflow";

const graph = (nodes: unknown[], edges: unknown[]) => WorkflowGraph.safeParse({ nodes, edges });

describe("workflow graph validation", () => {
  it("accepts a branching acyclic graph ending in outputs", () => {
    const result = graph(
      [
        { id: "c", kind: "condition", expression: "input > 1" },
        { id: "yes", kind: "output" },
        { id: "no", kind: "output" },
      ],
      [
        { id: "e1", source: "c", target: "yes", branch: "true" },
        { id: "e2", source: "c", target: "no", branch: "false" },
      ],
    );
    expect(result.success).toBe(true);
  });

  it("names the edge that points at a missing node", () => {
    const issues = findGraphIssues({
      nodes: [{ id: "out", kind: "output", label: "", position: { x: 0, y: 0 }, template: null }],
      edges: [{ id: "e", source: "out", target: "ghost", branch: null }],
    });
    expect(issues.map((i) => i.path)).toContain("graph.edges.0.target");
  });

  it("requires a branch on edges leaving a condition", () => {
    const result = graph(
      [
        { id: "c", kind: "condition", expression: "x" },
        { id: "o", kind: "output" },
      ],
      [{ id: "e", source: "c", target: "o" }],
    );
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(["edges", "0", "branch"]);
  });

  it("finds cycles", () => {
    const result = graph(
      [
        { id: "a", kind: "approval" },
        { id: "b", kind: "approval" },
        { id: "o", kind: "output" },
      ],
      [
        { id: "e1", source: "a", target: "b" },
        { id: "e2", source: "b", target: "a" },
        { id: "e3", source: "b", target: "o" },
      ],
    );
    expect(result.error?.issues[0]?.message).toMatch(/cycle/);
  });

  it("asks for an output node", () => {
    expect(graph([{ id: "a", kind: "approval" }], []).error?.issues[0]?.message).toMatch(/output node/);
  });

  it("rejects duplicate node ids", () => {
    const result = graph(
      [
        { id: "o", kind: "output" },
        { id: "o", kind: "output" },
      ],
      [],
    );
    expect(result.error?.issues[0]?.path).toEqual(["nodes", "1", "id"]);
  });
});
