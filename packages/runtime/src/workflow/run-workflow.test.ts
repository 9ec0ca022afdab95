import { LOCAL_WORKSPACE_ID, newId, type Run, WorkflowCreate } from "@agentos/core";
import { afterEach, describe, expect, it } from "vitest";
import { until } from "../../../../test/harness/processes";
import { LocalEngine } from "../engine/local-engine";
import {
  fixedModelResolver,
  fixedToolResolver,
  insertAgent,
  openTestDatabase,
  queueRun,
} from "../testing/harness";
import { scriptedModel } from "../testing/scripted-model";
import type { RuntimeTool } from "../tools/types";
import { renderTemplate } from "./template";

type Db = Awaited<ReturnType<typeof openTestDatabase>>;
const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0)) await fn();
});

/** A tool that records each call, as an external side effect would. */
const toolIds = new Map<string, string>();
const idOf = (name: string) => {
  if (!toolIds.has(name)) toolIds.set(name, newId("tool"));
  return toolIds.get(name)!;
};

function recorder(name: string, calls: string[]): RuntimeTool & { id: string } {
  return {
    id: idOf(name),
    name,
    description: name,
    inputSchema: { type: "object" },
    execute: async (input) => {
      calls.push(name);
      return { by: name, got: input };
    },
  };
}

async function engineFor(db: Db, tools: RuntimeTool[], text = "agent says hi") {
  const engine = new LocalEngine({
    owner: "wrk_wf",
    store: db.store,
    depsFor: () => ({
      repos: db.repos,
      models: fixedModelResolver(scriptedModel([{ text }])),
      tools: fixedToolResolver(tools),
    }),
    concurrency: 2,
    leaseMs: 2000,
    pollMs: 30,
  });
  engine.start();
  cleanup.push(async () => {
    await engine.stop(500);
    db.close();
  });
  return engine;
}

async function settle(db: Db, id: string, statuses = ["succeeded", "failed", "cancelled"]): Promise<Run> {
  let run: Run | undefined;
  await until(
    async () => {
      run = await db.repos.runs.get(LOCAL_WORKSPACE_ID, id);
      return statuses.includes(run.status);
    },
    `run ${id} to reach ${statuses.join("/")}`,
  );
  return run!;
}

async function workflow(db: Db, graph: unknown) {
  return db.repos.workflows.insert(
    LOCAL_WORKSPACE_ID,
    WorkflowCreate.parse({ name: `wf-${Math.random()}`, graph }),
  );
}

describe("workflow executor on the local engine", () => {
  it("takes the condition's branch, runs parallel branches and joins their outputs", async () => {
    const db = await openTestDatabase();
    const calls: string[] = [];
    await engineFor(db, [recorder("left", calls), recorder("right", calls), recorder("never", calls)]);
    const agent = await insertAgent(db.repos);
    const wf = await workflow(db, {
      nodes: [
        { id: "check", kind: "condition", expression: "input.score > 0.5" },
        { id: "low", kind: "tool", toolId: idOf("never"), args: {} },
        { id: "ask", kind: "agent", agentId: agent.id, prompt: "Summarise {{input.topic}}" },
        { id: "left", kind: "tool", toolId: idOf("left"), args: { from: "{{input}}" } },
        { id: "right", kind: "tool", toolId: idOf("right"), args: {} },
        { id: "join", kind: "output" },
        { id: "out-low", kind: "output" },
      ],
      edges: [
        { id: "e1", source: "check", target: "ask", branch: "true" },
        { id: "e2", source: "check", target: "low", branch: "false" },
        { id: "e3", source: "ask", target: "left" },
        { id: "e4", source: "ask", target: "right" },
        { id: "e5", source: "left", target: "join" },
        { id: "e6", source: "right", target: "join" },
        { id: "e7", source: "low", target: "out-low" },
      ],
    });
    const run = await settle(
      db,
      (
        await queueRun(db.repos, {
          kind: "workflow",
          workflowId: wf.id,
          input: { score: 0.9, topic: "tides" },
        })
      ).id,
    );
    expect(run.status).toBe("succeeded");
    expect(calls.sort()).toEqual(["left", "right"]);
    expect(run.output).toEqual({
      left: { by: "left", got: { from: "agent says hi" } },
      right: { by: "right", got: {} },
    });
  });

  it("waits at an approval, continues when approved, and never repeats finished nodes", async () => {
    const db = await openTestDatabase();
    const calls: string[] = [];
    await engineFor(db, [recorder("before", calls), recorder("after", calls)]);
    const wf = await workflow(db, {
      nodes: [
        { id: "before", kind: "tool", toolId: idOf("before"), args: {} },
        { id: "gate", kind: "approval", message: "Deploy?" },
        { id: "after", kind: "tool", toolId: idOf("after"), args: {} },
        { id: "out", kind: "output", template: "deployed" },
      ],
      edges: [
        { id: "e1", source: "before", target: "gate" },
        { id: "e2", source: "gate", target: "after" },
        { id: "e3", source: "after", target: "out" },
      ],
    });
    const queued = await queueRun(db.repos, { kind: "workflow", workflowId: wf.id, input: null });
    expect((await settle(db, queued.id, ["waiting"])).status).toBe("waiting");
    expect(await db.store.decideApproval(queued, { approved: true, comment: "go" })).not.toBeNull();
    const run = await settle(db, queued.id);
    expect(run).toMatchObject({ status: "succeeded", output: "deployed" });
    expect(calls).toEqual(["before", "after"]);
    const types = (await db.repos.runEvents.list(LOCAL_WORKSPACE_ID, run.id, 0, 500)).map((e) => e.type);
    expect(types).toContain("approval.requested");
    expect(types).toContain("approval.resolved");
  });

  it("ends failed with approval_rejected when the approval is rejected", async () => {
    const db = await openTestDatabase();
    const calls: string[] = [];
    await engineFor(db, [recorder("after", calls)]);
    const wf = await workflow(db, {
      nodes: [
        { id: "gate", kind: "approval", label: "Budget" },
        { id: "after", kind: "tool", toolId: idOf("after"), args: {} },
        { id: "out", kind: "output" },
      ],
      edges: [
        { id: "e1", source: "gate", target: "after" },
        { id: "e2", source: "after", target: "out" },
      ],
    });
    const queued = await queueRun(db.repos, { kind: "workflow", workflowId: wf.id, input: 1 });
    await settle(db, queued.id, ["waiting"]);
    await db.store.decideApproval(queued, { approved: false, comment: "too expensive" });
    const run = await settle(db, queued.id);
    expect(run).toMatchObject({ status: "failed", error: { code: "approval_rejected" } });
    expect(run.error?.message).toContain("too expensive");
    expect(calls).toEqual([]);
  });

  it("times out an approval nobody decides", async () => {
    const db = await openTestDatabase();
    await engineFor(db, []);
    const wf = await workflow(db, {
      nodes: [
        { id: "gate", kind: "approval", timeoutMs: 1000 },
        { id: "out", kind: "output" },
      ],
      edges: [{ id: "e", source: "gate", target: "out" }],
    });
    const run = await settle(
      db,
      (await queueRun(db.repos, { kind: "workflow", workflowId: wf.id, input: null })).id,
    );
    expect(run).toMatchObject({ status: "failed", error: { code: "approval_rejected" } });
    expect(run.error?.message).toMatch(/timeout/);
  });
});

describe("templates", () => {
  it("keep a lone placeholder's value and interpolate the rest as text", () => {
    expect(renderTemplate("{{input}}", { input: { a: 1 } })).toEqual({ a: 1 });
    expect(renderTemplate("x={{input.a}} y={{input.b.c}}", { input: { a: 1, b: { c: "z" } } })).toBe(
      "x=1 y=z",
    );
    expect(renderTemplate("{{input.missing}}", { input: {} })).toBeNull();
  });
});
