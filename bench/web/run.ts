// Studio UI figures: first-load JS per route of the production build (gzip), and the time to first
// byte of the dashboard with 10 000 runs in the database. Prints figures; never fails.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { openStudio, parseEnv, StudioEnv } from "@agentos/api/node";
import { createClient } from "@agentos/client";
import { LOCAL_WORKSPACE_ID, newId, type RunStatus } from "@agentos/core";
import { schema } from "@agentos/db";
import { freshDataDir, REPO_ROOT, startWeb } from "../../test/harness/processes";

const WEB = join(REPO_ROOT, "web");
const BUDGET_KB = 200;
const RUNS = 10_000;
const REQUESTS = 15;

interface RouteStats {
  route: string;
  firstLoadUncompressedJsBytes: number;
  firstLoadChunkPaths: string[];
}

/** First-load JS of each route, from Next's build diagnostics, gzip-compressed as a browser gets it. */
function firstLoadJs(): void {
  const file = join(WEB, ".next/diagnostics/route-bundle-stats.json");
  if (!existsSync(file)) {
    console.log("First-load JS: skipped, web/ is not built (run `pnpm web:build`).");
    return;
  }
  const routes = JSON.parse(readFileSync(file, "utf8")) as RouteStats[];
  const rows = routes
    .filter((r) => !r.route.startsWith("/api") && r.route !== "/mcp")
    .map((r) => {
      const gzip = r.firstLoadChunkPaths.reduce((sum, chunk) => {
        const path = join(WEB, chunk);
        return sum + (existsSync(path) ? gzipSync(readFileSync(path), { level: 9 }).length : 0);
      }, 0);
      return { route: r.route, raw: r.firstLoadUncompressedJsBytes / 1024, gzip: gzip / 1024 };
    })
    .sort((a, b) => b.gzip - a.gzip);
  console.log(`\nFirst-load JS per route (target ≤ ${BUDGET_KB} KB gzip)\n`);
  console.log(`${"route".padEnd(22)}${"raw KB".padStart(10)}${"gzip KB".padStart(10)}  within budget`);
  for (const r of rows) {
    console.log(
      `${r.route.padEnd(22)}${r.raw.toFixed(1).padStart(10)}${r.gzip.toFixed(1).padStart(10)}  ${r.gzip <= BUDGET_KB ? "yes" : "NO"}`,
    );
  }
  const worst = rows[0];
  if (worst) console.log(`\nLargest: ${worst.route} at ${worst.gzip.toFixed(1)} KB gzip.`);
}

/** 10 000 runs over the last 30 days, each with one model call, written straight to the database. */
async function seed(dataDir: string): Promise<void> {
  const studio = await openStudio(parseEnv(StudioEnv, { AGENTOS_DATA_DIR: dataDir }, "bench-web"));
  try {
    // Provider and agents through the contract API in-process; the bulk of runs straight into the tables.
    const client = createClient({
      baseUrl: "http://bench.internal",
      fetch: async (input, init) => studio.api.fetch(new Request(input, init)),
    });
    const provider = await client.llmProviders.create({
      name: "bench",
      kind: "openai-compatible",
      baseUrl: "http://127.0.0.1:9/v1",
    });
    const agents = await Promise.all(
      ["researcher", "writer", "reviewer"].map((name) =>
        client.agents.create({ name, model: { providerId: provider.id, model: "bench-model" } }),
      ),
    );
    const db = studio.db;
    const now = Date.now();
    const BATCH = 500;
    for (let start = 0; start < RUNS; start += BATCH) {
      const runs: Array<typeof schema.runs.$inferInsert> = [];
      const steps: Array<typeof schema.runSteps.$inferInsert> = [];
      for (let i = start; i < Math.min(RUNS, start + BATCH); i++) {
        const created = new Date(now - Math.floor((i / RUNS) * 30 * 86_400_000)).toISOString();
        const usage = { inputTokens: 400 + (i % 300), outputTokens: 50 + (i % 90), cachedInputTokens: 0 };
        const costUsd = (usage.inputTokens * 3 + usage.outputTokens * 15) / 1e6;
        const id = newId("run");
        const status = i % 17 === 0 ? "failed" : i % 29 === 0 ? "cancelled" : "succeeded";
        runs.push({
          id,
          workspaceId: LOCAL_WORKSPACE_ID,
          kind: "agent",
          status: status as RunStatus,
          agentId: agents[i % agents.length]!.id,
          workflowId: null,
          conversationId: null,
          input: `question ${i}`,
          output: status === "succeeded" ? `answer ${i}` : null,
          error:
            status === "failed" ? { code: "provider_error", message: "The provider answered 500." } : null,
          usage,
          costUsd,
          createdAt: created,
          updatedAt: created,
          startedAt: created,
          finishedAt: created,
        });
        steps.push({
          id: newId("runStep"),
          workspaceId: LOCAL_WORKSPACE_ID,
          runId: id,
          key: "llm-0",
          kind: "llm",
          name: "llm-0",
          status: "succeeded",
          model: i % 3 === 0 ? "bench-large" : "bench-model",
          usage,
          costUsd,
          startedAt: created,
          finishedAt: created,
        });
      }
      await db.insert(schema.runs).values(runs);
      await db.insert(schema.runSteps).values(steps);
    }
  } finally {
    studio.close();
  }
}

/** Milliseconds until the first body byte of GET `url`, and until the whole page arrived. */
async function timePage(url: string): Promise<{ firstByte: number; complete: number }> {
  const started = performance.now();
  const response = await fetch(url);
  const reader = response.body!.getReader();
  let chunk = await reader.read();
  const firstByte = performance.now() - started;
  while (!chunk.done) chunk = await reader.read();
  if (!response.ok) throw new Error(`GET ${url} answered ${response.status}`);
  return { firstByte, complete: performance.now() - started };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function dashboardTtfb(): Promise<void> {
  if (!existsSync(join(WEB, ".next/BUILD_ID"))) {
    console.log("\nDashboard TTFB: skipped, web/ is not built (run `pnpm web:build`).");
    return;
  }
  const dataDir = freshDataDir();
  const seeding = performance.now();
  await seed(dataDir);
  console.log(
    `\nSeeded ${RUNS} runs (with one model call each) in ${((performance.now() - seeding) / 1000).toFixed(1)} s.`,
  );
  const web = await startWeb({ AGENTOS_DATA_DIR: dataDir });
  try {
    for (let i = 0; i < 3; i++) await timePage(`${web.baseUrl}/`); // warm-up: caches, database open
    const times: Array<{ firstByte: number; complete: number }> = [];
    for (let i = 0; i < REQUESTS; i++) times.push(await timePage(`${web.baseUrl}/`));
    const firstBytes = times.map((t) => t.firstByte);
    console.log(
      `Dashboard (GET /, last 30 days, ${RUNS} runs), ${REQUESTS} requests: TTFB median ${median(firstBytes).toFixed(1)} ms (min ${Math.min(...firstBytes).toFixed(1)}, max ${Math.max(...firstBytes).toFixed(1)}); whole page median ${median(times.map((t) => t.complete)).toFixed(1)} ms.`,
    );
  } finally {
    await web.stop();
  }
}

try {
  firstLoadJs();
  await dashboardTtfb();
} catch (error) {
  console.error("bench/web failed (figures above are still valid):", error);
}
process.exit(0);
