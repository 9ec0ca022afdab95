// The install flow against the real dockerd: the worker runs Ollama as a managed container. No image
// registry is reachable here, so OLLAMA_IMAGE names a stand-in image built locally by
// worker/test/ollama-standin/build.sh (Node 24 + the loopback Ollama stand-in, answering Ollama's API
// on 0.0.0.0:11434 with its models in /root/.ollama, like ollama/ollama). The image is on the engine
// already, so the flow skips `docker.pull` (whose progress tally is unit-tested against Docker's pull
// stream format in src/ollama/image-pull-progress.test.ts); everything else is real: container,
// models volume, published port, restart policy, state reporting, adoption by a new worker.
import { execFile } from "node:child_process";
import { createServer, type Server } from "node:net";
import { join } from "node:path";
import { promisify } from "node:util";
import { type AgentOsClient, createClient, type OllamaStatus } from "@agentos/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type ApiTarget,
  freePort,
  freshDataDir,
  REPO_ROOT,
  startHeadlessServer,
  startWorker,
  until,
} from "../../test/harness/processes";
import { followPull } from "./ollama-standin/harness";
import { startOllamaStandin } from "./ollama-standin/server";
import { docker } from "./sandbox-harness";

const IMAGE = "agentos/ollama-standin:test";
const run = promisify(execFile);

describe("managed Ollama container on the real dockerd", () => {
  const dataDir = freshDataDir();
  const container = `agentos-ollama-test-${process.pid}-${Date.now().toString(36)}`;
  const other = `${container}-b`;
  let port: number;
  let api: ApiTarget;
  let worker: ApiTarget;
  let client: AgentOsClient;
  let env: Record<string, string>;

  /** Polls the status until `state`, returning every state seen on the way. */
  async function statesUntil(state: OllamaStatus["state"], timeoutMs = 60_000) {
    const seen: OllamaStatus["state"][] = [];
    let last: OllamaStatus | undefined;
    await until(
      async () => {
        last = await client.ollama.status();
        if (seen.at(-1) !== last.state) seen.push(last.state);
        if (last.state === "error" && state !== "error") throw new Error(`install failed: ${last.reason}`);
        return last.state === state;
      },
      `Ollama to be ${state}`,
      timeoutMs,
    );
    return { seen, status: last! };
  }

  beforeAll(async () => {
    // Idempotent and fast when the image exists (scripts/test-prereqs.sh builds it first).
    await run("bash", [join(REPO_ROOT, "worker/test/ollama-standin/build.sh")]);
    port = await freePort();
    env = {
      OLLAMA_IMAGE: IMAGE,
      OLLAMA_CONTAINER: container,
      OLLAMA_MANAGED_PORT: String(port),
      // Nothing listens there: detection misses, so the install flow is offered.
      OLLAMA_DETECT_URL: `http://127.0.0.1:${await freePort()}`,
      SANDBOX_POOL_SIZE: "0",
    };
    api = await startHeadlessServer({ AGENTOS_DATA_DIR: dataDir });
    worker = await startWorker(dataDir, env);
    client = createClient({ baseUrl: api.baseUrl });
  }, 120_000);

  afterAll(async () => {
    await Promise.all([api?.stop(), worker?.stop()]);
    for (const name of [container, other]) {
      await docker("rm", "-f", name).catch(() => {});
      await docker("volume", "rm", "-f", `${name}-models`).catch(() => {});
    }
  });

  it("offers the install when no Ollama answers and Docker is available", async () => {
    const status = await client.ollama.status();
    expect(status).toMatchObject({
      state: "not_installed",
      installable: true,
      image: IMAGE,
      baseUrl: null,
      providerId: null,
    });
    expect(status.reason).toContain("POST /api/ollama/install");
  });

  it("installs Ollama as a managed container, reporting each state until ready", async () => {
    const started = await client.ollama.install();
    expect(started).toMatchObject({
      state: "installing",
      source: "managed",
      install: { phase: "pulling_image" },
    });
    const { seen, status } = await statesUntil("ready");
    expect(seen.at(-1)).toBe("ready");
    expect(seen.every((s) => ["installing", "starting", "ready"].includes(s))).toBe(true);
    expect(status).toMatchObject({
      source: "managed",
      baseUrl: `http://127.0.0.1:${port}`,
      version: "0.12.6",
      container,
      gpu: false,
      install: null,
    });
    // Ready for the first time: the workspace gets its ollama provider at the container's URL.
    const provider = await client.llmProviders.get(status.providerId!);
    expect(provider).toMatchObject({
      name: "Ollama (local)",
      kind: "ollama",
      baseUrl: `http://127.0.0.1:${port}`,
    });

    const [inspect] = JSON.parse(await docker("inspect", container)) as Array<{
      Config: { Labels: Record<string, string> };
      HostConfig: {
        RestartPolicy: { Name: string };
        PortBindings: Record<string, Array<{ HostIp: string; HostPort: string }>>;
        DeviceRequests: unknown[] | null;
      };
      Mounts: Array<{ Type: string; Name: string; Destination: string }>;
    }>;
    expect(inspect?.HostConfig.RestartPolicy.Name).toBe("unless-stopped");
    expect(inspect?.HostConfig.PortBindings["11434/tcp"]).toEqual([
      { HostIp: "127.0.0.1", HostPort: String(port) },
    ]);
    // This machine has no NVIDIA GPU: nothing is passed through.
    expect(inspect?.HostConfig.DeviceRequests ?? []).toEqual([]);
    expect(inspect?.Mounts).toEqual([
      expect.objectContaining({ Type: "volume", Name: `${container}-models`, Destination: "/root/.ollama" }),
    ]);
    expect(inspect?.Config.Labels).toMatchObject({ "dev.agentos.ollama": "true" });
    // Not a sandbox: sandbox reconciliation (which removes unknown managed containers) never sees it.
    expect(inspect?.Config.Labels["dev.agentos.managed"]).toBeUndefined();
  });

  it("pulls a model into the container; the model outlives the container in the models volume", async () => {
    const pull = await client.ollama.pull("smollm2:135m");
    const events = await followPull(`${api.baseUrl}/api/ollama/pulls/${pull.id}/events`).done;
    expect(events.at(-1)?.pull).toMatchObject({ status: "succeeded", percent: 100 });
    expect((await client.ollama.models()).items.map((m) => m.name)).toContain("smollm2:135m");

    await docker("rm", "-f", container);
    expect((await client.ollama.status()).state).toBe("not_installed");
    await client.ollama.install();
    await statesUntil("ready");
    expect((await client.ollama.models()).items.map((m) => m.name)).toContain("smollm2:135m");
  });

  it("a new worker adopts the running container; a stopped one is reported, and install starts it", async () => {
    await worker.stop();
    worker = await startWorker(dataDir, env);
    expect(await client.ollama.status()).toMatchObject({ state: "ready", source: "managed", container });

    await docker("stop", "-t", "2", container);
    const stopped = await client.ollama.status();
    expect(stopped).toMatchObject({ state: "error", source: "managed", installable: true });
    expect(stopped.reason).toContain("is exited");
    expect(stopped.reason).toContain("POST /api/ollama/install");
    await client.ollama.install();
    await statesUntil("ready");
    expect((await client.ollama.models()).items.map((m) => m.name)).toContain("smollm2:135m");
  });

  it("an Ollama already answering on the default port is used as it is (detected); install leaves it be", async () => {
    const local = await startOllamaStandin();
    try {
      await worker.stop();
      worker = await startWorker(dataDir, { ...env, OLLAMA_CONTAINER: other, OLLAMA_DETECT_URL: local.url });
      const status = await client.ollama.status();
      expect(status).toMatchObject({
        state: "ready",
        source: "detected",
        baseUrl: local.url,
        container: null,
      });
      expect(await client.ollama.install()).toMatchObject({ state: "ready", source: "detected" });
      expect((await docker("ps", "-a", "--format", "{{.Names}}")).split("\n")).not.toContain(other);
    } finally {
      await local.close();
    }
  });

  it("an image the engine does not have goes through docker.pull, whose failure is the install's reason", async () => {
    await worker.stop();
    worker = await startWorker(dataDir, {
      ...env,
      OLLAMA_CONTAINER: other,
      OLLAMA_IMAGE: "agentos/ollama-absent:test",
    });
    expect((await client.ollama.status()).state).toBe("not_installed");
    await client.ollama.install();
    const { status } = await statesUntil("error");
    // No registry is reachable here, so the engine refuses the pull itself.
    expect(status.reason).toMatch(
      /^Could not pull agentos\/ollama-absent:test \(.+\)\. Check this worker's access/,
    );
    expect(status).toMatchObject({ state: "error", installable: true, image: "agentos/ollama-absent:test" });
    expect((await docker("ps", "-a", "--format", "{{.Names}}")).split("\n")).not.toContain(other);
  });

  it("a taken host port fails the install with what to change, leaving no half-made container", async () => {
    const taken: Server = createServer();
    const takenPort = await freePort();
    await new Promise<void>((resolve) => taken.listen(takenPort, "127.0.0.1", resolve));
    try {
      await worker.stop();
      worker = await startWorker(dataDir, {
        ...env,
        OLLAMA_CONTAINER: other,
        OLLAMA_MANAGED_PORT: String(takenPort),
      });
      expect((await client.ollama.status()).state).toBe("not_installed");
      await client.ollama.install();
      const { status } = await statesUntil("error");
      expect(status.reason).toContain(`Port ${takenPort} on 127.0.0.1 is taken`);
      expect(status.reason).toContain("OLLAMA_MANAGED_PORT");
      await until(
        async () => !(await docker("ps", "-a", "--format", "{{.Names}}")).split("\n").includes(other),
        "the failed container to be removed",
        10_000,
      );
    } finally {
      taken.close();
    }
  });
});
