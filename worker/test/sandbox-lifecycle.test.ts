import { randomBytes } from "node:crypto";
import type { Sandbox } from "@agentos/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ApiTarget, startHeadlessServer } from "../../test/harness/processes";
import {
  docker,
  policyOf,
  readExecStream,
  removeScope,
  startWorker,
  TEST_IMAGE,
  type WorkerProcess,
} from "./sandbox-harness";

// Sandboxes through the contract API of a headless server, which routes every container
// operation to the worker host (a real process on a real dockerd) that owns the sandbox.
describe("sandboxes through the contract API", () => {
  let worker: WorkerProcess;
  let server: ApiTarget;
  const api = (path: string, init: RequestInit = {}) => fetch(`${server.baseUrl}/api${path}`, init);
  const post = (path: string, body: unknown) =>
    api(path, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
  const create = async (policy: Record<string, unknown> = {}, env: Record<string, string> = {}) => {
    const response = await post("/sandboxes", { policy: policyOf(policy), env });
    expect(response.status, await response.clone().text()).toBe(201);
    return (await response.json()) as Sandbox;
  };
  const run = async (id: string, body: Record<string, unknown>) =>
    (await readExecStream(await post(`/sandboxes/${id}/exec`, body))).result;
  const sh = async (id: string, command: string) => run(id, { command });

  beforeAll(async () => {
    worker = await startWorker({ SANDBOX_PORT_START: "18300", SANDBOX_PORT_END: "18319" });
    server = await startHeadlessServer({ AGENTOS_DATA_DIR: worker.dataDir });
  });
  afterAll(async () => {
    await server?.stop();
    await worker?.stop();
    if (worker) await removeScope(worker.scope);
  });

  it("creates a running sandbox, lists it, runs commands with their exit codes and separate streams", async () => {
    const sandbox = await create({}, { GREETING: "hi from env" });
    expect(sandbox).toMatchObject({ state: "running", policy: { image: TEST_IMAGE, network: false } });
    expect(sandbox.containerId).toMatch(/^[0-9a-f]{64}$/);
    const listed = (await (await api("/sandboxes?limit=50")).json()) as { items: Sandbox[] };
    expect(listed.items.map((s) => s.id)).toContain(sandbox.id);

    const ok = await sh(sandbox.id, 'echo "$GREETING"; echo to-stderr >&2; pwd; id -u');
    expect(ok).toMatchObject({ exitCode: 0, timedOut: false, truncated: false, stderr: "to-stderr\n" });
    expect(ok.stdout).toBe("hi from env\n/workspace\n1000\n");
    expect((await sh(sandbox.id, "exit 7")).exitCode).toBe(7);
    const argv = await run(sandbox.id, { command: ["printf", "%s|", "a b", "$HOME"], env: { X: "1" } });
    expect(argv.stdout).toBe("a b|$HOME|");
    const fed = await run(sandbox.id, { command: "tr a-z A-Z", stdin: "shout\n" });
    expect(fed.stdout).toBe("SHOUT\n");
  });

  it("fills {{secret:NAME}} in the sandbox env from the vault at exec time, never storing or echoing the value", async () => {
    const value = `s3cr3t-${randomBytes(6).toString("hex")}`;
    expect((await post("/secrets", { name: "SANDBOX_TOKEN", value })).status).toBe(201);
    const sandbox = await create({}, { TOKEN: "{{secret:SANDBOX_TOKEN}}" });
    expect(JSON.stringify(sandbox)).not.toContain(value);
    const result = await sh(sandbox.id, 'printf %s "$TOKEN"');
    expect(result.stdout).toBe(value);
    const fetched = await (await api(`/sandboxes/${sandbox.id}`)).text();
    expect(fetched).not.toContain(value);
  });

  it("streams output as it is produced, before the command ends", async () => {
    const sandbox = await create();
    const response = await post(`/sandboxes/${sandbox.id}/exec`, {
      command: "echo first; sleep 1; echo second",
    });
    expect(response.headers.get("content-type")).toContain("application/x-ndjson");
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    const started = Date.now();
    let text = "";
    let firstChunkAt = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      text += value;
      if (!firstChunkAt && text.includes('"first\\n"')) firstChunkAt = Date.now() - started;
    }
    const ended = Date.now() - started;
    expect(firstChunkAt).toBeGreaterThan(0);
    expect(ended - firstChunkAt).toBeGreaterThan(700);
    expect(text.trim().split("\n").at(-1)).toContain('"type":"result"');
  });

  it("kills the whole process tree when the timeout elapses", async () => {
    const sandbox = await create();
    const started = Date.now();
    const result = await run(sandbox.id, {
      command: "sleep 300 & sleep 301; echo never",
      timeoutMs: 500,
    });
    expect(result.timedOut).toBe(true);
    expect(result.stdout).toBe("");
    expect(Date.now() - started).toBeLessThan(5000);
    const ps = await sh(sandbox.id, "ps -o args");
    expect(ps.stdout).not.toMatch(/sleep 30[01]/);
  });

  it("keeps at most outputLimitBytes per stream and says the output was truncated", async () => {
    const sandbox = await create();
    const result = await run(sandbox.id, {
      command: "head -c 200000 /dev/zero | tr '\\0' a; echo tail >&2",
      outputLimitBytes: 1000,
    });
    expect(result).toMatchObject({ exitCode: 0, truncated: true, stderr: "tail\n" });
    expect(result.stdout).toBe("a".repeat(1000));
  });

  it("moves files in and out byte for byte, lists directories, and hands files to the sandbox user", async () => {
    const sandbox = await create();
    const bytes = new Uint8Array(256 * 1024 + 3);
    bytes.set(randomBytes(bytes.length));
    for (let i = 0; i < 256; i++) bytes[i] = i;
    const path = "/workspace/data/nested/blob.bin";
    const put = await api(`/sandboxes/${sandbox.id}/files/content?path=${encodeURIComponent(path)}`, {
      method: "PUT",
      headers: { "content-type": "application/octet-stream" },
      body: bytes,
    });
    expect(put.status, await put.clone().text()).toBe(201);
    const got = await api(`/sandboxes/${sandbox.id}/files/content?path=${encodeURIComponent(path)}`);
    expect(got.status).toBe(200);
    expect(Buffer.from(await got.arrayBuffer()).equals(Buffer.from(bytes))).toBe(true);

    const listing = (await (
      await api(`/sandboxes/${sandbox.id}/files?path=${encodeURIComponent("/workspace/data/nested")}`)
    ).json()) as { items: Array<{ name: string; type: string; size: number; path: string }> };
    expect(listing.items).toEqual([
      expect.objectContaining({ name: "blob.bin", type: "file", size: bytes.length, path }),
    ]);
    const owner = await sh(sandbox.id, `stat -c '%u %s' ${path}; echo more >> ${path} && echo appended`);
    expect(owner.stdout).toBe(`1000 ${bytes.length}\nappended\n`);

    const missing = await api(`/sandboxes/${sandbox.id}/files/content?path=/workspace/nope.txt`);
    expect(missing.status).toBe(404);
    const relative = await api(`/sandboxes/${sandbox.id}/files?path=workspace`);
    expect(relative.status).toBe(400);
    expect(((await relative.json()) as { errors: Array<{ path: string }> }).errors[0]?.path).toBe(
      "query.path",
    );
  });

  it("applies the memory and pids limits and keeps the network off by default", async () => {
    const sandbox = await create({ memoryMb: 96, pidsLimit: 48 });
    const limits = await sh(
      sandbox.id,
      "cat /sys/fs/cgroup/memory/memory.limit_in_bytes 2>/dev/null || cat /sys/fs/cgroup/memory.max; cat /sys/fs/cgroup/pids/pids.max 2>/dev/null || cat /sys/fs/cgroup/pids.max",
    );
    expect(limits.stdout).toBe(`${96 * 1024 * 1024}\n48\n`);
    const interfaces = await sh(sandbox.id, "ls /sys/class/net");
    expect(interfaces.stdout.trim()).toBe("lo");
  });

  it("isolates sandboxes: no Docker socket, no capabilities, no route to another sandbox", async () => {
    const a = await create({ network: true });
    const b = await create({ network: true });
    const inside = await sh(
      a.id,
      "ls /var/run/docker.sock /run/docker.sock 2>&1; grep -E '^Cap(Eff|Prm|Bnd)' /proc/self/status",
    );
    expect(inside.stdout).toContain("No such file or directory");
    expect(inside.stdout).toMatch(/CapEff:\s+0000000000000000/);
    expect(inside.stdout).toMatch(/CapPrm:\s+0000000000000000/);
    expect(inside.stdout).toMatch(/CapBnd:\s+0000000000000000/);

    const serve = await sh(
      b.id,
      "mkdir -p www && echo secret > www/index.html && httpd -p 8080 -h /workspace/www",
    );
    expect(serve.exitCode).toBe(0);
    // busybox-static's wget crashes in a bare rootfs (static glibc resolver); nc speaks HTTP enough.
    const get = (ip: string) => `printf 'GET / HTTP/1.0\\r\\n\\r\\n' | nc -w 2 ${ip} 8080; echo "exit=$?"`;
    const self = await sh(b.id, get("127.0.0.1"));
    expect(self.stdout).toContain("secret");
    const ipOfB = await docker(
      "inspect",
      "-f",
      "{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}",
      b.containerId!,
    );
    expect(ipOfB).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    const probe = await sh(a.id, get(ipOfB));
    expect(probe.stdout).not.toContain("secret");
    expect(probe.stdout).toMatch(/exit=[1-9]/);
  });

  it("runs with a read-only root filesystem, writable /workspace and /tmp", async () => {
    const sandbox = await create({ readOnlyRootfs: true });
    const result = await sh(
      sandbox.id,
      "touch /etc/x 2>/dev/null || echo rootfs-ro; echo w > /workspace/w && echo ws-ok; echo t > /tmp/t && echo tmp-ok",
    );
    expect(result.stdout).toBe("rootfs-ro\nws-ok\ntmp-ok\n");
    const put = await api(`/sandboxes/${sandbox.id}/files/content?path=/workspace/up.txt`, {
      method: "PUT",
      body: "uploaded",
    });
    expect(put.status).toBe(201);
    expect((await sh(sandbox.id, "cat /workspace/up.txt")).stdout).toBe("uploaded");
  });

  it("stops and starts a sandbox keeping its files, starts it on exec, and deletes it", async () => {
    const sandbox = await create();
    await sh(sandbox.id, "echo kept > /workspace/keep.txt");
    const stopped = await post(`/sandboxes/${sandbox.id}/stop`, {});
    expect(((await stopped.json()) as Sandbox).state).toBe("stopped");
    expect(await docker("inspect", "-f", "{{.State.Running}}", sandbox.containerId!)).toBe("false");
    // Exec brings a stopped sandbox back.
    expect((await sh(sandbox.id, "cat /workspace/keep.txt")).stdout).toBe("kept\n");
    expect(((await (await api(`/sandboxes/${sandbox.id}`)).json()) as Sandbox).state).toBe("running");

    expect((await api(`/sandboxes/${sandbox.id}`, { method: "DELETE" })).status).toBe(204);
    expect(((await (await api(`/sandboxes/${sandbox.id}`)).json()) as Sandbox).state).toBe("removed");
    await expect(docker("inspect", sandbox.containerId!)).rejects.toThrow();
    const after = await post(`/sandboxes/${sandbox.id}/exec`, { command: "true" });
    expect(after.status).toBe(409);
    expect(after.headers.get("content-type")).toContain("application/problem+json");
  });

  it("validates every body and query, naming the bad field", async () => {
    const bad = await post("/sandboxes", { policy: { memoryMb: 1 } });
    expect(bad.status).toBe(400);
    const problem = (await bad.json()) as { errors: Array<{ path: string }> };
    expect(problem.errors.map((e) => e.path)).toContain("body.policy.memoryMb");

    const sandbox = await create();
    const empty = await post(`/sandboxes/${sandbox.id}/exec`, { command: [] });
    expect(empty.status).toBe(400);
    expect(((await empty.json()) as { errors: Array<{ path: string }> }).errors[0]?.path).toBe(
      "body.command",
    );
    const unknownImage = await post("/sandboxes", { policy: { image: "agentos/no-such-image:never" } });
    expect(unknownImage.status).toBe(400);
    expect(((await unknownImage.json()) as { errors: Array<{ path: string }> }).errors[0]?.path).toBe(
      "body.policy.image",
    );
    expect((await api("/sandboxes/sbx_00000000000000000000000000")).status).toBe(404);
  });
});
