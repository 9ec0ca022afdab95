import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, request, type Server } from "node:http";
import { join } from "node:path";
import { LOCAL_WORKSPACE_ID, newId, type Sandbox, SandboxPolicy, type SiteBinding } from "@agentos/core";
import { type Database, openDatabase, schema } from "@agentos/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WebSocket, WebSocketServer } from "ws";
import { type ApiTarget, startHeadlessServer } from "../../test/harness/processes";
import {
  docker,
  policyOf,
  readExecStream,
  removeScope,
  startWorker,
  type WorkerProcess,
} from "./sandbox-harness";

const PORT_START = 18400;
const PORT_END = 18479;
/** A loopback backend for the WebSocket and header checks: busybox has no WebSocket server. */
const LOOPBACK_BACKEND_PORT = PORT_END;

/** One HTTP request with a chosen Host header (fetch cannot set Host). */
function send(
  url: string,
  options: { host: string; method?: string; body?: Buffer; headers?: Record<string, string> },
): Promise<{ status: number; headers: IncomingMessage["headers"]; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: options.method ?? "GET", headers: { host: options.host, ...options.headers } },
      (res) => {
        const parts: Buffer[] = [];
        res.on("data", (d: Buffer) => parts.push(d));
        res.on("end", () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(parts) }),
        );
      },
    );
    req.on("error", reject);
    req.end(options.body);
  });
}

describe("sandbox site hosting", () => {
  let worker: WorkerProcess;
  let server: ApiTarget;
  let db: Database;
  let backend: Server;
  let backendConnections = 0;
  let wss: WebSocketServer;
  const api = (path: string, init: RequestInit = {}) => fetch(`${server.baseUrl}/api${path}`, init);
  const post = (path: string, body: unknown) =>
    api(path, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
  const sh = async (id: string, command: string) =>
    (await readExecStream(await post(`/sandboxes/${id}/exec`, { command }))).result;
  const createSandbox = async () => {
    const response = await post("/sandboxes", { policy: policyOf({ network: true }) });
    expect(response.status, await response.clone().text()).toBe(201);
    return (await response.json()) as Sandbox;
  };
  const putFile = async (id: string, path: string, body: string) => {
    const response = await api(`/sandboxes/${id}/files/content?path=${encodeURIComponent(path)}`, {
      method: "PUT",
      body,
    });
    expect(response.status).toBe(201);
  };

  beforeAll(async () => {
    // Started before the worker, so the worker's port allocation sees the port taken and skips it.
    backend = createServer((req, res) => {
      res.writeHead(200, { "content-type": "application/json", "keep-alive": "timeout=5", "x-backend": "1" });
      res.end(JSON.stringify({ headers: req.headers, url: req.url }));
    });
    backend.on("connection", () => backendConnections++);
    wss = new WebSocketServer({ server: backend });
    wss.on("connection", (socket) =>
      socket.on("message", (data, isBinary) => socket.send(data, { binary: isBinary })),
    );
    await new Promise<void>((resolve) => backend.listen(LOOPBACK_BACKEND_PORT, "127.0.0.1", resolve));

    worker = await startWorker({
      SANDBOX_PORT_START: String(PORT_START),
      SANDBOX_PORT_END: String(PORT_END),
    });
    server = await startHeadlessServer({ AGENTOS_DATA_DIR: worker.dataDir });
    db = await openDatabase({ url: `file:${join(worker.dataDir, "studio.db")}` });
  });
  afterAll(async () => {
    await server?.stop();
    await worker?.stop();
    if (worker) await removeScope(worker.scope);
    wss?.close();
    backend?.closeAllConnections();
    backend?.close();
    db?.$client.close();
  });

  it("serves a busybox httpd sandbox by Host through the worker proxy and through /api/sandbox-proxy", async () => {
    const sandbox = await createSandbox();
    // Written before the binding: re-creating the container to publish the port keeps files.
    await putFile(sandbox.id, "/workspace/www/index.html", "<h1>hello from the sandbox</h1>\n");
    await putFile(
      sandbox.id,
      "/workspace/www/cgi-bin/echo",
      '#!/bin/sh\nprintf "Content-Type: application/octet-stream\\r\\n\\r\\n"\ncat\n',
    );
    const bound = await post(`/sandboxes/${sandbox.id}/site-bindings`, {
      host: "Site.Example.test",
      containerPort: 8080,
    });
    expect(bound.status, await bound.clone().text()).toBe(201);
    const binding = (await bound.json()) as SiteBinding;
    expect(binding).toMatchObject({ host: "site.example.test", containerPort: 8080 });
    expect(binding.hostPort).toBeGreaterThanOrEqual(PORT_START);
    expect(binding.hostPort).toBeLessThanOrEqual(PORT_END);
    expect(await docker("port", `agentos-${sandbox.id}`, "8080/tcp")).toBe(`127.0.0.1:${binding.hostPort}`);

    const started = await sh(sandbox.id, "chmod +x www/cgi-bin/echo && httpd -p 8080 -h /workspace/www");
    expect(started.exitCode).toBe(0);

    const page = await send(worker.proxyUrl, { host: "site.example.test" });
    expect(page.status).toBe(200);
    expect(page.body.toString()).toBe("<h1>hello from the sandbox</h1>\n");

    // A request body goes up and the answer comes back through the proxy, byte for byte.
    const payload = randomBytes(512 * 1024);
    const echoed = await send(`${worker.proxyUrl}/cgi-bin/echo`, {
      host: "site.example.test:443",
      method: "POST",
      body: payload,
      headers: { "content-type": "application/octet-stream", "content-length": String(payload.length) },
    });
    expect(echoed.status).toBe(200);
    expect(echoed.body.equals(payload)).toBe(true);

    const viaApi = await fetch(`${server.baseUrl}/api/sandbox-proxy/index.html`, {
      headers: { "x-sandbox-host": "site.example.test" },
    });
    expect(viaApi.status).toBe(200);
    expect(await viaApi.text()).toBe("<h1>hello from the sandbox</h1>\n");
    const echoedViaApi = await fetch(`${server.baseUrl}/api/sandbox-proxy/cgi-bin/echo`, {
      method: "POST",
      headers: { "x-sandbox-host": "site.example.test", "content-type": "application/octet-stream" },
      body: payload,
    });
    expect(Buffer.from(await echoedViaApi.arrayBuffer()).equals(payload)).toBe(true);

    // Reverse-proxy configuration and Caddy's on-demand TLS check.
    expect((await api("/sandbox-site-bindings/check?domain=site.example.test")).status).toBe(200);
    expect((await api("/sandbox-site-bindings/check?domain=other.example.test")).status).toBe(404);
    expect(await (await api("/sandbox-site-bindings?hosts=1")).json()).toEqual({
      hosts: ["site.example.test"],
    });
    const listed = (await (await api(`/sandboxes/${sandbox.id}/site-bindings`)).json()) as {
      items: SiteBinding[];
    };
    expect(listed.items.map((b) => b.id)).toEqual([binding.id]);

    // A taken host is a conflict; a sandbox with network off cannot publish a port.
    const again = await post(`/sandboxes/${sandbox.id}/site-bindings`, {
      host: "site.example.test",
      containerPort: 80,
    });
    expect(again.status).toBe(409);
    const offline = (await (await post("/sandboxes", { policy: policyOf() })).json()) as Sandbox;
    const refused = await post(`/sandboxes/${offline.id}/site-bindings`, {
      host: "x.example.test",
      containerPort: 80,
    });
    expect(refused.status).toBe(409);
    const invalid = await post(`/sandboxes/${sandbox.id}/site-bindings`, {
      host: "not a host",
      containerPort: 0,
    });
    expect(invalid.status).toBe(400);
    const fields = ((await invalid.json()) as { errors: Array<{ path: string }> }).errors.map((e) => e.path);
    expect(fields).toEqual(expect.arrayContaining(["body.host", "body.containerPort"]));

    // A stopped sandbox answers 502; deleting the binding makes the host unknown.
    await post(`/sandboxes/${sandbox.id}/stop`, {});
    expect((await send(worker.proxyUrl, { host: "site.example.test" })).status).toBe(502);
    const down = await fetch(`${server.baseUrl}/api/sandbox-proxy/`, {
      headers: { "x-sandbox-host": "site.example.test" },
    });
    expect(down.status).toBe(502);
    const removed = await api(`/sandboxes/${sandbox.id}/site-bindings/${binding.id}`, { method: "DELETE" });
    expect(removed.status).toBe(204);
    expect((await send(worker.proxyUrl, { host: "site.example.test" })).status).toBe(404);
  });

  it("answers unknown hosts with a clear 404 page, and never routes to the worker's own API", async () => {
    const unknown = await send(worker.proxyUrl, { host: "nobody.example.test" });
    expect(unknown.status).toBe(404);
    expect(unknown.headers["content-type"]).toContain("text/html");
    expect(unknown.body.toString()).toContain("No sandbox site is bound to <code>nobody.example.test</code>");
    const internal = await send(`${worker.proxyUrl}/internal/info`, {
      host: new URL(worker.baseUrl).host,
      headers: { authorization: `Bearer ${worker.token}` },
    });
    expect(internal.status).toBe(404);
    const viaApi = await fetch(`${server.baseUrl}/api/sandbox-proxy/`, {
      headers: { "x-sandbox-host": "nobody.example.test" },
    });
    expect(viaApi.status).toBe(404);
    expect(viaApi.headers.get("content-type")).toContain("application/problem+json");
  });

  it("carries WebSockets, sets X-Forwarded-*, strips hop-by-hop headers and keeps backend connections alive", async () => {
    // A binding to the loopback backend, written as the worker would have (same table, same rules).
    const sandboxId = newId("sandbox");
    const now = new Date().toISOString();
    await db.insert(schema.sandboxes).values({
      id: sandboxId,
      workspaceId: LOCAL_WORKSPACE_ID,
      agentId: null,
      runId: null,
      policy: SandboxPolicy.parse({ network: true }),
      envSecret: null,
      state: "stopped",
      stateReason: null,
      workerId: null,
      containerId: null,
      lastUsedAt: null,
      createdAt: now,
      updatedAt: now,
    });
    await db.insert(schema.siteBindings).values({
      id: newId("siteBinding"),
      workspaceId: LOCAL_WORKSPACE_ID,
      sandboxId,
      host: "ws.example.test",
      containerPort: 9000,
      hostPort: LOOPBACK_BACKEND_PORT,
      createdAt: now,
    });

    const socket = new WebSocket(`${worker.proxyUrl.replace("http", "ws")}/chat`, {
      headers: { host: "ws.example.test" },
    });
    await new Promise<void>((resolve, reject) => {
      socket.once("open", resolve);
      socket.once("error", reject);
    });
    const replies: string[] = [];
    const got = new Promise<void>((resolve) =>
      socket.on("message", (data) => {
        replies.push(data.toString());
        if (replies.length === 2) resolve();
      }),
    );
    socket.send("ping 1");
    socket.send("ping 2");
    await got;
    expect(replies).toEqual(["ping 1", "ping 2"]);
    socket.close();

    const connectionsBefore = backendConnections;
    for (let i = 0; i < 5; i++) {
      const answer = await send(`${worker.proxyUrl}/echo?i=${i}`, {
        host: "ws.example.test",
        headers: {
          connection: "keep-alive, x-hop",
          "x-hop": "must not pass",
          "keep-alive": "timeout=1",
          "x-forwarded-for": "203.0.113.9",
          "x-end-to-end": "kept",
          cookie: "agentos.session_token=not-for-sites; cart=3",
          authorization: "Bearer agt_not-for-sites",
        },
      });
      expect(answer.status).toBe(200);
      expect(answer.headers["x-backend"]).toBe("1");
      expect(answer.headers["keep-alive"]).toBeUndefined();
      const { headers, url } = JSON.parse(answer.body.toString()) as {
        headers: Record<string, string>;
        url: string;
      };
      expect(url).toBe(`/echo?i=${i}`);
      expect(headers["x-hop"]).toBeUndefined();
      expect(headers["keep-alive"]).toBeUndefined();
      expect(headers["x-end-to-end"]).toBe("kept");
      expect(headers["x-forwarded-for"]).toBe("203.0.113.9, 127.0.0.1");
      expect(headers["x-forwarded-proto"]).toBe("http");
      expect(headers["x-forwarded-host"]).toBe("ws.example.test");
      expect(headers.host).toBe("ws.example.test");
      // The Studio's own session cookie and API token never reach a site; the site's cookie does.
      expect(headers.cookie).toBe("cart=3");
      expect(headers.authorization).toBeUndefined();
    }
    // Five requests, one pooled connection from the proxy to the backend.
    expect(backendConnections - connectionsBefore).toBe(1);
  });

  it("gives 50 concurrent bindings 50 distinct host ports and publishes them all", async () => {
    const sandbox = await createSandbox();
    await sh(sandbox.id, "echo still-here > /workspace/marker");
    const responses = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        post(`/sandboxes/${sandbox.id}/site-bindings`, {
          host: `app${i}.example.test`,
          containerPort: 8000 + i,
        }),
      ),
    );
    const bodies = await Promise.all(
      responses.map(async (r) => ({ status: r.status, body: await r.json() })),
    );
    for (const { status, body } of bodies) expect(status, JSON.stringify(body)).toBe(201);
    const ports = bodies.map((b) => (b.body as SiteBinding).hostPort);
    expect(new Set(ports).size).toBe(50);
    expect(ports.every((p) => p >= PORT_START && p <= PORT_END && p !== LOOPBACK_BACKEND_PORT)).toBe(true);
    const published = (await docker("port", `agentos-${sandbox.id}`)).split("\n").filter(Boolean);
    expect(published).toHaveLength(50);
    expect((await sh(sandbox.id, "cat /workspace/marker")).stdout).toBe("still-here\n");
  }, 120_000);
});
