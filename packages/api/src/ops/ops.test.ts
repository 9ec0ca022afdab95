import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LOCAL_WORKSPACE_ID } from "@agentos/core";
import { afterEach, describe, expect, it } from "vitest";
import { openStudio, type Studio, StudioEnv } from "../node";

const studios: Studio[] = [];
async function studioWith(env: Record<string, string> = {}): Promise<Studio> {
  const dataDir = mkdtempSync(join(tmpdir(), "agentos-ops-"));
  const studio = await openStudio(
    StudioEnv.parse({ AGENTOS_DATA_DIR: dataDir, LOG_LEVEL: "silent", ...env }),
  );
  studios.push(studio);
  return studio;
}
afterEach(() => {
  for (const studio of studios.splice(0)) studio.close();
});

const registerWorker = (studio: Studio, heartbeatAgoMs = 0) =>
  studio.deps.repos.workers
    .register({
      id: `wrk_${Math.random().toString(36).slice(2)}`,
      baseUrl: "http://127.0.0.1:9",
      capabilities: { docker: false, ollama: false },
      capacity: 1,
    })
    .then(async (worker) => {
      if (heartbeatAgoMs > 0) {
        await studio.db.$client.execute({
          sql: "UPDATE workers SET last_heartbeat_at = ? WHERE id = ?",
          args: [new Date(Date.now() - heartbeatAgoMs).toISOString(), worker.id],
        });
      }
    });

describe("/api/ready", () => {
  it("is 503 naming the failing check until a worker with a fresh heartbeat exists", async () => {
    const studio = await studioWith();
    const notReady = await studio.api.request("/api/ready");
    expect(notReady.status).toBe(503);
    expect(notReady.headers.get("content-type")).toContain("application/problem+json");
    const problem = (await notReady.json()) as {
      detail: string;
      checks: Array<{ name: string; ok: boolean }>;
    };
    expect(problem.detail).toMatch(/^workers: /);
    expect(problem.checks.find((c) => c.name === "migrations")?.ok).toBe(true);

    await registerWorker(studio, 5 * 60_000);
    expect((await studio.api.request("/api/ready")).status).toBe(503);
    await registerWorker(studio);
    const ready = await studio.api.request("/api/ready");
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: "ready" });
  });

  it("is 503 for the Inngest engine without keys or a dev server", async () => {
    const studio = await studioWith({ AGENTOS_ENGINE: "inngest" });
    await registerWorker(studio);
    const problem = (await (await studio.api.request("/api/ready")).json()) as { detail: string };
    expect(problem.detail).toContain("engine: inngest without INNGEST_EVENT_KEY");
  });
});

describe("/metrics", () => {
  it("serves the Prometheus text format with request counts by route and database gauges", async () => {
    const studio = await studioWith();
    await studio.api.request("/api/agents");
    await studio.api.request("/api/agents");
    const response = await studio.api.request("/metrics");
    expect(response.headers.get("content-type")).toContain("text/plain");
    const text = await response.text();
    expect(text).toContain(
      'agentos_http_requests_total{method="GET",route="/api/agents",status="200",process="web"} 2',
    );
    expect(text).toContain('agentos_runs{status="queued",process="web"} 0');
    expect(text).toContain('agentos_run_queue_depth{process="web"} 0');
    expect(text).toContain("process_resident_memory_bytes");
  });

  it("requires the bearer token when METRICS_TOKEN is set", async () => {
    const token = "metrics-token-0123456789";
    const studio = await studioWith({ METRICS_TOKEN: token });
    expect((await studio.api.request("/metrics")).status).toBe(401);
    expect(
      (await studio.api.request("/metrics", { headers: { authorization: "Bearer wrong" } })).status,
    ).toBe(401);
    expect(
      (await studio.api.request("/metrics", { headers: { authorization: `Bearer ${token}` } })).status,
    ).toBe(200);
  });
});

describe("admin backups", () => {
  it("creates, lists and downloads a backup; a token without admin is refused", async () => {
    const studio = await studioWith();
    const created = await studio.api.request("/api/admin/backups", { method: "POST" });
    expect(created.status).toBe(201);
    const backup = (await created.json()) as { name: string; bytes: number };
    const listed = (await (await studio.api.request("/api/admin/backups")).json()) as {
      items: Array<{ name: string }>;
    };
    expect(listed.items.map((b) => b.name)).toEqual([backup.name]);
    const download = await studio.api.request(`/api/admin/backups/${backup.name}`);
    expect((await download.arrayBuffer()).byteLength).toBe(backup.bytes);
    expect((await studio.api.request("/api/admin/backups/studio-2020-01-01T00-00-00-000Z.db")).status).toBe(
      404,
    );

    const { token } = await studio.deps.repos.apiTokens.create(LOCAL_WORKSPACE_ID, {
      name: "writer",
      scopes: ["read", "write"],
      expiresAt: null,
    });
    const refused = await studio.api.request("/api/admin/backups", {
      method: "POST",
      headers: { authorization: `Bearer ${token}` },
    });
    expect(refused.status).toBe(403);
  });
});
