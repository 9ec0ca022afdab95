// API throughput benchmark: GET/POST /api/agents on the headless server and on `next start`, each
// beside a bare Hono + libSQL handler on the same database in the same run. It prints figures and
// always exits 0: a benchmark informs, it does not gate CI.
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type BenchConfig, loadBenchConfig } from "./config";
import { type Endpoint, emptySample, figuresOf, measureRound, warmUp } from "./load";
import { BARE_TARGET, formatTable, type Measurement, ratioToBare } from "./report";
import { requestJson, seedAgents } from "./seed";
import { freePort, killAllServerProcesses, type ServerProcess, startServerProcess } from "./server-process";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const TSX_CLI = fileURLToPath(import.meta.resolve("tsx/cli"));
const NEXT_CLI = join(ROOT, "web/node_modules/next/dist/bin/next");
const NEXT_BUILD_ID = join(ROOT, "web/.next/BUILD_ID");
const SEEDED_AGENTS = 100;
const HEADLESS_TARGET = "headless server";
const NEXT_TARGET = "next start";
const TARGET_RATIO = 0.8;
const READY_PROBE = "/api/agents?limit=1";

interface Target {
  name: string;
  url: string;
}

/** Warns when the bare handler's page differs from the contract API's: the comparison would be unfair. */
async function comparePages(bare: Target, other: Target, path: string): Promise<void> {
  const [expected, actual] = await Promise.all([
    requestJson(`${other.url}${path}`),
    requestJson(`${bare.url}${path}`),
  ]);
  if (JSON.stringify(expected) !== JSON.stringify(actual)) {
    console.warn(`warning: ${bare.name} and ${other.name} return different bodies for GET ${path}`);
  }
}

/**
 * Warms every target up, then measures them in rounds, taking turns in a rotating order: on a
 * shared machine, load from elsewhere then weighs on every target alike instead of on one.
 */
async function measureTargets(
  config: BenchConfig,
  targets: Target[],
  endpoint: Endpoint,
): Promise<Measurement[]> {
  const load = (target: Target, seconds: number) => ({
    baseUrl: target.url,
    endpoint,
    connections: config.connections,
    seconds,
  });
  const samples = new Map(targets.map((t) => [t.name, emptySample()]));
  const failures = new Map<string, string>();
  const attempt = async (target: Target, action: () => Promise<void>) => {
    if (failures.has(target.name)) return;
    await action().catch((error: Error) => failures.set(target.name, error.message));
  };
  console.log(`${endpoint.label}: warming up`);
  for (const target of targets) await attempt(target, () => warmUp(load(target, config.warmupSeconds)));
  for (let round = 0; round < config.rounds; round++) {
    const order = targets.map((_, i) => targets[(i + round) % targets.length] as Target);
    console.log(
      `${endpoint.label}: round ${round + 1}/${config.rounds} (${order.map((t) => t.name).join(", ")})`,
    );
    for (const target of order) {
      const sample = samples.get(target.name) ?? emptySample();
      await attempt(target, () => measureRound(load(target, config.measureSeconds / config.rounds), sample));
    }
  }
  return targets.map((target) => {
    const error = failures.get(target.name);
    const sample = samples.get(target.name);
    return error || !sample
      ? { target: target.name, endpoint: endpoint.label, figures: null, error: error ?? "not measured" }
      : { target: target.name, endpoint: endpoint.label, figures: figuresOf(sample) };
  });
}

function timeBudgetMs(config: BenchConfig, runs: number): number {
  const startup = 60_000 + 120_000; // headless + bare, then a cold `next start`
  const perRun = config.warmupSeconds + config.measureSeconds + 2 * config.rounds + 10;
  return startup + runs * perRun * 1000;
}

async function main(config: BenchConfig, dataDir: string, started: ServerProcess[]): Promise<Measurement[]> {
  const env = {
    ...process.env,
    NODE_ENV: "production",
    AGENTOS_MODE: "local",
    AGENTOS_DATA_DIR: dataDir,
    DATABASE_URL: `file:${join(dataDir, "studio.db")}`,
    HOST: "127.0.0.1",
    SHUTDOWN_TIMEOUT_MS: "1000",
  };
  try {
    const start = async (name: string, command: string, argsFor: (port: number) => string[], cwd = ROOT) => {
      const port = await freePort();
      const url = `http://127.0.0.1:${port}`;
      const server = await startServerProcess({
        name,
        command,
        args: argsFor(port),
        cwd,
        env: { ...env, PORT: String(port) },
        readyUrl: `${url}${READY_PROBE}`,
        readyTimeoutMs: name === NEXT_TARGET ? 120_000 : 60_000,
      });
      started.push(server);
      return { name, url };
    };

    const headless = await start(HEADLESS_TARGET, process.execPath, () => [
      TSX_CLI,
      "packages/server/src/main.ts",
    ]);
    const providerId = await seedAgents(headless.url, SEEDED_AGENTS);
    console.log(`seeded 1 provider and ${SEEDED_AGENTS} agents through ${headless.url}`);
    const bare = await start(BARE_TARGET, process.execPath, () => [TSX_CLI, "bench/api/bare-server.ts"]);
    const targets: Target[] = [bare, headless];

    if (existsSync(NEXT_BUILD_ID)) {
      try {
        targets.push(
          await start(
            NEXT_TARGET,
            process.execPath,
            (port) => [NEXT_CLI, "start", "-p", String(port), "-H", "127.0.0.1"],
            join(ROOT, "web"),
          ),
        );
      } catch (error) {
        console.error(`next start rows skipped: it did not start: ${(error as Error).message}`);
      }
    } else {
      console.log(
        `next start rows skipped: ${NEXT_BUILD_ID} is absent; build the web app first (pnpm web:build).`,
      );
    }
    for (const target of targets.slice(1)) {
      await comparePages(bare, target, "/api/agents?limit=100").catch((error: Error) =>
        console.warn(`warning: could not compare ${target.name} with ${bare.name}: ${error.message}`),
      );
    }

    let posted = 0;
    const endpoints: Endpoint[] = [
      // All GETs run first, so each lists exactly the seeded agents.
      { label: `GET /api/agents (${SEEDED_AGENTS} agents)`, method: "GET", path: "/api/agents?limit=100" },
      {
        label: "POST /api/agents",
        method: "POST",
        path: "/api/agents",
        // Names are unique per workspace, so every request names a new agent.
        body: () => JSON.stringify({ name: `load-${++posted}`, model: { providerId, model: "m" } }),
      },
    ];
    const measurements: Measurement[] = [];
    for (const endpoint of endpoints) measurements.push(...(await measureTargets(config, targets, endpoint)));
    return measurements;
  } finally {
    await Promise.all(started.map((s) => s.stop()));
  }
}

function printReport(measurements: Measurement[]): void {
  console.log(`\n${formatTable(measurements)}\n`);
  for (const m of measurements) {
    if (m.error) console.log(`error: ${m.target}, ${m.endpoint}: ${m.error}`);
    const codes = Object.entries(m.figures?.statusCodes ?? {}).filter(([code]) => !code.startsWith("2"));
    if (codes.length > 0 || (m.figures?.errors ?? 0) > 0) {
      const byCode = codes.map(([code, count]) => `${count}× ${code}`).join(", ");
      console.log(
        `note: ${m.target}, ${m.endpoint}: ${byCode || "no non-2xx"}; ${m.figures?.errors ?? 0} connection errors`,
      );
    }
  }
  for (const m of measurements.filter((m) => m.target === HEADLESS_TARGET)) {
    const ratio = ratioToBare(m, measurements);
    if (ratio === null) continue;
    const verdict = ratio >= TARGET_RATIO ? "meets" : "below";
    console.log(
      `${m.target}, ${m.endpoint}: ${ratio.toFixed(2)}× bare, ${verdict} the ≥ ${TARGET_RATIO}× target`,
    );
  }
}

const started: ServerProcess[] = [];
const dataDir = mkdtempSync(join(tmpdir(), "agentos-bench-"));
const abort = (reason: string) => {
  console.error(`bench: ${reason}; stopping the servers`);
  process.exit(0);
};
// Runs on every way out (done, failed, aborted): no server or database outlives the benchmark.
process.on("exit", () => {
  killAllServerProcesses();
  rmSync(dataDir, { recursive: true, force: true });
});
process.on("SIGINT", () => abort("interrupted"));
process.on("SIGTERM", () => abort("terminated"));

try {
  const config = loadBenchConfig();
  const budgetMs = timeBudgetMs(config, 6);
  setTimeout(() => abort(`exceeded the time budget of ${budgetMs / 1000} s`), budgetMs).unref();
  console.log(
    `API benchmark: ${config.connections} connections; per row ${config.warmupSeconds} s warm-up, then ${config.measureSeconds} s measured in ${config.rounds} rounds that alternate the targets; node ${process.version}, ${availableParallelism()} CPUs`,
  );
  printReport(await main(config, dataDir, started));
} catch (error) {
  console.error(`bench: failed: ${(error as Error).message}`);
}
process.exit(0);
