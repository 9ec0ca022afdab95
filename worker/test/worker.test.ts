import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { createRepositories, createSecretCipher, openDatabase } from "@agentos/db";
import { afterAll, describe, expect, it } from "vitest";
import { freePort, freshDataDir, REPO_ROOT, until } from "../../test/harness/processes";

const tsx = createRequire(import.meta.url).resolve("tsx/cli");

describe("worker host", () => {
  const dataDir = freshDataDir();
  let worker: ChildProcess | undefined;
  let output = "";
  afterAll(() => {
    if (worker?.exitCode === null) worker.kill("SIGKILL");
  });

  it("registers, answers only authenticated internal calls, and leaves as gone on SIGTERM", async () => {
    const port = await freePort();
    worker = spawn(process.execPath, [tsx, join(REPO_ROOT, "worker/src/main.ts")], {
      env: {
        ...process.env,
        AGENTOS_DATA_DIR: dataDir,
        WORKER_PORT: String(port),
        WORKER_HEARTBEAT_MS: "500",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    worker.stdout?.on("data", (d) => (output += d));
    worker.stderr?.on("data", (d) => (output += d));
    const base = `http://127.0.0.1:${port}`;
    await until(async () => (await fetch(`${base}/health`).catch(() => null))?.ok === true, "worker health");

    const db = await openDatabase({ url: `file:${join(dataDir, "studio.db")}` });
    const repos = createRepositories(
      db,
      createSecretCipher(readFileSync(join(dataDir, "secret.key"), "utf8")),
    );
    const [row] = await repos.workers.list();
    expect(row).toMatchObject({ status: "online", baseUrl: base, capacity: 8 });
    const firstBeat = row!.lastHeartbeatAt;
    await until(async () => (await repos.workers.list())[0]!.lastHeartbeatAt > firstBeat, "a heartbeat");

    const anonymous = await fetch(`${base}/internal/info`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get("content-type")).toContain("application/problem+json");
    expect(
      (await fetch(`${base}/internal/info`, { headers: { authorization: "Bearer wrong-token-000000" } }))
        .status,
    ).toBe(401);
    const token = readFileSync(join(dataDir, "worker.token"), "utf8").trim();
    const info = await fetch(`${base}/internal/info`, { headers: { authorization: `Bearer ${token}` } });
    expect(await info.json()).toEqual({ workerId: row!.id, draining: false });

    const exited = new Promise<number | null>((resolve) => worker!.once("exit", resolve));
    worker.kill("SIGTERM");
    expect(await exited).toBe(0);
    expect((await repos.workers.list())[0]?.status).toBe("gone");
    db.$client.close();
  });
});
