// Rotating AGENTOS_SECRET_KEY on worker hosts (real worker processes, a real libSQL file, real
// Docker): the worker opens values sealed under AGENTOS_PREVIOUS_SECRET_KEYS, and its sandbox
// scope comes from the installation id, so the key change leaves its containers recognised.
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { LOCAL_WORKSPACE_ID, newId, type Sandbox, SandboxPolicy } from "@agentos/core";
import { createRepositories, legacySandboxScopeOfKey, migrate, openDatabase } from "@agentos/db";
import { createKeyring, rotateSealedValues } from "@agentos/db/auth";
import { afterAll, describe, expect, it } from "vitest";
import { freshDataDir } from "../../test/harness/processes";
import { LABEL } from "../src/sandboxes/labels";
import {
  createSandbox,
  docker,
  exec,
  policyOf,
  removeScope,
  scopeContainers,
  startWorker,
  TEST_IMAGE,
  until,
  type WorkerProcess,
} from "./sandbox-harness";

const PORTS = { SANDBOX_PORT_START: "18640", SANDBOX_PORT_END: "18659" };
const newKey = () => randomBytes(32).toString("base64");

async function sandboxRow(dataDir: string, id: string) {
  const db = await openDatabase({ url: `file:${join(dataDir, "studio.db")}` });
  const result = await db.$client.execute({
    sql: "SELECT state, worker_id, container_id FROM sandboxes WHERE id = ?",
    args: [id],
  });
  db.$client.close();
  const row = result.rows[0];
  return row
    ? {
        state: String(row.state),
        workerId: String(row.worker_id),
        containerId: row.container_id as string | null,
      }
    : null;
}

async function workerIdOf(worker: WorkerProcess): Promise<string> {
  const info = await fetch(`${worker.baseUrl}/internal/info`, {
    headers: { authorization: `Bearer ${worker.token}` },
  });
  return ((await info.json()) as { workerId: string }).workerId;
}

/** A stopped container labelled as ours under `scope`, with no sandbox row (a crash's leftover). */
function orphanIn(scope: string): Promise<string> {
  return docker(
    "create",
    "--label",
    `${LABEL.managed}=true`,
    "--label",
    `${LABEL.scope}=${scope}`,
    "--label",
    `${LABEL.sandbox}=${newId("sandbox")}`,
    TEST_IMAGE,
    "sleep",
    "60",
  );
}

async function isContainer(id: string): Promise<boolean> {
  return (await docker("ps", "-aq", "--no-trunc", "--filter", `id=${id}`)) === id;
}

describe("secret key rotation on a worker host", () => {
  const scopes = new Set<string>();
  const workers: WorkerProcess[] = [];
  const started = async (env: Record<string, string>, dataDir?: string) => {
    const worker = await startWorker({ ...PORTS, ...env }, dataDir);
    workers.push(worker);
    scopes.add(worker.scope);
    return worker;
  };
  afterAll(async () => {
    for (const w of workers) await w.stop("SIGKILL");
    // Twice: a volume labelled with one scope may be mounted by a container of another.
    for (const _pass of [1, 2]) for (const scope of scopes) await removeScope(scope);
  });

  it("a worker restarted with a new key opens sandbox env sealed under the previous key, keeps its sandboxes and still reaps them", async () => {
    const [oldKey, rotatedKey] = [newKey(), newKey()];
    // Another Studio on the same engine: its sandbox and its leftovers are none of our business.
    const neighbour = await started({
      AGENTOS_SECRET_KEY: newKey(),
      SANDBOX_PORT_START: "18660",
      SANDBOX_PORT_END: "18669",
    });
    const theirs = await createSandbox(neighbour);
    const theirOrphan = await orphanIn(neighbour.scope);
    await neighbour.stop("SIGKILL");

    const dataDir = freshDataDir();
    const before = await started({ AGENTOS_SECRET_KEY: oldKey }, dataDir);
    const sandbox = await createSandbox(before, {}, { GREETING: "sealed under the old key" });
    await exec(before, sandbox.id, { command: "echo kept > /workspace/note" });
    const ourOrphan = await orphanIn(before.scope);
    await before.stop("SIGTERM");

    const after = await started(
      {
        AGENTOS_SECRET_KEY: rotatedKey,
        AGENTOS_PREVIOUS_SECRET_KEYS: oldKey,
        SANDBOX_IDLE_STOP_MS: "3000",
        SANDBOX_REAP_INTERVAL_MS: "300",
      },
      dataDir,
    );
    expect(after.scope).toBe(before.scope);
    // Reconciled as ours: the orphan of our scope removed, the sandbox kept with its container.
    expect(await isContainer(ourOrphan)).toBe(false);
    const { result } = await exec(after, sandbox.id, { command: 'echo "$GREETING"; cat /workspace/note' });
    expect(result).toMatchObject({ exitCode: 0, stdout: "sealed under the old key\nkept\n" });
    expect(await sandboxRow(dataDir, sandbox.id)).toMatchObject({
      workerId: await workerIdOf(after),
      containerId: sandbox.containerId,
    });
    const got = (await (await after.call(`/sandboxes/${sandbox.id}`)).json()) as Sandbox;
    expect(got.containerId).toBe(sandbox.containerId);

    await until(
      async () => (await sandboxRow(dataDir, sandbox.id))?.state === "stopped",
      "the idle sandbox stopped by the new worker",
    );
    expect(await docker("inspect", "-f", "{{.State.Running}}", sandbox.containerId!)).toBe("false");

    expect(await isContainer(theirs.containerId!)).toBe(true);
    expect(await isContainer(theirOrphan)).toBe(true);
    expect(new Set(await scopeContainers(neighbour.scope))).toEqual(
      new Set([theirs.containerId, theirOrphan]),
    );
  });

  it("containers an earlier release labelled with the key-derived scope stay ours through a rotation and after the old key is dropped", async () => {
    const [oldKey, rotatedKey] = [newKey(), newKey()];
    const legacyScope = legacySandboxScopeOfKey(oldKey);
    const strangerScope = legacySandboxScopeOfKey(newKey());
    scopes.add(legacyScope);
    scopes.add(strangerScope);

    // The database and containers as the earlier release left them: a sandbox of a worker that is
    // gone, with env sealed under the old key, in a container (and volume) labelled with the scope
    // of the old key; an orphan of that scope; and another Studio's orphan of its own key's scope.
    const dataDir = freshDataDir();
    const db = await openDatabase({ url: `file:${join(dataDir, "studio.db")}` });
    await migrate(db);
    const repos = createRepositories(db, createKeyring(oldKey));
    const row = await repos.sandboxStore.insert(LOCAL_WORKSPACE_ID, {
      agentId: null,
      runId: null,
      policy: SandboxPolicy.parse(policyOf({ network: true })),
      envSecret: repos.secrets.seal(JSON.stringify({ GREETING: "from before the upgrade" })),
      workerId: newId("worker"),
    });
    const labels = [`${LABEL.managed}=true`, `${LABEL.scope}=${legacyScope}`, `${LABEL.sandbox}=${row.id}`];
    const legacyContainer = await docker(
      "run",
      "-d",
      ...labels.flatMap((label) => ["--label", label]),
      "--mount",
      `type=volume,src=agentos-${randomBytes(8).toString("hex")},dst=/workspace,${labels.map((l) => `volume-label=${l}`).join(",")}`,
      "--network",
      "none",
      "--entrypoint",
      "sleep",
      TEST_IMAGE,
      "2147483647",
    );
    await repos.sandboxStore.update(row.id, { state: "running", containerId: legacyContainer });
    const legacyOrphan = await orphanIn(legacyScope);
    const strangerOrphan = await orphanIn(strangerScope);

    const rotating = await started(
      { AGENTOS_SECRET_KEY: rotatedKey, AGENTOS_PREVIOUS_SECRET_KEYS: oldKey },
      dataDir,
    );
    expect(rotating.scope).not.toBe(legacyScope);
    expect(await isContainer(legacyOrphan)).toBe(false);
    expect(await isContainer(strangerOrphan)).toBe(true);
    expect(await sandboxRow(dataDir, row.id)).toMatchObject({
      state: "running",
      workerId: await workerIdOf(rotating),
      containerId: legacyContainer,
    });
    const first = await exec(rotating, row.id, {
      command: 'echo "$GREETING" > /workspace/note; cat /workspace/note',
    });
    expect(first.result.stdout).toBe("from before the upgrade\n");
    await rotating.stop("SIGTERM");

    // `secrets rotate-key` re-seals under the new key; then the old key is dropped everywhere.
    await rotateSealedValues(db, createKeyring(rotatedKey, [oldKey]));
    db.$client.close();
    const rotated = await started({ AGENTOS_SECRET_KEY: rotatedKey }, dataDir);
    expect(await sandboxRow(dataDir, row.id)).toMatchObject({
      state: "running",
      containerId: legacyContainer,
    });
    expect((await exec(rotated, row.id, { command: "cat /workspace/note" })).result.stdout).toBe(
      "from before the upgrade\n",
    );
    expect(await isContainer(strangerOrphan)).toBe(true);

    // Publishing a port re-creates the container: it comes back with the installation's scope,
    // on the same volume.
    const bound = await rotated.call(`/sandboxes/${row.id}/site-bindings`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ host: "legacy.key-rotation.test", containerPort: 8080 }),
    });
    expect(bound.status).toBe(201);
    const recreated = (await sandboxRow(dataDir, row.id))?.containerId;
    expect(recreated).not.toBe(legacyContainer);
    expect(await docker("inspect", "-f", `{{index .Config.Labels "${LABEL.scope}"}}`, recreated!)).toBe(
      rotated.scope,
    );
    expect((await exec(rotated, row.id, { command: "cat /workspace/note" })).result.stdout).toBe(
      "from before the upgrade\n",
    );
  });
});
