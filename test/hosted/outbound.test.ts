// Outbound requests to user-supplied URLs on a hosted Studio (headless server processes, one libSQL
// file): MCP servers over Streamable HTTP (the real server-everything), an OpenAI-compatible
// provider (the loopback stand-in), HTTP tools and fetch_page, and a run on a hosted worker. First
// the operator allows 127.0.0.1 with AGENTOS_OUTBOUND_ALLOW and everything works; then the same
// Studio restarts without it, and every path refuses with a problem that names the address and the
// setting.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { type AgentOsClient, createClient } from "@agentos/client";
import type { LlmProvider, McpServer, Run, Tool } from "@agentos/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type EverythingHttpServer,
  startEverythingHttp,
} from "../../packages/runtime/test/fixtures/everything-server";
import {
  type OpenAiCompatibleServer,
  reply,
  startOpenAiCompatibleServer,
} from "../../packages/runtime/test/support/openai-compatible-server";
import { unique } from "../harness/factories";
import { problemOf } from "../harness/problems";
import { type ApiTarget, freePort, freshDataDir, startWorker, until } from "../harness/processes";
import { ADMIN, HOSTED_SECRET_KEY, type StudioProcess, signIn, startHostedStudio } from "./harness";

const WORKER_TOKEN = "worker-token-for-outbound-tests";

/** A loopback API an HTTP tool calls; counts its requests. */
async function startInternalApi() {
  let requests = 0;
  const server: Server = createServer((req, res) => {
    requests++;
    req.resume();
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({ secret: "internal only" }));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests: () => requests,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

describe("outbound requests of a hosted Studio", () => {
  const dataDir = freshDataDir();
  let port: number;
  let studio: StudioProcess | undefined;
  let everything: EverythingHttpServer;
  let model: OpenAiCompatibleServer;
  let internal: Awaited<ReturnType<typeof startInternalApi>>;
  let client: AgentOsClient;
  let mcpUrl: string;
  // Made while the operator allows 127.0.0.1; tried again once the allow-list is gone.
  let server: McpServer;
  let provider: LlmProvider;
  let httpTool: Tool;
  let mcpTool: Tool;

  /** The Studio on the same data dir and port, with `env` (the token and the data stay valid). */
  async function restartStudio(env: Record<string, string>) {
    await studio?.stop();
    studio = await startHostedStudio({ dataDir, port, env: { WORKER_TOKEN, ...env } });
  }

  beforeAll(async () => {
    [everything, model, internal, port] = await Promise.all([
      startEverythingHttp(),
      startOpenAiCompatibleServer({ models: ["standin-1"] }),
      startInternalApi(),
      freePort(),
    ]);
    mcpUrl = `http://127.0.0.1:${everything.port}/mcp`;
    await restartStudio({ AGENTOS_OUTBOUND_ALLOW: "127.0.0.1" });
    const admin = await signIn(studio!.baseUrl, ADMIN);
    const { token } = await admin.json<{ token: string }>("/api/tokens", {
      method: "POST",
      json: { name: "outbound", scopes: ["read", "write", "run"] },
    });
    client = createClient({ baseUrl: studio!.baseUrl, token });
  }, 180_000);

  afterAll(async () => {
    await studio?.stop();
    await Promise.all([everything?.stop(), model?.close(), internal?.close()]);
  });

  describe("with AGENTOS_OUTBOUND_ALLOW=127.0.0.1", () => {
    it("registers a loopback MCP server, lists its tools and calls one", async () => {
      server = await client.mcpServers.create({
        name: unique("everything"),
        transport: { type: "streamable-http", url: mcpUrl },
      });
      expect(server.lastCheckedAt).not.toBeNull();
      expect(server.tools.map((t) => t.name)).toEqual(expect.arrayContaining(["echo"]));
      expect((await client.mcpServers.refresh(server.id)).tools.length).toBe(server.tools.length);
      mcpTool = await client.tools.create({
        name: unique("echo").replace(/-/g, "_"),
        inputSchema: { type: "object", properties: { message: { type: "string" } } },
        config: { kind: "mcp", mcpServerId: server.id, toolName: "echo" },
      });
      expect(await client.tools.test(mcpTool.id, { input: { message: "hi" } })).toMatchObject({
        ok: true,
        output: "Echo: hi",
      });
    });

    it("tests a provider at a loopback base URL", async () => {
      provider = await client.llmProviders.create({
        name: unique("stand-in"),
        kind: "openai-compatible",
        baseUrl: model.baseUrl,
      });
      model.enqueue(reply.text("OK"));
      expect(await client.llmProviders.test(provider.id, { model: "standin-1" })).toMatchObject({ ok: true });
    });

    it("accepts allowPrivateNetwork for an allow-listed host, and calls it", async () => {
      httpTool = await client.tools.create({
        name: unique("internal").replace(/-/g, "_"),
        config: { kind: "http", url: `${internal.url}/data`, allowPrivateNetwork: true },
      });
      expect(await client.tools.test(httpTool.id, {})).toMatchObject({
        ok: true,
        output: { status: 200, body: { secret: "internal only" } },
      });
    });
  });

  describe("without an allow-list", () => {
    beforeAll(() => restartStudio({}), 120_000);

    it("refuses to register an MCP server at a loopback URL, naming the address and the setting", async () => {
      const refused = await problemOf(
        client.mcpServers.create({
          name: unique("local"),
          transport: { type: "streamable-http", url: mcpUrl },
        }),
      );
      expect(refused.status).toBe(400);
      expect(refused.problem.errors?.[0]?.path).toBe("body.transport.url");
      expect(refused.problem.detail).toContain(
        `Refused to connect to 127.0.0.1 for ${mcpUrl}: it is a loopback address`,
      );
      expect(refused.problem.detail).toContain(`adds "127.0.0.1:${everything.port}"`);
      expect(refused.problem.detail).toContain("AGENTOS_OUTBOUND_ALLOW");
      // The metadata service, by its IPv4-mapped IPv6 form, and a private network: refused alike.
      for (const url of ["http://[::ffff:169.254.169.254]/mcp", "http://10.1.2.3:8080/mcp"]) {
        const problem = await problemOf(
          client.mcpServers.create({ name: unique("inner"), transport: { type: "streamable-http", url } }),
        );
        expect(problem.problem.detail).toMatch(/link-local|private-network/);
      }
    });

    it("refuses to refresh an MCP server registered before, with 422 and the reason", async () => {
      const refused = await problemOf(client.mcpServers.refresh(server.id));
      expect(refused.status).toBe(422);
      expect(refused.problem.detail).toContain(
        `MCP server "${server.name}" cannot be reached from this Studio`,
      );
      expect(refused.problem.detail).toContain(`adds "127.0.0.1:${everything.port}"`);
      expect(refused.problem.detail).not.toMatch(/\n\s+at /);
      const test = await client.tools.test(mcpTool.id, { input: { message: "hi" } });
      expect(test).toMatchObject({ ok: false, error: { reason: "blocked" } });
      expect(test.error?.message).toContain("AGENTOS_OUTBOUND_ALLOW");
    });

    it("refuses a provider at a loopback base URL: on create, and on the provider test", async () => {
      const created = await problemOf(
        client.llmProviders.create({ name: unique("p"), kind: "openai-compatible", baseUrl: model.baseUrl }),
      );
      expect(created.status).toBe(400);
      expect(created.problem.errors?.[0]?.path).toBe("body.baseUrl");
      const calls = model.requests.length;
      const tested = await client.llmProviders.test(provider.id, { model: "standin-1" });
      expect(tested.ok).toBe(false);
      expect(tested.reason).toContain(
        `Refused to connect to 127.0.0.1 for ${model.baseUrl}/chat/completions`,
      );
      expect(tested.reason).toContain("AGENTOS_OUTBOUND_ALLOW");
      expect(model.requests.length).toBe(calls);
    });

    it("refuses allowPrivateNetwork on HTTP tools, and ignores it on those stored before", async () => {
      for (const url of [`${internal.url}/data`, "http://{host}/data"]) {
        const refused = await problemOf(
          client.tools.create({
            name: unique("inner").replace(/-/g, "_"),
            config: { kind: "http", url, allowPrivateNetwork: true },
          }),
        );
        expect(refused.status).toBe(400);
        expect(refused.problem.errors?.[0]?.path).toBe("body.config.allowPrivateNetwork");
        expect(refused.problem.detail).toContain("AGENTOS_OUTBOUND_ALLOW");
      }
      const update = await problemOf(
        client.tools.update(httpTool.id, {
          config: {
            kind: "http",
            url: "http://169.254.169.254/latest/meta-data/",
            allowPrivateNetwork: true,
          },
        }),
      );
      expect(update.problem.detail).toContain("cloud metadata");
      const calls = internal.requests();
      const test = await client.tools.test(httpTool.id, {});
      expect(test).toMatchObject({ ok: false, error: { reason: "blocked" } });
      expect(test.error?.message).toContain(`adds "127.0.0.1:${new URL(internal.url).port}"`);
      expect(internal.requests()).toBe(calls);
    });

    it("refuses fetch_page to the metadata service", async () => {
      const reader = await client.tools.create({
        name: unique("reader").replace(/-/g, "_"),
        config: { kind: "builtin", builtin: "fetch_page" },
      });
      const test = await client.tools.test(reader.id, {
        input: { url: "http://169.254.169.254/latest/meta-data/iam/" },
      });
      expect(test).toMatchObject({ ok: false, error: { reason: "blocked" } });
      expect(test.error?.message).toContain("cloud metadata services such as 169.254.169.254");
    });

    it("fails a run on a hosted worker whose provider is at a loopback base URL, saying why", async () => {
      let worker: ApiTarget | undefined;
      try {
        worker = await startWorker(dataDir, {
          AGENTOS_MODE: "hosted",
          AGENTOS_SECRET_KEY: HOSTED_SECRET_KEY,
          WORKER_TOKEN,
          WORKER_POLL_MS: "100",
        });
        const agent = await client.agents.create({
          name: unique("blocked"),
          instructions: "Answer.",
          model: { providerId: provider.id, model: "standin-1" },
        });
        const calls = model.requests.length;
        const created = await client.agents.execute(agent.id, "Hello?");
        let run: Run | undefined;
        await until(async () => {
          run = await client.runs.get(created.id);
          return run.status === "failed" || run.status === "succeeded";
        }, `run ${created.id} to end`);
        expect(run?.status).toBe("failed");
        // Final at once (no retries, none on Inngest either): a refused address stays refused.
        expect(run?.error?.code).toBe("outbound_blocked");
        expect(run?.error?.message).toContain("Refused to connect to 127.0.0.1");
        expect(run?.error?.message).toContain("AGENTOS_OUTBOUND_ALLOW");
        expect(model.requests.length).toBe(calls);
      } finally {
        await worker?.stop();
      }
    }, 120_000);
  });
});
