import { join } from "node:path";
import type { Sandbox } from "@agentos/core";
import { openDatabase } from "@agentos/db";
import { afterAll, describe, expect, it } from "vitest";
import { freshDataDir } from "../../test/harness/processes";
import { LABEL } from "../src/sandboxes/labels";
import {
  createSandbox,
  docker,
  exec,
  removeScope,
  scopeContainers,
  startWorker,
  TEST_IMAGE,
  until,
  type WorkerProcess,
} from "./sandbox-harness";

const PORTS = { SANDBOX_PORT_START: "18500", SANDBOX_PORT_END: "18519" };

async function rowsOf(dataDir: string) {
  const db = await openDatabase({ url: `file:${join(dataDir, "studio.db")}` });
  const result = await db.$client.execute("SELECT id, state, worker_id, container_id FROM sandboxes");
  db.$client.close();
  return new Map(
    result.rows.map((r) => [
      String(r.id),
      { state: String(r.state), workerId: String(r.worker_id), containerId: r.container_id as string | null },
    ]),
  );
}

describe("worker restart", () => {
  const scopes: string[] = [];
  const workers: WorkerProcess[] = [];
  afterAll(async () => {
    for (const w of workers) await w.stop("SIGKILL");
    for (const scope of new Set(scopes)) await removeScope(scope);
  });

  it("reconciles on start: orphans removed, vanished containers marked missing, the rest adopted", async () => {
    const dataDir = freshDataDir();
    const first = await startWorker({ ...PORTS, SANDBOX_POOL_SIZE: "1" }, dataDir);
    workers.push(first);
    scopes.push(first.scope);
    const running = await createSandbox(first);
    const stopped = await createSandbox(first);
    const vanishing = await createSandbox(first);
    await exec(first, running.id, { command: "echo survived > /workspace/note" });
    expect((await first.call(`/sandboxes/${stopped.id}/stop`, { method: "POST" })).status).toBe(200);
    // The warm pool fills behind the first create; its spare is this worker's alone.
    await until(async () => (await scopeContainers(first.scope)).length === 4, "a warm spare");

    // Behind the worker's back: a container vanishes, and a container of ours appears that no
    // sandbox row knows (as a crash between create and insert would leave).
    await docker("rm", "-f", vanishing.containerId!);
    const orphan = await docker(
      "create",
      "--label",
      `${LABEL.managed}=true`,
      "--label",
      `${LABEL.scope}=${first.scope}`,
      "--label",
      `${LABEL.sandbox}=sbx_01zzzzzzzzzzzzzzzzzzzzzzzz`,
      TEST_IMAGE,
      "sleep",
      "60",
    );
    // (Not asserting exit code 0: under load tsx's signal relay may SIGKILL its child after 30 ms.
    // Reconciliation must cope with either end: a worker marked gone, or one whose heartbeat stops.)
    await first.stop("SIGTERM");

    const second = await startWorker(PORTS, dataDir);
    workers.push(second);
    const info = await fetch(`${second.baseUrl}/internal/info`, {
      headers: { authorization: `Bearer ${second.token}` },
    });
    const secondId = ((await info.json()) as { workerId: string }).workerId;
    const containers = new Set(await scopeContainers(second.scope));
    expect(containers.has(orphan)).toBe(false);
    expect(containers).toEqual(new Set([running.containerId, stopped.containerId]));

    const rows = await rowsOf(dataDir);
    expect(rows.get(vanishing.id)).toMatchObject({ state: "missing", containerId: null });
    expect(rows.get(running.id)).toMatchObject({ state: "running", workerId: secondId });
    expect(rows.get(stopped.id)).toMatchObject({ state: "stopped", workerId: secondId });
    // No dangling rows: every live row has its container, every container its row.
    for (const [id, row] of rows) {
      if (row.state === "running" || row.state === "stopped")
        expect(containers.has(row.containerId!), id).toBe(true);
    }

    // The adopted sandbox keeps working, files and all; the missing one comes back empty on start.
    expect((await exec(second, running.id, { command: "cat /workspace/note" })).result.stdout).toBe(
      "survived\n",
    );
    const restarted = (await (
      await second.call(`/sandboxes/${vanishing.id}/start`, { method: "POST" })
    ).json()) as Sandbox;
    expect(restarted.state).toBe("running");
    expect(await docker("inspect", "-f", "{{.State.Running}}", restarted.containerId!)).toBe("true");
  });

  it("stops sandboxes left idle, but not those serving a site", async () => {
    const worker = await startWorker({
      ...PORTS,
      SANDBOX_PORT_START: "18520",
      SANDBOX_PORT_END: "18529",
      SANDBOX_IDLE_STOP_MS: "1500",
      SANDBOX_REAP_INTERVAL_MS: "300",
    });
    workers.push(worker);
    scopes.push(worker.scope);
    const idle = await createSandbox(worker);
    const serving = await createSandbox(worker, { network: true });
    const bound = await worker.call(`/sandboxes/${serving.id}/site-bindings`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ host: "idle-but-bound.example.test", containerPort: 8080 }),
    });
    expect(bound.status).toBe(201);
    await until(
      async () => (await rowsOf(worker.dataDir)).get(idle.id)?.state === "stopped",
      "the idle sandbox stopped",
    );
    expect((await rowsOf(worker.dataDir)).get(serving.id)?.state).toBe("running");
  });
});
