import { LOCAL_WORKSPACE_ID, WorkflowCreate } from "@agentos/core";
import { InngestTestEngine } from "@inngest/test";
import { Inngest, NonRetriableError } from "inngest";
import { afterEach, describe, expect, it } from "vitest";
import {
  fixedModelResolver,
  fixedToolResolver,
  insertAgent,
  openTestDatabase,
  queueRun,
} from "../testing/harness";
import { scriptedModel } from "../testing/scripted-model";
import { createInngestRunFunction, markRunFailed, RUN_REQUESTED_EVENT } from "./inngest";
import { RunFailed } from "./signals";

type Db = Awaited<ReturnType<typeof openTestDatabase>>;
const dbs: Db[] = [];
afterEach(() => {
  for (const db of dbs.splice(0)) db.close();
});

async function setup(turns: Parameters<typeof scriptedModel>[0]) {
  const db = await openTestDatabase();
  dbs.push(db);
  const model = scriptedModel(turns);
  const fn = createInngestRunFunction(new Inngest({ id: "agentos-test" }), {
    store: db.store,
    depsFor: () => ({ repos: db.repos, models: fixedModelResolver(model), tools: fixedToolResolver([]) }),
  });
  return { db, model, engine: new InngestTestEngine({ function: fn }) };
}

describe("the run function on Inngest (@inngest/test)", () => {
  it("runs an agent with Inngest's own step tools and finishes the run", async () => {
    const { db, engine, model } = await setup([{ text: "Hello from Inngest." }]);
    const agent = await insertAgent(db.repos);
    const run = await queueRun(db.repos, { kind: "agent", agentId: agent.id, input: "hi" });
    const { result, ctx } = await engine.execute({
      events: [{ name: RUN_REQUESTED_EVENT, data: { runId: run.id, concurrencyKey: agent.id } }],
    });
    expect(result).toBe("Hello from Inngest.");
    expect(ctx.step.run).toHaveBeenCalledWith("llm-0", expect.any(Function));
    expect(model.calls).toBe(1);
    const stored = await db.repos.runs.get(LOCAL_WORKSPACE_ID, run.id);
    expect(stored).toMatchObject({
      status: "succeeded",
      output: "Hello from Inngest.",
      usage: { inputTokens: 10, outputTokens: 5 },
    });
  });

  it("registers the approval as a waitForEvent matched on the run id, with the node's timeout", async () => {
    // @inngest/test 1.0 cannot feed a mocked waitForEvent result back into inngest 4 (it hands
    // over a lazy promise where an event is validated), so the continuation after a decision is
    // tested on the local engine; here we check what Inngest is asked to wait for.
    const { db, engine } = await setup([]);
    const workflow = await db.repos.workflows.insert(
      LOCAL_WORKSPACE_ID,
      WorkflowCreate.parse({
        name: "approve-then-output",
        graph: {
          nodes: [
            { id: "gate", kind: "approval", message: "Ship it?", timeoutMs: 3_600_000 },
            { id: "out", kind: "output", template: "shipped {{input}}" },
          ],
          edges: [{ id: "e1", source: "gate", target: "out" }],
        },
      }),
    );
    const run = await queueRun(db.repos, { kind: "workflow", workflowId: workflow.id, input: "v1" });
    const { ctx } = await engine.executeStep("node-gate:decision", {
      events: [{ name: RUN_REQUESTED_EVENT, data: { runId: run.id, concurrencyKey: workflow.id } }],
    });
    expect(ctx.step.waitForEvent).toHaveBeenCalledWith("node-gate:decision", {
      event: "run.approval",
      match: "data.runId",
      timeout: 3_600_000,
    });
    const events = await db.repos.runEvents.list(LOCAL_WORKSPACE_ID, run.id, 0, 100);
    expect(events.map((e) => e.type)).toContain("approval.requested");
  });

  it("does not let Inngest retry a final failure, and marks the run failed with its code", async () => {
    const { db, engine } = await setup([{ text: "not json" }]);
    const agent = await insertAgent(db.repos, {
      outputSchema: { type: "object", properties: { a: { type: "string" } }, required: ["a"] },
    });
    const run = await queueRun(db.repos, { kind: "agent", agentId: agent.id, input: "x" });
    const { error } = await engine.execute({
      events: [{ name: RUN_REQUESTED_EVENT, data: { runId: run.id, concurrencyKey: agent.id } }],
    });
    // The step's error reaches the test serialised; a RunFailed is a NonRetriableError, so Inngest stops.
    expect(error).toMatchObject({ name: "RunFailed", code: "invalid_output" });
    expect(new RunFailed("x", "y")).toBeInstanceOf(NonRetriableError);
    // @inngest/test does not run onFailure; it calls this with the final error.
    await markRunFailed(db.store, run.id, error as Error);
    expect(await db.repos.runs.get(LOCAL_WORKSPACE_ID, run.id)).toMatchObject({
      status: "failed",
      error: { code: "invalid_output" },
    });
  });
});
