// MCP benchmark: tools/call round trips of list_agents against the same listing over the REST API
// (GET /api/agents), and sessions per second (initialize + one call + close), on the headless
// server and on `next start` when web is built. It prints figures and always exits 0: a benchmark
// informs, it does not gate CI.
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { seedAgents } from "../api/seed";
import { loadMcpBenchConfig, type McpBenchConfig } from "./config";
import { type Latency, ms, timeSequential } from "./latency";
import { killAll, type StudioProcess, startStudio } from "./server";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const TSX_CLI = fileURLToPath(import.meta.resolve("tsx/cli"));
const NEXT_CLI = join(ROOT, "web/node_modules/next/dist/bin/next");
const LIST_LIMIT = 20;
const SESSION_CONCURRENCY = [1, 8];

async function openSession(baseUrl: string) {
  const client = new Client({ name: "agentos-bench", version: "1.0.0" });
  const transport = new StreamableHTTPClientTransport(new URL("/mcp", baseUrl));
  await client.connect(transport);
  return {
    client,
    close: async () => {
      await transport.terminateSession();
      await client.close();
    },
  };
}

async function listAgentsOverMcp(client: Client): Promise<void> {
  const result = await client.callTool({ name: "list_agents", arguments: { limit: LIST_LIMIT } });
  if (result.isError) throw new Error(`list_agents failed: ${JSON.stringify(result.content)}`);
}

async function listAgentsOverRest(baseUrl: string): Promise<void> {
  const response = await fetch(`${baseUrl}/api/agents?limit=${LIST_LIMIT}`);
  if (!response.ok) throw new Error(`GET /api/agents → ${response.status}`);
  await response.json();
}

/** Opens, uses and closes sessions from `concurrency` loops for `seconds`; sessions per second. */
async function sessionsPerSecond(baseUrl: string, concurrency: number, seconds: number) {
  const deadline = performance.now() + seconds * 1000;
  const started = performance.now();
  let sessions = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < deadline) {
        const session = await openSession(baseUrl);
        await listAgentsOverMcp(session.client);
        await session.close();
        sessions++;
      }
    }),
  );
  return sessions / ((performance.now() - started) / 1000);
}

interface Figures {
  target: string;
  rest: Latency;
  mcp: Latency;
  sessionRates: Array<{ concurrency: number; perSecond: number }>;
}

async function measure(studio: StudioProcess, config: McpBenchConfig): Promise<Figures> {
  const warmup = Math.ceil(config.BENCH_MCP_CALLS / 10);
  console.log(`${studio.name}: REST GET /api/agents?limit=${LIST_LIMIT} × ${config.BENCH_MCP_CALLS}`);
  const rest = await timeSequential(config.BENCH_MCP_CALLS, warmup, () => listAgentsOverRest(studio.baseUrl));
  console.log(`${studio.name}: MCP tools/call list_agents × ${config.BENCH_MCP_CALLS} (one session)`);
  const session = await openSession(studio.baseUrl);
  const mcp = await timeSequential(config.BENCH_MCP_CALLS, warmup, () => listAgentsOverMcp(session.client));
  await session.close();
  const sessionRates = [];
  for (const concurrency of SESSION_CONCURRENCY) {
    console.log(
      `${studio.name}: sessions for ${config.BENCH_MCP_SESSION_SECONDS} s, ${concurrency} at a time`,
    );
    const perSecond = await sessionsPerSecond(studio.baseUrl, concurrency, config.BENCH_MCP_SESSION_SECONDS);
    sessionRates.push({ concurrency, perSecond });
  }
  return { target: studio.name, rest, mcp, sessionRates };
}

function report(figures: Figures[]): void {
  console.log("\nlist agents: MCP tools/call vs REST, sequential round trips on loopback");
  console.log("target            REST p50    REST p99    MCP p50     MCP p99     p50 ratio  p99 ratio");
  for (const f of figures) {
    console.log(
      [
        f.target.padEnd(16),
        ms(f.rest.p50).padStart(10),
        ms(f.rest.p99).padStart(11),
        ms(f.mcp.p50).padStart(11),
        ms(f.mcp.p99).padStart(11),
        `${(f.mcp.p50 / f.rest.p50).toFixed(2)}×`.padStart(10),
        `${(f.mcp.p99 / f.rest.p99).toFixed(2)}×`.padStart(10),
      ].join(" "),
    );
  }
  console.log("\nsessions/s (initialize + initialized + GET stream, one tools/call, DELETE)");
  for (const f of figures) {
    const rates = f.sessionRates.map((r) => `${r.perSecond.toFixed(1)}/s at ${r.concurrency} concurrent`);
    console.log(`${f.target.padEnd(16)} ${rates.join(", ")}`);
  }
}

async function main(): Promise<void> {
  const config = loadMcpBenchConfig();
  const dataDir = mkdtempSync(join(tmpdir(), "agentos-bench-mcp-"));
  const env = {
    ...process.env,
    NODE_ENV: "production",
    AGENTOS_MODE: "local",
    AGENTOS_DATA_DIR: dataDir,
    HOST: "127.0.0.1",
    SHUTDOWN_TIMEOUT_MS: "1000",
  };
  const figures: Figures[] = [];
  try {
    const headless = await startStudio("headless server", () => [TSX_CLI, "packages/server/src/main.ts"], {
      cwd: ROOT,
      env,
      readyTimeoutMs: 60_000,
    });
    try {
      await seedAgents(headless.baseUrl, config.BENCH_MCP_SEEDED_AGENTS);
      figures.push(await measure(headless, config));
    } finally {
      await headless.stop();
    }
    if (existsSync(join(ROOT, "web/.next/BUILD_ID"))) {
      const web = await startStudio(
        "next start",
        (port) => [NEXT_CLI, "start", "-p", String(port), "-H", "127.0.0.1"],
        {
          cwd: join(ROOT, "web"),
          env,
          readyTimeoutMs: 120_000,
        },
      );
      try {
        figures.push(await measure(web, config));
      } finally {
        await web.stop();
      }
    } else {
      console.log("next start: skipped (web is not built; run `pnpm web:build`)");
    }
  } catch (error) {
    console.error(`bench/mcp: stopped early: ${(error as Error).message}`);
  } finally {
    killAll();
    rmSync(dataDir, { recursive: true, force: true });
  }
  if (figures.length > 0) report(figures);
}

process.once("exit", killAll);
await main();
process.exit(0);
