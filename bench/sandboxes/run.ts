// Sandbox benchmark: prints figures, never fails (`pnpm -F @agentos/bench sandboxes`).
//
//   create + start   POST /internal/…/sandboxes on a worker without a warm pool  vs  `docker run -d`
//   warm acquire     the same POST on a worker whose pool has a spare of the shape
//   exec round trip  POST …/exec of `true` (NDJSON answer read to the end)      vs  `docker exec`
//   proxy            autocannon through the worker's domain proxy (Host header)  vs  the published port
//
// Targets: warm acquire p50 < 50 ms; exec ≤ 1.2× docker exec; proxy ≥ 0.8× direct req/s.
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { createServer as createNetServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { LOCAL_WORKSPACE_ID } from "@agentos/core";
import autocannon from "autocannon";

const REPO_ROOT = resolve(import.meta.dirname, "../..");
const IMAGE = process.env.SANDBOX_BENCH_IMAGE ?? "agentos/sandbox-busybox:test";
const ROUNDS = Number(process.env.SANDBOX_BENCH_ROUNDS ?? 15);
const PROXY_SECONDS = Number(process.env.SANDBOX_BENCH_SECONDS ?? 5);
const run = promisify(execFile);
const tsx = createRequire(import.meta.url).resolve("tsx/cli");

const POLICY = { image: IMAGE, memoryMb: 64, pidsLimit: 64, cpus: 0.5, network: true };

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}
const ms = (n: number) => `${n.toFixed(1)} ms`;
const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}×`;

async function timed(work: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await work();
  return performance.now() - started;
}

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createNetServer();
    server.once("error", fail);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => done(typeof address === "object" && address ? address.port : 0));
    });
  });
}

interface BenchWorker {
  /** Sandboxes created here, deleted at the end. */
  created: string[];
  base: string;
  proxy: string;
  token: string;
  child: ChildProcess;
  call(path: string, init?: RequestInit): Promise<Response>;
  stop(): Promise<void>;
}

async function startWorker(env: Record<string, string>): Promise<BenchWorker> {
  const dataDir = mkdtempSync(join(tmpdir(), "agentos-bench-sbx-"));
  const port = await freePort();
  const proxyPort = await freePort();
  const child = spawn(process.execPath, [tsx, join(REPO_ROOT, "worker/src/main.ts")], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      NODE_ENV: "production",
      AGENTOS_DATA_DIR: dataDir,
      WORKER_PORT: String(port),
      WORKER_PROXY_PORT: String(proxyPort),
      ...env,
    },
    stdio: ["ignore", "ignore", "inherit"],
    detached: true,
  });
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  while (!(await fetch(`${base}/health`).catch(() => null))?.ok) {
    if (Date.now() > deadline || child.exitCode !== null) throw new Error("the worker did not start");
    await new Promise((r) => setTimeout(r, 100));
  }
  const token = readFileSync(join(dataDir, "worker.token"), "utf8").trim();
  const exited = new Promise<void>((done) => child.once("exit", () => done()));
  return {
    created: [],
    base,
    proxy: `http://127.0.0.1:${proxyPort}`,
    token,
    child,
    call: (path, init = {}) =>
      fetch(`${base}/internal/workspaces/${LOCAL_WORKSPACE_ID}${path}`, {
        ...init,
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json", ...init.headers },
      }),
    async stop() {
      if (child.exitCode === null && child.pid) process.kill(-child.pid, "SIGTERM");
      await exited;
    },
  };
}

async function createSandbox(worker: BenchWorker): Promise<{ id: string; containerId: string }> {
  const response = await worker.call("/sandboxes", {
    method: "POST",
    body: JSON.stringify({ policy: POLICY }),
  });
  if (response.status !== 201) throw new Error(`create: ${response.status} ${await response.text()}`);
  const sandbox = (await response.json()) as { id: string; containerId: string };
  worker.created.push(sandbox.id);
  return sandbox;
}

async function execTrue(worker: BenchWorker, id: string): Promise<void> {
  const response = await worker.call(`/sandboxes/${id}/exec`, {
    method: "POST",
    body: JSON.stringify({ command: ["true"] }),
  });
  const text = await response.text();
  if (!text.includes('"exitCode":0')) throw new Error(`exec: ${text}`);
}

async function load(url: string, host: string | undefined, connections: number) {
  const result = await autocannon({
    url,
    connections,
    duration: PROXY_SECONDS,
    headers: host ? { host } : {},
  });
  return { rps: result.requests.average, p99: result.latency.p99, errors: result.errors + result.non2xx };
}

async function main(): Promise<void> {
  await run("docker", ["image", "inspect", IMAGE]).catch(() => {
    throw new Error(`image ${IMAGE} is missing: run scripts/test-prereqs.sh first`);
  });
  const removeLater: string[] = [];
  const cold = await startWorker({
    SANDBOX_POOL_SIZE: "0",
    SANDBOX_PORT_START: "18700",
    SANDBOX_PORT_END: "18749",
  });
  const warm = await startWorker({
    SANDBOX_POOL_SIZE: "2",
    SANDBOX_PORT_START: "18750",
    SANDBOX_PORT_END: "18799",
  });
  const lines: string[] = [];
  try {
    // ── create + start ────────────────────────────────────────────────────────────────────
    await createSandbox(cold); // first call pays for module loading and the network check
    const ours: number[] = [];
    const dockerRun: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      ours.push(await timed(() => createSandbox(cold)));
      dockerRun.push(
        await timed(async () => {
          const { stdout } = await run("docker", [
            "run",
            "-d",
            "--label",
            "dev.agentos.bench=1",
            "--memory",
            "64m",
            "--pids-limit",
            "64",
            "--cpus",
            "0.5",
            IMAGE,
            "sleep",
            "2147483647",
          ]);
          removeLater.push(stdout.trim());
        }),
      );
    }
    lines.push(
      `create+start p50: sandbox ${ms(percentile(ours, 50))} vs docker run ${ms(percentile(dockerRun, 50))} (${ratio(percentile(ours, 50), percentile(dockerRun, 50))})`,
    );

    // ── warm acquire ──────────────────────────────────────────────────────────────────────
    await createSandbox(warm); // teaches the pool the shape
    const acquire: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      // Give the pool time to refill behind the previous acquisition, as between real requests.
      await new Promise((r) => setTimeout(r, 1200));
      acquire.push(await timed(() => createSandbox(warm)));
    }
    lines.push(
      `warm-pool acquire p50: ${ms(percentile(acquire, 50))} (p90 ${ms(percentile(acquire, 90))}; target < 50 ms)`,
    );

    // ── exec round trip ───────────────────────────────────────────────────────────────────
    const target = await createSandbox(cold);
    for (let i = 0; i < 3; i++) await execTrue(cold, target.id);
    const execOurs: number[] = [];
    const execCli: number[] = [];
    for (let i = 0; i < ROUNDS * 2; i++) {
      execOurs.push(await timed(() => execTrue(cold, target.id)));
      execCli.push(await timed(() => run("docker", ["exec", target.containerId, "true"])));
    }
    lines.push(
      `exec round trip p50: sandbox API ${ms(percentile(execOurs, 50))} vs docker exec ${ms(percentile(execCli, 50))} (${ratio(percentile(execOurs, 50), percentile(execCli, 50))}; target ≤ 1.2×)`,
    );

    // ── proxy ─────────────────────────────────────────────────────────────────────────────
    const site = await createSandbox(cold);
    const bound = await cold.call(`/sandboxes/${site.id}/site-bindings`, {
      method: "POST",
      body: JSON.stringify({ host: "bench.example.test", containerPort: 8080 }),
    });
    const { hostPort } = (await bound.json()) as { hostPort: number };
    await cold.call(`/sandboxes/${site.id}/exec`, {
      method: "POST",
      body: JSON.stringify({
        command:
          "mkdir -p www && head -c 1024 /dev/zero | tr '\\0' x > www/index.html && httpd -p 8080 -h /workspace/www",
      }),
    });
    for (const connections of [8, 32]) {
      const direct = await load(`http://127.0.0.1:${hostPort}/`, undefined, connections);
      const proxied = await load(`${cold.proxy}/`, "bench.example.test", connections);
      lines.push(
        `proxy (busybox httpd, 1 KiB page, ${connections} connections): ${proxied.rps.toFixed(0)} req/s p99 ${ms(proxied.p99)} vs direct ${direct.rps.toFixed(0)} req/s p99 ${ms(direct.p99)} (${ratio(proxied.rps, direct.rps)}; target ≥ 0.8×; errors ${proxied.errors}/${direct.errors})`,
      );
    }
  } catch (error) {
    lines.push(`benchmark stopped early: ${(error as Error).message}`);
  } finally {
    for (const worker of [cold, warm]) {
      for (const id of worker.created)
        await worker.call(`/sandboxes/${id}`, { method: "DELETE" }).catch(() => {});
      await worker.stop();
    }
    if (removeLater.length > 0) await run("docker", ["rm", "-f", ...removeLater]).catch(() => {});
  }
  console.log(["", "Sandboxes", "---------", ...lines, ""].join("\n"));
}

main().catch((error: unknown) => {
  console.log(`sandbox benchmark could not run: ${(error as Error).message}`);
});
