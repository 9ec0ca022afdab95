import { join } from "node:path";
import { LOCAL_WORKSPACE_ID, newId, SandboxPolicy } from "@agentos/core";
import {
  createRepositories,
  createSecretCipher,
  type Database,
  loadOrCreateSecretKey,
  migrate,
  openDatabase,
} from "@agentos/db";
import type { ExecChunk, SandboxProvider } from "@agentos/runtime/sandbox";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshDataDir } from "../../test/harness/processes";
import { SandboxEnv, sandboxSettingsOf } from "../src/sandboxes/config";
import { connectDocker } from "../src/sandboxes/docker";
import { DockerSandboxHost } from "../src/sandboxes/sandbox-host";
import { sandboxScopesOf } from "../src/sandboxes/scope";
import { docker, removeScope, scopeContainers, TEST_IMAGE, until } from "./sandbox-harness";

// The run engine's sandbox tool calls the worker's provider in-process: sandboxForAgent, then exec.
describe("the worker's SandboxProvider, in process", () => {
  let db: Database;
  let host: DockerSandboxHost;
  let scope: string;
  const workspaceId = LOCAL_WORKSPACE_ID;
  const agentId = newId("agent");
  const policy = SandboxPolicy.parse({
    enabled: true,
    image: TEST_IMAGE,
    memoryMb: 64,
    pidsLimit: 64,
    cpus: 0.5,
  });

  beforeAll(async () => {
    const dataDir = freshDataDir();
    const secretKey = loadOrCreateSecretKey(join(dataDir, "secret.key"));
    db = await openDatabase({ url: `file:${join(dataDir, "studio.db")}` });
    await migrate(db);
    const repos = createRepositories(db, createSecretCipher(secretKey));
    const scopes = await sandboxScopesOf(repos.studioMeta, [secretKey]);
    scope = scopes.scope;
    host = new DockerSandboxHost({
      docker: connectDocker(undefined),
      repos,
      workerId: newId("worker"),
      ...scopes,
      settings: sandboxSettingsOf(
        SandboxEnv.parse({ SANDBOX_POOL_SIZE: "1", SANDBOX_PORT_START: "18600", SANDBOX_PORT_END: "18619" }),
      ),
      workerStaleMs: 30_000,
      isDockerLocal: true,
      log: () => {},
    });
    expect(await host.init()).not.toBeNull();
  });
  afterAll(async () => {
    await host?.close();
    await removeScope(scope);
    db?.$client.close();
  });

  it("gives an agent one sandbox and runs code in it, streaming output", async () => {
    const provider: SandboxProvider = host;
    const { sandboxId } = await provider.sandboxForAgent(workspaceId, agentId, policy);
    expect((await provider.sandboxForAgent(workspaceId, agentId, policy)).sandboxId).toBe(sandboxId);

    const chunks: ExecChunk[] = [];
    const result = await provider.exec(
      workspaceId,
      sandboxId,
      { command: "echo out; echo err >&2; exit 4", timeoutMs: 10_000, outputLimitBytes: 1024 },
      { onChunk: (chunk) => chunks.push(chunk) },
    );
    expect(result).toMatchObject({ exitCode: 4, stdout: "out\n", stderr: "err\n", timedOut: false });
    expect(chunks).toEqual(
      expect.arrayContaining([
        { stream: "stdout", text: "out\n" },
        { stream: "stderr", text: "err\n" },
      ]),
    );

    await provider.writeFile(
      workspaceId,
      sandboxId,
      "/workspace/main.sh",
      new TextEncoder().encode("echo ran\n"),
    );
    expect((await provider.listFiles(workspaceId, sandboxId, "/workspace")).map((e) => e.name)).toContain(
      "main.sh",
    );
    const ran = await provider.exec(workspaceId, sandboxId, {
      command: ["sh", "main.sh"],
      timeoutMs: 10_000,
      outputLimitBytes: 1024,
    });
    expect(ran.stdout).toBe("ran\n");
    expect(
      new TextDecoder().decode(await provider.readFile(workspaceId, sandboxId, "/workspace/main.sh")),
    ).toBe("echo ran\n");
  });

  it("re-creates the agent's container when its policy changes, keeping its files", async () => {
    const { sandboxId } = await host.sandboxForAgent(workspaceId, agentId, policy);
    await host.exec(workspaceId, sandboxId, {
      command: "echo kept > /workspace/kept.txt",
      timeoutMs: 10_000,
      outputLimitBytes: 1024,
    });
    const before = (await host.get(workspaceId, sandboxId)).containerId;
    const bigger = { ...policy, memoryMb: 128 };
    expect((await host.sandboxForAgent(workspaceId, agentId, bigger)).sandboxId).toBe(sandboxId);
    const after = await host.get(workspaceId, sandboxId);
    expect(after.containerId).not.toBe(before);
    expect(after.policy.memoryMb).toBe(128);
    const result = await host.exec(workspaceId, sandboxId, {
      command:
        "cat /workspace/kept.txt; cat /sys/fs/cgroup/memory/memory.limit_in_bytes 2>/dev/null || cat /sys/fs/cgroup/memory.max",
      timeoutMs: 10_000,
      outputLimitBytes: 1024,
    });
    expect(result.stdout).toBe(`kept\n${128 * 1024 * 1024}\n`);
  });

  it("kills the command when the caller aborts", async () => {
    const { sandboxId } = await host.sandboxForAgent(workspaceId, agentId, { ...policy, memoryMb: 128 });
    const aborter = new AbortController();
    const running = host.exec(
      workspaceId,
      sandboxId,
      { command: "echo started; sleep 120", timeoutMs: 600_000, outputLimitBytes: 1024 },
      { signal: aborter.signal, onChunk: () => aborter.abort(new Error("run cancelled")) },
    );
    await expect(running).rejects.toThrow("run cancelled");
    const ps = await host.exec(workspaceId, sandboxId, {
      command: "ps -o args",
      timeoutMs: 5000,
      outputLimitBytes: 4096,
    });
    expect(ps.stdout).not.toContain("sleep 120");
  });

  it("hands out warm containers from the pool", async () => {
    await host.pool.settled();
    const spare = [...host.pool.readyIds()];
    expect(spare.length).toBeGreaterThan(0);
    const started = performance.now();
    const sandbox = await host.create(workspaceId, { agentId: null, runId: null, policy, env: { A: "1" } });
    const elapsed = performance.now() - started;
    expect(spare).toContain(sandbox.containerId);
    expect(elapsed).toBeLessThan(1000);
    expect(
      (
        await host.exec(workspaceId, sandbox.id, {
          command: "echo $A",
          timeoutMs: 5000,
          outputLimitBytes: 64,
        })
      ).stdout,
    ).toBe("1\n");
    await until(
      async () =>
        (await docker("inspect", "-f", "{{.Name}}", sandbox.containerId!)) === `/agentos-${sandbox.id}`,
      "the warm container renamed after its sandbox",
    );
    expect(await scopeContainers(scope)).toContain(sandbox.containerId);
  });
});
