// The Inngest engine's wiring: the Inngest dev server and Inngest Cloud cannot run here (the CLI
// downloads its binary at install), so a loopback server stands in for Inngest's event API
// (POST /e/<event key>, as the SDK sends it) and the worker's /api/inngest serve endpoint is
// checked through the SDK's own introspection. Execution itself is tested with @inngest/test in
// packages/runtime/src/engine/inngest.test.ts.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createClient } from "@agentos/client";
import { afterAll, describe, expect, it } from "vitest";
import { unique } from "../../test/harness/factories";
import {
  type ApiTarget,
  freshDataDir,
  startHeadlessServer,
  startWorker,
  until,
} from "../../test/harness/processes";

interface CapturedEvent {
  path: string;
  events: Array<{ name: string; data: Record<string, unknown> }>;
}

async function startEventApi() {
  const captured: CapturedEvent[] = [];
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (d) => (body += d));
    req.on("end", () => {
      const parsed = JSON.parse(body || "[]");
      captured.push({ path: req.url ?? "", events: Array.isArray(parsed) ? parsed : [parsed] });
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify({ ids: captured.map((_, i) => `evt_${i}`), status: 200 }));
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    captured,
    close: () => server.close(),
  };
}

describe("AGENTOS_ENGINE=inngest", () => {
  const started: ApiTarget[] = [];
  afterAll(async () => {
    await Promise.all(started.map((t) => t.stop()));
  });

  it("the worker serves the run function to Inngest at /api/inngest", async () => {
    const worker = await startWorker(freshDataDir(), { AGENTOS_ENGINE: "inngest", INNGEST_DEV: "1" });
    started.push(worker);
    const response = await fetch(`${worker.baseUrl}/api/inngest`);
    expect(response.status).toBe(200);
    const body = (await response.json()) as Record<string, unknown>;
    // The run function and its onFailure handler, which Inngest registers as a function of its own.
    expect(body.function_count ?? body.functionCount).toBe(2);
    // The internal API still requires the worker token; the Inngest endpoint is Inngest's to call.
    expect((await fetch(`${worker.baseUrl}/internal/info`)).status).toBe(401);
  });

  it("the API sends agentos/run.requested for a queued run, keyed by agent for concurrency", async () => {
    const events = await startEventApi();
    try {
      const api = await startHeadlessServer({
        AGENTOS_ENGINE: "inngest",
        INNGEST_BASE_URL: events.url,
        INNGEST_EVENT_KEY: "test-event-key",
      });
      started.push(api);
      const client = createClient({ baseUrl: api.baseUrl });
      const provider = await client.llmProviders.create({
        name: unique("p"),
        kind: "openai-compatible",
        baseUrl: "http://127.0.0.1:1/v1",
      });
      const agent = await client.agents.create({
        name: unique("a"),
        model: { providerId: provider.id, model: "m" },
      });
      const run = await client.agents.execute(agent.id, "hello");
      await until(() => events.captured.length > 0, "an event at the Inngest event API");
      const [sent] = events.captured;
      expect(sent!.path).toContain("/e/test-event-key");
      expect(sent!.events[0]).toMatchObject({
        name: "agentos/run.requested",
        data: { runId: run.id, concurrencyKey: agent.id },
      });
    } finally {
      events.close();
    }
  });
});
