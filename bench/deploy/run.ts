// Deployment figures: image sizes, studio container start → ready, and the studio container's
// memory (web + worker) idle after start and after 1 000 API requests. Needs dockerd and the stand-in
// base images (bash scripts/test-prereqs.sh). Run: pnpm exec tsx bench/deploy/run.ts [--runs 5]
import { randomBytes } from "node:crypto";
import { buildImage, docker, waitUntil } from "../../infra/src/testing";
import { freePort } from "../../test/harness/processes";
import { ADMIN, signIn } from "../../test/hosted/harness";

const runs = Number(process.argv[process.argv.indexOf("--runs") + 1] || 5);
const mb = (bytes: number) => `${(bytes / 1e6).toFixed(0)} MB`;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function startStudio(name: string, volume: string, port: number) {
  const started = performance.now();
  await docker(
    "run",
    "-d",
    "--name",
    name,
    "--read-only",
    "--tmpfs",
    "/tmp",
    "-p",
    `127.0.0.1:${port}:3000`,
    "-v",
    `${volume}:/data`,
    "-e",
    "AGENTOS_MODE=hosted",
    "-e",
    `AGENTOS_SECRET_KEY=${randomBytes(32).toString("base64")}`,
    "-e",
    `AGENTOS_PUBLIC_URL=http://127.0.0.1:${port}`,
    "-e",
    `AGENTOS_ADMIN_EMAIL=${ADMIN.email}`,
    "-e",
    `AGENTOS_ADMIN_PASSWORD=${ADMIN.password}`,
    "-e",
    "SANDBOX_POOL_SIZE=0",
    "-e",
    "LOG_LEVEL=warn",
    "agentos/studio:bench",
  );
  const base = `http://127.0.0.1:${port}`;
  await waitUntil(async () => (await fetch(`${base}/api/health`)).ok, "health", 60_000);
  const liveMs = performance.now() - started;
  await waitUntil(async () => (await fetch(`${base}/api/ready`)).ok, "ready", 60_000);
  return { base, liveMs, readyMs: performance.now() - started };
}

/** Resident memory of the container (cgroup, without page cache) and of each process in it. */
async function memoryOf(name: string) {
  const stats = await docker("stats", "--no-stream", "--format", "{{.MemUsage}}", name);
  const processes = await docker(
    "exec",
    name,
    "sh",
    "-c",
    'for p in /proc/[0-9]*; do n=$(tr "\\0" " " <"$p/cmdline" | cut -c1-60); r=$(grep VmRSS "$p/status" | tr -s " " | cut -d" " -f2); [ -n "$r" ] && echo "$r kB  $n"; done',
  );
  return { stats, processes };
}

const targets = ["studio", "web", "worker", "server"] as const;
console.log("## images");
for (const target of targets) {
  const built = await buildImage(target, `agentos/${target}:bench`);
  console.log(
    `${target.padEnd(7)} ${mb(built.bytes).padStart(7)}  (build ${built.seconds.toFixed(0)} s with a warm cache)`,
  );
}
console.log(
  `base    ${mb(Number(await docker("image", "inspect", "--format", "{{.Size}}", "node:24-bookworm-slim"))).padStart(7)}  (node:24-bookworm-slim)`,
);

console.log(
  `\n## studio container: docker run → /api/health, → /api/ready (${runs} runs, fresh volume each)`,
);
const live: number[] = [];
const ready: number[] = [];
for (let i = 0; i < runs; i++) {
  const name = `agentos-bench-${randomBytes(3).toString("hex")}`;
  try {
    const started = await startStudio(name, name, await freePort());
    ready.push(started.readyMs);
    live.push(started.liveMs);
  } finally {
    await docker("rm", "-f", name).catch(() => "");
    await docker("volume", "rm", "-f", name).catch(() => "");
  }
}
console.log(
  `ready: median ${median(ready).toFixed(0)} ms, min ${Math.min(...ready).toFixed(0)} ms, max ${Math.max(...ready).toFixed(0)} ms`,
);

console.log("\n## studio container memory (web + worker + supervisor)");
const name = `agentos-bench-${randomBytes(3).toString("hex")}`;
try {
  const { base } = await startStudio(name, name, await freePort());
  await new Promise((r) => setTimeout(r, 10_000));
  const idle = await memoryOf(name);
  console.log(`idle after start: ${idle.stats}\n${idle.processes}`);
  const admin = await signIn(base, ADMIN);
  const { token } = await admin.json<{ token: string }>("/api/tokens", {
    method: "POST",
    json: { name: "bench", scopes: ["read", "write", "run", "admin"] },
  });
  const headers = { authorization: `Bearer ${token}`, "content-type": "application/json" };
  const paths = ["/api/agents", "/api/runs", "/api/health", "/api/stats", "/api/tools"];
  let sent = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: 10 }, async (_, worker) => {
      for (let i = worker; i < 1000; i += 10) {
        if (i % 10 === 0) {
          const agent = (await (
            await fetch(`${base}/api/agents`, {
              method: "POST",
              headers,
              body: JSON.stringify({
                name: `bench-${i}`,
                model: { providerId: "llm_00000000000000000000000000", model: "m" },
              }),
            })
          ).json()) as { id?: string };
          if (agent.id) await fetch(`${base}/api/agents/${agent.id}`, { headers });
        } else {
          await (await fetch(`${base}${paths[i % paths.length]}`, { headers })).arrayBuffer();
        }
        sent++;
      }
    }),
  );
  console.log(
    `${sent} API requests in ${((performance.now() - started) / 1000).toFixed(1)} s (10 at a time)`,
  );
  await new Promise((r) => setTimeout(r, 10_000));
  const after = await memoryOf(name);
  console.log(`after 1 000 requests (+10 s): ${after.stats}\n${after.processes}`);
} finally {
  await docker("rm", "-f", name).catch(() => "");
  await docker("volume", "rm", "-f", name).catch(() => "");
}
