// Run engine benchmark: dispatch latency, added latency per streamed token and throughput of one
// worker, with the headless server and a worker as real processes on one data directory and the
// loopback OpenAI-compatible stand-in as the model. It prints figures and always exits 0: a
// benchmark informs, it does not gate CI.
import { mkdtempSync, rmSync } from "node:fs";
import { availableParallelism, cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import {
  type OpenAiCompatibleServer,
  reply,
  startOpenAiCompatibleServer,
} from "../../packages/runtime/test/support/openai-compatible-server";
import { killAllServerProcesses, type ServerProcess } from "../api/server-process";
import { loadRunsBenchConfig, type RunsBenchConfig } from "./config";
import { formatDispatch, measureDispatch } from "./dispatch";
import { type ModelTap, startModelTap } from "./model-stream";
import { createAgent, type Studio, startStudio, WORKER_SETTINGS } from "./studio";
import { formatThroughput, measureThroughput } from "./throughput";
import { formatTokenStream, measureTokenStream } from "./token-stream";

const API_KEY = "sk-standin-bench";
const MODEL = "standin-bench";
const THROUGHPUT_TIMEOUT_MS = 180_000;

function timeBudgetMs(config: RunsBenchConfig): number {
  const startup = 2 * 60_000;
  const dispatch = config.dispatchRuns * 1000;
  const streams = config.streamRepeats * (20_000 + 2 * config.tokens * (config.chunkDelayMs + 5));
  return startup + dispatch + streams + THROUGHPUT_TIMEOUT_MS + 30_000;
}

/** Runs one section; a failure is printed with the processes' last output and the next section runs. */
async function section(title: string, studio: Studio, measure: () => Promise<string>): Promise<void> {
  console.log(`\n## ${title}\n`);
  try {
    console.log(await measure());
    console.log(`(1-minute load average at the end of this section: ${loadavg()[0]?.toFixed(2)})`);
  } catch (error) {
    console.error(`${title}: failed: ${(error as Error).message}`);
    for (const p of [studio.server, studio.worker])
      console.error(`--- ${p.name}, last output:\n${p.outputTail()}`);
  }
}

async function main(config: RunsBenchConfig, dataDir: string, started: ServerProcess[]): Promise<void> {
  let model: OpenAiCompatibleServer | undefined;
  let tap: ModelTap | undefined;
  try {
    // Runs that are not scripted get a one-word answer.
    model = await startOpenAiCompatibleServer({
      apiKey: API_KEY,
      models: [MODEL],
      fallback: reply.text("Done."),
    });
    tap = await startModelTap(model.origin);
    const studio = await startStudio(dataDir, started);
    const credentials = { apiKey: API_KEY, model: MODEL };
    const shortAgent = await createAgent(studio.apiUrl, {
      name: "bench-short",
      baseUrl: model.baseUrl,
      ...credentials,
    });
    const streamAgent = await createAgent(studio.apiUrl, {
      name: "bench-stream",
      baseUrl: tap.baseUrl,
      ...credentials,
    });
    const throughputAgent = await createAgent(studio.apiUrl, {
      name: "bench-throughput",
      baseUrl: model.baseUrl,
      ...credentials,
    });
    console.log(
      `headless server ${studio.apiUrl}, one worker, data dir ${dataDir}, model stand-in ${model.baseUrl} (tap ${tap.baseUrl})`,
    );

    await section(`Dispatch latency (${config.dispatchRuns} sequential runs)`, studio, async () =>
      formatDispatch(await measureDispatch(studio.apiUrl, shortAgent, config.dispatchRuns)),
    );
    const streamSetup = {
      apiUrl: studio.apiUrl,
      model,
      apiKey: API_KEY,
      modelName: MODEL,
      tap,
      agentId: streamAgent,
      tokens: config.tokens,
      chunkDelayMs: config.chunkDelayMs,
    };
    await section(
      `Added latency per streamed token (${config.tokens} tokens, ${config.chunkDelayMs} ms apart, ${config.streamRepeats} ${config.streamRepeats === 1 ? "repeat" : "repeats"})`,
      studio,
      async () =>
        formatTokenStream(await measureTokenStream(streamSetup, config.streamRepeats), config.tokens),
    );
    await section(`Throughput (${config.concurrentRuns} runs at once, one worker)`, studio, async () =>
      formatThroughput(
        await measureThroughput(
          studio.apiUrl,
          throughputAgent,
          config.concurrentRuns,
          THROUGHPUT_TIMEOUT_MS,
          [
            { name: "API", pid: studio.server.pid },
            { name: "worker", pid: studio.worker.pid },
          ],
        ),
      ),
    );
  } finally {
    await Promise.all(started.map((s) => s.stop()));
    await tap?.close();
    await model?.close();
  }
}

const started: ServerProcess[] = [];
const dataDir = mkdtempSync(join(tmpdir(), "agentos-bench-runs-"));
const abort = (reason: string) => {
  console.error(`bench runs: ${reason}; stopping the server and the worker`);
  process.exit(0);
};
// Runs on every way out (done, failed, aborted): no process or database outlives the benchmark.
process.on("exit", () => {
  killAllServerProcesses();
  rmSync(dataDir, { recursive: true, force: true });
});
process.on("SIGINT", () => abort("interrupted"));
process.on("SIGTERM", () => abort("terminated"));

try {
  const config = loadRunsBenchConfig();
  const budgetMs = timeBudgetMs(config);
  setTimeout(() => abort(`exceeded the time budget of ${Math.round(budgetMs / 1000)} s`), budgetMs).unref();
  const [load1] = loadavg();
  console.log(
    `Run engine benchmark: node ${process.version}, ${availableParallelism()} CPUs (${cpus()[0]?.model ?? "unknown"}), load average ${load1?.toFixed(2)} at start; headless server + 1 worker (WORKER_CAPACITY=${WORKER_SETTINGS.WORKER_CAPACITY}, WORKER_POLL_MS=${WORKER_SETTINGS.WORKER_POLL_MS}) under tsx with NODE_ENV=production, libSQL file in a fresh data dir, the OpenAI-compatible stand-in in this process; all on loopback`,
  );
  await main(config, dataDir, started);
} catch (error) {
  console.error(`bench runs: failed: ${(error as Error).message}`);
}
process.exit(0);
