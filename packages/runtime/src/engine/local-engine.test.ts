import { LOCAL_WORKSPACE_ID, type Run } from "@agentos/core";
import { afterEach, describe, expect, it } from "vitest";
import { until } from "../../../../test/harness/processes";
import {
  fixedModelResolver,
  fixedToolResolver,
  insertAgent,
  openTestDatabase,
  queueRun,
} from "../testing/harness";
import { type ScriptedTurn, scriptedModel } from "../testing/scripted-model";
import type { RuntimeTool } from "../tools/types";
import { LocalEngine } from "./local-engine";

type Db = Awaited<ReturnType<typeof openTestDatabase>>;
const open: Array<{ engine?: LocalEngine; db: Db }> = [];
afterEach(async () => {
  for (const { engine, db } of open.splice(0)) {
    await engine?.stop(1000);
    db.close();
  }
});

function addTool(calls: Array<{ a: number; b: number }>): RuntimeTool {
  return {
    name: "add",
    description: "Adds two numbers",
    inputSchema: {
      type: "object",
      properties: { a: { type: "number" }, b: { type: "number" } },
      required: ["a", "b"],
    },
    execute: async (input) => {
      const { a, b } = input as { a: number; b: number };
      calls.push({ a, b });
      return { sum: a + b };
    },
  };
}

async function startEngine(turns: ScriptedTurn[], tools: RuntimeTool[] = [], db?: Db, owner = "wrk_test") {
  const database = db ?? (await openTestDatabase());
  const model = scriptedModel(turns);
  const engine = new LocalEngine({
    owner,
    store: database.store,
    depsFor: () => ({
      repos: database.repos,
      models: fixedModelResolver(model, { inputPerMTok: 1, outputPerMTok: 2, cachedInputPerMTok: 0.5 }),
      tools: fixedToolResolver(tools),
    }),
    concurrency: 4,
    leaseMs: 2000,
    pollMs: 50,
  });
  engine.start();
  open.push({ engine, db: database });
  return { engine, model, db: database };
}

async function settledRun(db: Db, id: string): Promise<Run> {
  let run: Run | undefined;
  await until(async () => {
    run = await db.repos.runs.get(LOCAL_WORKSPACE_ID, id);
    return ["succeeded", "failed", "cancelled", "waiting"].includes(run.status);
  }, `run ${id} to settle`);
  return run!;
}

describe("local engine with a scripted model", () => {
  it("drives multi-turn tool calling and records every step, event and token", async () => {
    const calls: Array<{ a: number; b: number }> = [];
    const { db } = await startEngine(
      [
        {
          text: "Let me add.",
          toolCalls: [{ toolName: "add", input: { a: 2, b: 3 } }],
          usage: { inputTokens: 100, outputTokens: 10 },
        },
        { text: "The sum is 5.", usage: { inputTokens: 150, outputTokens: 20, cachedInputTokens: 100 } },
      ],
      [addTool(calls)],
    );
    const agent = await insertAgent(db.repos);
    const queued = await queueRun(db.repos, { kind: "agent", agentId: agent.id, input: "What is 2 + 3?" });
    const run = await settledRun(db, queued.id);

    expect(run).toMatchObject({ status: "succeeded", output: "The sum is 5." });
    expect(calls).toEqual([{ a: 2, b: 3 }]);
    expect(run.usage).toEqual({ inputTokens: 250, outputTokens: 30, cachedInputTokens: 100 });
    // 100 in + 10 out, then 50 uncached + 100 cached in + 20 out, at $1 / $0.5 / $2 per M.
    expect(run.costUsd).toBeCloseTo((100 * 1 + 10 * 2 + 50 * 1 + 100 * 0.5 + 20 * 2) / 1e6, 12);

    const steps = await db.repos.runSteps.list(LOCAL_WORKSPACE_ID, run.id);
    expect(steps.map((s) => [s.key.replace(/call_\w+/, "call"), s.kind, s.status])).toEqual([
      ["setup", "other", "succeeded"],
      ["llm-0", "llm", "succeeded"],
      ["tool-0-call", "tool", "succeeded"],
      ["llm-1", "llm", "succeeded"],
    ]);
    expect(steps[1]).toMatchObject({ model: "scripted", usage: { inputTokens: 100, outputTokens: 10 } });

    const events = await db.repos.runEvents.list(LOCAL_WORKSPACE_ID, run.id, 0, 1000);
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
    const types = events.map((e) => e.type);
    expect(types[0]).toBe("status");
    expect(types).toContain("tool.call");
    expect(types).toContain("tool.result");
    expect(types.at(-1)).toBe("status");
    const text = events
      .filter((e) => e.type === "text.delta")
      .map((e) => (e.payload as { text: string }).text)
      .join("");
    expect(text).toBe("Let me add.The sum is 5.");
  });

  it("returns the structured object when the agent has an output schema", async () => {
    const { db } = await startEngine([{ text: '{"city":"Lyon","population":522250}' }]);
    const agent = await insertAgent(db.repos, {
      outputSchema: {
        type: "object",
        properties: { city: { type: "string" }, population: { type: "number" } },
        required: ["city", "population"],
      },
    });
    const run = await settledRun(
      db,
      (await queueRun(db.repos, { kind: "agent", agentId: agent.id, input: "Lyon?" })).id,
    );
    expect(run).toMatchObject({ status: "succeeded", output: { city: "Lyon", population: 522250 } });
  });

  it("fails a run whose answer does not match the output schema, saying why", async () => {
    const { db } = await startEngine([{ text: "not json at all" }]);
    const agent = await insertAgent(db.repos, {
      outputSchema: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
    });
    const run = await settledRun(
      db,
      (await queueRun(db.repos, { kind: "agent", agentId: agent.id, input: "x" })).id,
    );
    expect(run).toMatchObject({ status: "failed", error: { code: "invalid_output" } });
  });

  it("cancels a running run and aborts its in-flight model call", async () => {
    const { db, model } = await startEngine([{ text: "word ".repeat(400), chunkDelayMs: 10 }]);
    const agent = await insertAgent(db.repos);
    const queued = await queueRun(db.repos, { kind: "agent", agentId: agent.id, input: "Talk a lot" });
    await until(
      async () =>
        (await db.repos.runEvents.list(LOCAL_WORKSPACE_ID, queued.id, 0, 100)).some(
          (e) => e.type === "text.delta",
        ),
      "streaming to start",
    );
    await db.repos.runs.update(LOCAL_WORKSPACE_ID, queued.id, { cancelRequested: true });
    const run = await settledRun(db, queued.id);
    expect(run).toMatchObject({ status: "cancelled", error: { code: "cancelled" } });
    const streamed = (await db.repos.runEvents.list(LOCAL_WORKSPACE_ID, run.id, 0, 10_000))
      .filter((e) => e.type === "text.delta")
      .map((e) => (e.payload as { text: string }).text)
      .join("");
    expect(streamed.length).toBeLessThan("word ".repeat(400).length);
    expect(model.calls).toBe(1);
  });

  it("stops an agent that keeps calling tools at maxSteps", async () => {
    const calls: Array<{ a: number; b: number }> = [];
    const { db } = await startEngine(
      [{ toolCalls: [{ toolName: "add", input: { a: 1, b: 1 } }] }],
      [addTool(calls)],
    );
    const agent = await insertAgent(db.repos, { limits: { maxSteps: 3 } });
    const run = await settledRun(
      db,
      (await queueRun(db.repos, { kind: "agent", agentId: agent.id, input: "loop" })).id,
    );
    expect(run).toMatchObject({ status: "failed", error: { code: "max_steps_exceeded" } });
    expect(calls).toHaveLength(3);
  });

  it("a run whose worker stopped renewing its lease is resumed by another, without repeating finished steps", async () => {
    const calls: Array<{ a: number; b: number }> = [];
    const db = await openTestDatabase();
    const agent = await insertAgent(db.repos);
    const queued = await queueRun(db.repos, { kind: "agent", agentId: agent.id, input: "add" });
    // A first worker claimed the run and finished its first two steps, then died (no more renewals).
    const claimed = await db.store.claim("wrk_dead", 300);
    expect(claimed?.run.id).toBe(queued.id);
    await db.store.startStep(queued, { key: "setup", kind: "other", name: "setup" });
    await db.store.completeStep(queued.id, "setup", {
      agent,
      instructions: "",
      messages: [{ role: "user", content: "add" }],
    } as never);
    await db.store.startStep(queued, { key: "llm-0", kind: "llm", name: "llm-0" });
    await db.store.completeStep(queued.id, "llm-0", {
      text: "",
      toolCalls: [{ toolCallId: "call_a", toolName: "add", input: { a: 4, b: 5 } }],
      finishReason: "tool-calls",
      usage: { inputTokens: 1, outputTokens: 1, cachedInputTokens: 0 },
      costUsd: 0,
      output: null,
    });
    const { model } = await startEngine([{ text: "9" }], [addTool(calls)], db, "wrk_alive");
    const run = await settledRun(db, queued.id);
    expect(run).toMatchObject({ status: "succeeded", output: "9" });
    expect(calls).toEqual([{ a: 4, b: 5 }]);
    expect(model.calls).toBe(1); // llm-0 was memoised; only llm-1 called the model
    const steps = await db.repos.runSteps.list(LOCAL_WORKSPACE_ID, run.id);
    expect(steps.every((s) => s.attempt === 1)).toBe(true);
  });
});
