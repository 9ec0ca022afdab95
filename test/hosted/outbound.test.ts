// Outbound requests to user-supplied URLs on a hosted Studio (headless server processes, one libSQL
// file): MCP servers over Streamable HTTP (the real server-everything), an OpenAI-compatible
// provider (the loopback stand-in), HTTP tools and fetch_page, and runs on a hosted worker. First
// the operator allows 127.0.0.1 with AGENTOS_OUTBOUND_ALLOW and everything works, over one pool of
// connections; then the same Studio restarts without it, and every path refuses with a problem that
// names the address and the setting. A stdio MCP server stored before is never started.
import { existsSync, rmSync } from "node:fs";
import { createServer, request, type Server } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type AgentOsClient, createClient } from "@agentos/client";
import { type LlmProvider, LOCAL_WORKSPACE_ID, type McpServer, type Run, type Tool } from "@agentos/core";
import { createRepositories, createSecretCipher, openDatabase } from "@agentos/db";
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

/**
 * A loopback reverse proxy to `upstreamPort` that counts the connections the Studio keeps open to
 * it. It asks clients to keep idle connections for a minute (`Keep-Alive: timeout=60`), so a pool
 * that is made per request and never closed shows up as sockets piling up.
 */
async function startCountingProxy(upstreamPort: number) {
  const open = new Set<Socket>();
  let accepted = 0;
  const server: Server = createServer((req, res) => {
    const upstream = request(
      { host: "127.0.0.1", port: upstreamPort, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on("error", () => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
    // A client that hangs up (the end of an SSE stream) ends the upstream request too.
    res.on("close", () => upstream.destroy());
    req.pipe(upstream);
  });
  server.keepAliveTimeout = 60_000;
  server.on("connection", (socket: Socket) => {
    accepted++;
    open.add(socket);
    socket.once("close", () => open.delete(socket));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/mcp`,
    open: () => open.size,
    accepted: () => accepted,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

/** Stores an MCP server row as an older Studio could have: a hosted Studio refuses to register it now. */
async function storeStdioServer(dataDir: string, name: string, command: string, args: string[]) {
  const db = await openDatabase({ url: `file:${join(dataDir, "studio.db")}` });
  try {
    const repos = createRepositories(db, createSecretCipher(HOSTED_SECRET_KEY));
    return await repos.mcpServers.insert(LOCAL_WORKSPACE_ID, {
      name,
      description: "",
      transport: { type: "stdio", command, args },
      enabled: true,
      authTokenSecret: null,
      tools: [],
      lastCheckedAt: null,
    });
  } finally {
    db.$client.close();
  }
}

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

    it("keeps one pool of connections however many tool tests and refreshes it makes", async () => {
      const proxy = await startCountingProxy(everything.port);
      try {
        const counted = await client.mcpServers.create({
          name: unique("counted"),
          transport: { type: "streamable-http", url: proxy.url },
        });
        const echo = await client.tools.create({
          name: unique("echo").replace(/-/g, "_"),
          inputSchema: { type: "object", properties: { message: { type: "string" } } },
          config: { kind: "mcp", mcpServerId: counted.id, toolName: "echo" },
        });
        // Each of these makes an MCP client pool of its own, as registration did.
        for (let i = 0; i < 5; i++) {
          expect((await client.mcpServers.refresh(counted.id)).tools.length).toBeGreaterThan(0);
          expect(await client.tools.test(echo.id, { input: { message: `hi ${i}` } })).toMatchObject({
            ok: true,
          });
        }
        expect(proxy.accepted()).toBeGreaterThan(0);
        // The idle connection of the shared pool stays (and a stream may still be closing); a
        // pool per request would leave one idle connection per request open for a minute.
        await until(() => proxy.open() <= 2, "the Studio's idle connections to settle", 10_000);
      } finally {
        await proxy.close();
      }
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

    describe("on a hosted worker", () => {
      let worker: ApiTarget | undefined;
      beforeAll(async () => {
        worker = await startWorker(dataDir, {
          AGENTOS_MODE: "hosted",
          AGENTOS_SECRET_KEY: HOSTED_SECRET_KEY,
          WORKER_TOKEN,
          WORKER_POLL_MS: "100",
        });
      }, 120_000);
      afterAll(() => worker?.stop());

      /** Runs a new agent with `overrides` to its end on the worker. */
      async function runAgent(overrides: { mcpServerIds?: string[] } = {}): Promise<Run> {
        const agent = await client.agents.create({
          name: unique("blocked"),
          instructions: "Answer.",
          model: { providerId: provider.id, model: "standin-1" },
          ...overrides,
        });
        const created = await client.agents.execute(agent.id, "Hello?");
        let run: Run | undefined;
        await until(async () => {
          run = await client.runs.get(created.id);
          return run.status === "failed" || run.status === "succeeded";
        }, `run ${created.id} to end`);
        return run!;
      }

      it("fails a run whose provider is at a loopback base URL, saying why", async () => {
        const calls = model.requests.length;
        const run = await runAgent();
        expect(run.status).toBe("failed");
        // Final at once (no retries, none on Inngest either): a refused address stays refused.
        expect(run.error?.code).toBe("outbound_blocked");
        expect(run.error?.message).toContain("Refused to connect to 127.0.0.1");
        expect(run.error?.message).toContain("AGENTOS_OUTBOUND_ALLOW");
        expect(model.requests.length).toBe(calls);
      });

      it("never starts a stdio MCP server stored before: the run fails at once, saying why", async () => {
        const marker = join(tmpdir(), `agentos-hosted-stdio-${process.pid}-${Date.now()}`);
        try {
          const stdio = await storeStdioServer(dataDir, unique("shell"), "sh", ["-c", `touch ${marker}`]);
          const run = await runAgent({ mcpServerIds: [stdio.id] });
          expect(run.status).toBe("failed");
          expect(run.error?.code).toBe("outbound_blocked");
          expect(run.error?.message).toContain(`MCP server "${stdio.name}"`);
          expect(run.error?.message).toContain("stdio MCP servers run only in local mode");
          expect(existsSync(marker)).toBe(false);
        } finally {
          rmSync(marker, { force: true });
        }
      });
    });
  });
});
