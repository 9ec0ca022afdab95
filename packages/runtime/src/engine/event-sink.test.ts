import { LOCAL_WORKSPACE_ID } from "@agentos/core";
import { afterEach, describe, expect, it } from "vitest";
import { insertAgent, openTestDatabase, queueRun } from "../testing/harness";
import { createRunEventSink } from "./event-sink";

type Db = Awaited<ReturnType<typeof openTestDatabase>>;
const open: Db[] = [];
afterEach(() => {
  for (const db of open.splice(0)) db.close();
});

async function setup() {
  const db = await openTestDatabase();
  open.push(db);
  const agent = await insertAgent(db.repos);
  const run = await queueRun(db.repos, { kind: "agent", agentId: agent.id, input: "hi" });
  const events = async () => db.repos.runEvents.list(LOCAL_WORKSPACE_ID, run.id, 0, 1000);
  return { db, run, events };
}

/** Resolves once `check` holds for the events written so far. */
async function eventsUntil<T>(read: () => Promise<T[]>, check: (events: T[]) => boolean): Promise<T[]> {
  for (;;) {
    const events = await read();
    if (check(events)) return events;
    await new Promise((resolve) => setImmediate(resolve));
  }
}

describe("run event sink", () => {
  it("writes a text delta after a quiet spell at once, without waiting out the window", async () => {
    const { db, run, events } = await setup();
    // A window far longer than the test: only a leading-edge write can land before flush().
    const sink = createRunEventSink(db.store, run, 60_000);
    sink.textDelta("Hello", { step: "llm:1" });
    const written = await eventsUntil(events, (e) => e.length === 1);
    expect(written[0]).toMatchObject({ type: "text.delta", payload: { text: "Hello", step: "llm:1" } });
    await sink.flush();
  });

  it("joins the deltas that arrive within the window into one event, in order", async () => {
    const { db, run, events } = await setup();
    const sink = createRunEventSink(db.store, run, 60_000);
    for (const piece of ["The", " quick", " brown", " fox"]) sink.textDelta(piece, { step: "llm:1" });
    await sink.flush();
    const written = await events();
    expect(written.map((e) => (e.payload as { text: string }).text)).toEqual(["The", " quick brown fox"]);
  });

  it("keeps deltas of different steps and other events in the order they were made", async () => {
    const { db, run, events } = await setup();
    const sink = createRunEventSink(db.store, run, 60_000);
    sink.textDelta("a", { step: "llm:1" });
    sink.textDelta("b", { step: "llm:1" });
    sink.textDelta("c", { step: "llm:2" });
    await sink.emit("step.end", { step: "llm:2" });
    sink.textDelta("d", { step: "llm:3" });
    await sink.flush();
    const written = await events();
    expect(written.map((e) => [e.type, e.payload])).toEqual([
      ["text.delta", { text: "a", step: "llm:1" }],
      ["text.delta", { text: "b", step: "llm:1" }],
      ["text.delta", { text: "c", step: "llm:2" }],
      ["step.end", { step: "llm:2" }],
      ["text.delta", { text: "d", step: "llm:3" }],
    ]);
    expect(written.map((e) => e.seq)).toEqual([...written.map((e) => e.seq)].sort((x, y) => x - y));
  });

  it("writes at most one text delta per window for a fast stream", async () => {
    const { db, run, events } = await setup();
    const windowMs = 20;
    const sink = createRunEventSink(db.store, run, windowMs);
    const started = performance.now();
    let sent = 0;
    while (performance.now() - started < 5 * windowMs) {
      sink.textDelta("x", { step: "llm:1" });
      sent++;
      await new Promise((resolve) => setImmediate(resolve));
    }
    await sink.flush();
    const written = await events();
    const text = written.map((e) => (e.payload as { text: string }).text).join("");
    expect(text).toBe("x".repeat(sent));
    // Five windows of time: a leading write plus one per window, and the final flush.
    expect(written.length).toBeLessThanOrEqual(7);
    expect(sent).toBeGreaterThan(written.length);
  });

  it("keeps a failed write for flush() to throw, without an unhandled rejection in between", async () => {
    const { db, run, events } = await setup();
    const sink = createRunEventSink(db.store, run, 60_000);
    sink.textDelta("kept", { step: "llm:1" });
    await sink.flush();
    expect(await events()).toHaveLength(1);
    db.close();
    // Fire-and-forget writes fail now; vitest fails the test on any unhandled rejection.
    sink.textDelta("lost", { step: "llm:1" });
    sink.textDelta("also lost", { step: "llm:2" });
    await expect(sink.flush()).rejects.toThrow();
    // Reported once: the next flush has nothing to report.
    await expect(sink.flush()).resolves.toBeUndefined();
  });
});
