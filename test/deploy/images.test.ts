// The scale-out images (web, worker, server) built from the same Dockerfile, run apart as a
// deployment would: server and web on one network with a worker, sharing the data volume (a
// libSQL file; a libSQL server URL in production), secrets from the environment.
import { randomBytes } from "node:crypto";
import { buildImage, docker, waitUntil } from "@agentos/infra/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../harness/processes";

const id = randomBytes(4).toString("hex");
const NETWORK = `agentos-images-${id}`;
const VOLUME = `agentos-images-${id}`;
const SECRET_KEY = randomBytes(32).toString("base64");
const WORKER_TOKEN = randomBytes(24).toString("hex");
const names = { server: `agentos-server-${id}`, worker: `agentos-worker-${id}`, web: `agentos-web-${id}` };

describe("the web, worker and server images", () => {
  const sizes: Record<string, number> = {};
  const ports = { server: 0, web: 0 };
  const shared = () => [
    "--network",
    NETWORK,
    "--read-only",
    "--tmpfs",
    "/tmp",
    "-v",
    `${VOLUME}:/data`,
    "-e",
    "AGENTOS_MODE=hosted",
    "-e",
    `AGENTOS_SECRET_KEY=${SECRET_KEY}`,
    "-e",
    `WORKER_TOKEN=${WORKER_TOKEN}`,
  ];

  beforeAll(async () => {
    for (const target of ["server", "worker", "web"] as const) {
      sizes[target] = (await buildImage(target, `agentos/${target}:test`)).bytes;
    }
    console.log(
      `image sizes (MB): ${Object.entries(sizes)
        .map(([t, b]) => `${t} ${(b / 1e6).toFixed(0)}`)
        .join(", ")}`,
    );
    await docker("network", "create", NETWORK);
    ports.server = await freePort();
    ports.web = await freePort();
    await docker(
      "run",
      "-d",
      "--name",
      names.server,
      ...shared(),
      "-p",
      `127.0.0.1:${ports.server}:3000`,
      "-e",
      `AGENTOS_PUBLIC_URL=http://127.0.0.1:${ports.server}`,
      "agentos/server:test",
    );
    await waitUntil(
      async () => (await fetch(`http://127.0.0.1:${ports.server}/api/health`)).ok,
      "the server",
      60_000,
    );
  }, 1_200_000);

  afterAll(async () => {
    await docker("rm", "-f", ...Object.values(names)).catch(() => "");
    await docker("network", "rm", NETWORK).catch(() => "");
    await docker("volume", "rm", "-f", VOLUME).catch(() => "");
  });

  it("the server is live but not ready until a worker host has registered", async () => {
    const ready = await fetch(`http://127.0.0.1:${ports.server}/api/ready`);
    expect(ready.status).toBe(503);
    expect(((await ready.json()) as { detail: string }).detail).toContain("workers");
    await docker(
      "run",
      "-d",
      "--name",
      names.worker,
      ...shared(),
      "-e",
      `WORKER_PUBLIC_URL=http://${names.worker}:3100`,
      "-e",
      "SANDBOX_POOL_SIZE=0",
      "agentos/worker:test",
    );
    await waitUntil(
      async () => (await fetch(`http://127.0.0.1:${ports.server}/api/ready`)).ok,
      "readiness",
      60_000,
    );
    const health = await docker(
      "exec",
      names.worker,
      "node",
      "-e",
      "fetch('http://127.0.0.1:3100/ready').then(r=>r.text()).then(console.log)",
    );
    expect(JSON.parse(health)).toMatchObject({ status: "ready" });
  });

  it("the web image serves the UI and the API on its own", async () => {
    await docker(
      "run",
      "-d",
      "--name",
      names.web,
      ...shared(),
      "-p",
      `127.0.0.1:${ports.web}:3000`,
      "-e",
      `AGENTOS_PUBLIC_URL=http://127.0.0.1:${ports.web}`,
      "agentos/web:test",
    );
    await waitUntil(
      async () => (await fetch(`http://127.0.0.1:${ports.web}/api/ready`)).ok,
      "web readiness",
      60_000,
    );
    const page = await fetch(`http://127.0.0.1:${ports.web}/sign-in`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("AgentOS Studio");
  });

  it("each scale-out image is smaller than the studio image's parts together", () => {
    for (const target of ["server", "worker", "web"]) expect(sizes[target]).toBeLessThan(400e6);
  });
});
