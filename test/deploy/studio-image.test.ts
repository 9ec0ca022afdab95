// The studio image (web + worker in one container) as people run it: built from
// infra/docker/Dockerfile, a named volume for /data, the host's Docker socket for sandboxes, a
// read-only root filesystem, hosted mode behind a published port. The contract's smoke tests run
// against it, a sandbox is made through the mounted socket, data survives a restart, and
// `docker stop` drains within Docker's 10 s.
import { randomBytes } from "node:crypto";
import { type AgentOsClient, createClient } from "@agentos/client";
import {
  bridgeGateway,
  buildImage,
  docker,
  dockerSocketGroup,
  removeSandboxes,
  startRelay,
  waitUntil,
} from "@agentos/infra/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type OpenAiCompatibleServer,
  reply,
  startOpenAiCompatibleServer,
} from "../../packages/runtime/test/support/openai-compatible-server";
import { freePort } from "../harness/processes";
import { ADMIN, signIn } from "../hosted/harness";
import { connectMcp } from "../mcp/harness";

const IMAGE = "agentos/studio:test";
const SANDBOX_IMAGE = "agentos/sandbox-busybox:test";
const MODEL_KEY = "sk-standin-image-test";
const id = randomBytes(4).toString("hex");
const CONTAINER = `agentos-image-test-${id}`;
const VOLUME = `agentos-image-test-${id}`;
const SECRET_KEY = randomBytes(32).toString("base64");

describe("the studio image", () => {
  let baseUrl = "";
  let mcpUrl = "";
  let client: AgentOsClient;
  let token = "";
  let model: OpenAiCompatibleServer;
  let relay: Awaited<ReturnType<typeof startRelay>>;
  let agentId = "";
  let readyMs = 0;

  const ready = async () => (await fetch(`${baseUrl}/api/ready`)).ok;

  beforeAll(async () => {
    const built = await buildImage("studio", IMAGE);
    console.log(`studio image: ${(built.bytes / 1e6).toFixed(0)} MB, built in ${built.seconds.toFixed(0)} s`);
    model = await startOpenAiCompatibleServer({ apiKey: MODEL_KEY, models: ["standin-1"] });
    // The container reaches the host's loopback stand-in through the bridge gateway.
    relay = await startRelay(await bridgeGateway(), Number(new URL(model.origin).port));
    const [port, mcpPort] = [await freePort(), await freePort()];
    baseUrl = `http://127.0.0.1:${port}`;
    mcpUrl = `http://127.0.0.1:${mcpPort}`;
    await docker(
      "run",
      "-d",
      "--name",
      CONTAINER,
      "--read-only",
      "--tmpfs",
      "/tmp",
      "-p",
      `127.0.0.1:${port}:3000`,
      "-p",
      `127.0.0.1:${mcpPort}:3001`,
      "-e",
      "MCP_PORT=3001",
      "-v",
      `${VOLUME}:/data`,
      "-v",
      "/var/run/docker.sock:/var/run/docker.sock",
      "--group-add",
      await dockerSocketGroup(),
      "--add-host",
      "host.docker.internal:host-gateway",
      "-e",
      "AGENTOS_MODE=hosted",
      "-e",
      `AGENTOS_SECRET_KEY=${SECRET_KEY}`,
      "-e",
      `AGENTOS_PUBLIC_URL=${baseUrl}`,
      "-e",
      `AGENTOS_ADMIN_EMAIL=${ADMIN.email}`,
      "-e",
      `AGENTOS_ADMIN_PASSWORD=${ADMIN.password}`,
      "-e",
      "WORKER_POLL_MS=100",
      "-e",
      "SANDBOX_POOL_SIZE=0",
      "-e",
      "SANDBOX_BACKEND_HOST=host.docker.internal",
      // The model stand-in is on the Docker host, a private address a hosted Studio refuses unless allowed.
      "-e",
      "AGENTOS_OUTBOUND_ALLOW=host.docker.internal",
      IMAGE,
    );
    readyMs = await waitUntil(ready, "the studio container to be ready", 60_000);
    const admin = await signIn(baseUrl, ADMIN);
    token = (
      await admin.json<{ token: string }>("/api/tokens", {
        method: "POST",
        json: { name: "image-test", scopes: ["read", "write", "run", "admin"] },
      })
    ).token;
    client = createClient({ baseUrl, token });
  }, 1_200_000);

  afterAll(async () => {
    // Listed while the Studio runs: the sandboxes' scope label comes from its database.
    const sandboxIds = (await client?.sandboxes.list().catch(() => null))?.items.map((s) => s.id) ?? [];
    const logs = await docker("logs", "--tail", "40", CONTAINER).catch(() => "");
    if (logs && process.env.AGENTOS_DEPLOY_TEST_LOGS) console.log(logs);
    await docker("rm", "-f", CONTAINER).catch(() => "");
    await docker("volume", "rm", "-f", VOLUME).catch(() => "");
    await removeSandboxes({ secretKey: SECRET_KEY, sandboxIds }).catch(() => {});
    await relay?.close();
    await model?.close();
  });

  it("is ready within seconds of starting, and says so on /api/health and /api/ready", async () => {
    console.log(`studio container: ready ${readyMs.toFixed(0)} ms after docker run returned`);
    expect(readyMs).toBeLessThan(30_000);
    expect(await (await fetch(`${baseUrl}/api/health`)).json()).toMatchObject({
      status: "ok",
      mode: "hosted",
    });
    const readiness = (await (await fetch(`${baseUrl}/api/ready`)).json()) as {
      checks: Array<{ name: string; ok: boolean }>;
    };
    expect(readiness.checks.map((c) => [c.name, c.ok])).toEqual([
      ["database", true],
      ["migrations", true],
      ["engine", true],
      ["workers", true],
    ]);
  });

  it("serves CRUD and runs an agent against a model through the worker inside it", async () => {
    const provider = await client.llmProviders.create({
      name: "stand-in",
      kind: "openai-compatible",
      baseUrl: `http://host.docker.internal:${relay.port}/v1`,
      apiKey: MODEL_KEY,
    });
    expect(provider.hasApiKey).toBe(true);
    const agent = await client.agents.create({
      name: `image-agent-${id}`,
      instructions: "Be brief.",
      model: { providerId: provider.id, model: "standin-1" },
    });
    agentId = agent.id;
    expect((await client.agents.list({ q: "image-agent" })).items.map((a) => a.id)).toContain(agent.id);
    model.enqueue(reply.text("Hello from inside the container"));
    const run = await client.agents.execute(agent.id, "Say hello");
    let status = run.status;
    await waitUntil(async () => {
      status = (await client.runs.get(run.id)).status;
      return status === "succeeded" || status === "failed";
    }, `run ${run.id} to finish`);
    const finished = await client.runs.get(run.id);
    expect(finished.status, JSON.stringify(finished.error)).toBe("succeeded");
    expect(JSON.stringify(finished.output)).toContain("Hello from inside the container");
  });

  it("answers MCP initialize and tools/list", async () => {
    const mcp = await connectMcp(baseUrl, token);
    try {
      const { tools } = await mcp.client.listTools();
      expect(tools.map((t) => t.name)).toEqual(expect.arrayContaining(["list_agents", "run_agent"]));
    } finally {
      await mcp.close();
    }
  });

  it("serves MCP alone on the dedicated MCP port", async () => {
    expect((await fetch(`${mcpUrl}/api/health`)).status).toBe(404);
    const mcp = await connectMcp(mcpUrl, token);
    try {
      expect((await mcp.client.listTools()).tools.length).toBeGreaterThan(5);
    } finally {
      await mcp.close();
    }
  });

  it("serves Prometheus metrics on /metrics", async () => {
    const text = await (await fetch(`${baseUrl}/metrics`)).text();
    expect(text).toMatch(/agentos_runs\{status="succeeded",process="web"\} [1-9]/);
    expect(text).toContain("agentos_http_requests_total");
  });

  it("makes a sandbox on the host's Docker through the mounted socket", async () => {
    const sandbox = await client.sandboxes.create({ policy: { image: SANDBOX_IMAGE } });
    let stdout = "";
    let exitCode: number | null = null;
    for await (const event of client.sandboxes.exec(sandbox.id, {
      command: "echo hello from $(id -u)",
      timeoutMs: 20_000,
    })) {
      if (event.type === "chunk" && event.stream === "stdout") stdout += event.text;
      if (event.type === "result") exitCode = event.exitCode;
    }
    expect(exitCode).toBe(0);
    expect(stdout.trim()).toBe("hello from 1000");
    const containers = await docker("ps", "--filter", `name=agentos-${sandbox.id}`, "--format", "{{.Image}}");
    expect(containers).toBe(SANDBOX_IMAGE);
    await client.sandboxes.delete(sandbox.id);
  });

  it("keeps its data on the volume across a restart", async () => {
    await docker("restart", CONTAINER);
    await waitUntil(ready, "the restarted container to be ready", 60_000);
    expect((await client.agents.get(agentId)).name).toBe(`image-agent-${id}`);
  });

  it("runs as a non-root user with a health check and labels", async () => {
    const inspect = JSON.parse(await docker("image", "inspect", IMAGE))[0].Config;
    expect(inspect.User).toBe("node");
    expect(inspect.Healthcheck.Test).toEqual(["CMD", "node", "/app/bin/healthcheck.mjs"]);
    expect(inspect.Labels["org.opencontainers.image.title"]).toBe("agentos-studio");
    await waitUntil(
      async () => (await docker("inspect", "--format", "{{.State.Health.Status}}", CONTAINER)) === "healthy",
      "the container's health check",
      60_000,
    );
  });

  it("stops cleanly within Docker's 10 s on docker stop (SIGTERM drains web and worker)", async () => {
    const started = performance.now();
    await docker("stop", CONTAINER);
    const seconds = (performance.now() - started) / 1000;
    console.log(`studio container: docker stop took ${seconds.toFixed(1)} s`);
    expect(seconds).toBeLessThan(10);
    expect(await docker("inspect", "--format", "{{.State.ExitCode}}", CONTAINER)).toBe("0");
    const logs = await docker("logs", CONTAINER);
    expect(logs).toContain('"msg":"draining"');
  });

  it("stops the container, visibly, when one of its processes crashes", async () => {
    await docker("start", CONTAINER);
    await waitUntil(ready, "the container to be ready again", 60_000);
    await docker(
      "exec",
      CONTAINER,
      "sh",
      "-c",
      // biome-ignore lint/suspicious/noTemplateCurlyInString: shell parameter expansion.
      'for p in /proc/[0-9]*; do if grep -q "[w]orker.mjs" "$p/cmdline" 2>/dev/null; then kill -KILL "${p#/proc/}"; fi; done; true',
    );
    await waitUntil(
      async () => (await docker("inspect", "--format", "{{.State.Running}}", CONTAINER)) === "false",
      "the container to stop after the worker crashed",
      20_000,
    );
    expect(await docker("inspect", "--format", "{{.State.ExitCode}}", CONTAINER)).toBe("1");
    expect(await docker("logs", CONTAINER)).toContain("worker exited; stopping the Studio");
  });
});
