// Local models end to end: the headless server and a worker process on one libSQL file, the worker
// pointed at Ollama with OLLAMA_HOST. Ollama itself and its registry cannot run here, so Ollama is
// a loopback stand-in (worker/test/ollama-standin/server.ts) that speaks Ollama's real wire format:
// NDJSON pull progress as Ollama emits it (`pulling manifest`, per-layer `pulling <digest>` lines
// every 60 ms with total/completed, `verifying sha256 digest`, `writing manifest`, `success`, and
// `{"error":…}` lines inside the 200 stream), /api/tags, /api/show, /api/ps, /api/delete and
// streaming /api/chat, answered from recordings (fixtures/SOURCES.md).
import { type AgentOsClient, createClient, type OllamaPull } from "@agentos/client";
import type { Run } from "@agentos/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { problemOf } from "../../test/harness/problems";
import {
  type ApiTarget,
  freshDataDir,
  startHeadlessServer,
  startWorker,
  until,
} from "../../test/harness/processes";
import { followPull, registryModel, testRegistry, workerTokenOf } from "./ollama-standin/harness";
import { type OllamaStandin, startOllamaStandin } from "./ollama-standin/server";

const MB = 1_000_000;
const EXTRA_MODELS = {
  "reload-me:1b": 600 * MB,
  "resume-me:1b": 600 * MB,
  "cut-off:1b": 600 * MB,
  "too-big:7b": 600 * MB,
  "measure:3b": 3000 * MB,
};
const blobOf = (name: keyof typeof EXTRA_MODELS) =>
  registryModel(name, EXTRA_MODELS[name]).layers[0]?.digest ?? "";

describe("local models through the worker's Ollama", () => {
  const dataDir = freshDataDir();
  let standin: OllamaStandin;
  let api: ApiTarget;
  let worker: ApiTarget;
  let client: AgentOsClient;

  const eventsUrl = (id: string) => `${api.baseUrl}/api/ollama/pulls/${id}/events`;
  const finished = (pull: OllamaPull) => ["succeeded", "failed", "cancelled"].includes(pull.status);

  beforeAll(async () => {
    // 1 GB/s: a 600 MB blob takes ten 60 ms ticks.
    standin = await startOllamaStandin({ registry: testRegistry(EXTRA_MODELS), bytesPerSecond: 1000 * MB });
    api = await startHeadlessServer({ AGENTOS_DATA_DIR: dataDir });
    worker = await startWorker(dataDir, {
      OLLAMA_HOST: standin.url,
      OLLAMA_DETECT_URL: "",
      SANDBOX_POOL_SIZE: "0",
      WORKER_POLL_MS: "100",
    });
    client = createClient({ baseUrl: api.baseUrl });
  }, 120_000);

  afterAll(async () => {
    await Promise.all([api?.stop(), worker?.stop()]);
    await standin?.close();
  });

  it("reports Ollama ready from OLLAMA_HOST and creates one Ollama (local) provider at its URL", async () => {
    const status = await client.ollama.status();
    expect(status).toMatchObject({
      state: "ready",
      source: "env",
      baseUrl: standin.url,
      version: "0.12.6",
      installable: false,
      reason: null,
    });
    expect(status.providerId).toMatch(/^prov_/);
    const again = await client.ollama.status();
    expect(again.providerId).toBe(status.providerId);
    const providers = await client.llmProviders.list({ kind: "ollama" } as never);
    expect(providers.items).toEqual([
      expect.objectContaining({
        id: status.providerId,
        name: "Ollama (local)",
        kind: "ollama",
        baseUrl: standin.url,
      }),
    ]);
  });

  it("lists local models with size, family and quantisation, and the recommendations", async () => {
    const models = await client.ollama.models();
    expect(models.items.map((m) => m.name)).toContain("mistral:7b");
    expect(models.items.find((m) => m.name === "mistral:7b")).toEqual({
      name: "mistral:7b",
      sizeBytes: 4372824384,
      family: "llama",
      families: ["llama"],
      parameterSize: "7.2B",
      quantization: "Q4_K_M",
      format: "gguf",
      digest: "6577803aa9a036369e481d648a2baebb381ebc6e897f2bb9a766a2aa7bfbc1cf",
      modifiedAt: "2025-08-03T21:16:38.8638638+02:00",
    });
    expect(models.running).toEqual([]);
    expect(models.recommended.length).toBeGreaterThanOrEqual(5);
    expect(models.recommended.find((m) => m.name === "llama3.2:1b")).toMatchObject({ installed: false });
  });

  it("shows one model's details and answers 404 for a model Ollama does not have", async () => {
    const details = await client.ollama.details("dolphin3:8b");
    expect(details).toMatchObject({
      name: "dolphin3:8b",
      family: "llama",
      quantization: "Q4_K_M",
      architecture: "llama",
      parameterCount: 8030277696,
      contextLength: 131072,
      capabilities: ["completion"],
      system: "You are Dolphin, a helpful AI assistant.",
    });
    const missing = await problemOf(client.ollama.details("nope:1b"));
    expect(missing.status).toBe(404);
    expect(missing.problem.detail).toContain('has no model "nope:1b"');
  });

  it("pulls a model with per-layer progress over SSE through the API, then lists it", async () => {
    const pull = await client.ollama.pull("llama3.2:1b");
    expect(pull).toMatchObject({ id: expect.stringMatching(/^pull_[0-9a-z]{26}$/), model: "llama3.2:1b" });
    const events = (await followPull(eventsUrl(pull.id)).done).map((e) => e.pull);
    const last = events.at(-1)!;
    expect(last).toMatchObject({ status: "succeeded", percent: 100, error: null, etaSeconds: 0 });
    expect(last.layers).toEqual([
      {
        digest: expect.stringMatching(/^sha256:74701a8c35f6/),
        totalBytes: 1321082688,
        completedBytes: 1321082688,
      },
      { digest: expect.stringMatching(/^sha256:966de95ca8a6/), totalBytes: 1429, completedBytes: 1429 },
    ]);
    // Snapshots in order, bytes never going back, with speed and time left while downloading.
    expect(events.map((e) => e.seq)).toEqual([...events.map((e) => e.seq)].sort((a, b) => a - b));
    const bytes = events.map((e) => e.completedBytes);
    expect(bytes).toEqual([...bytes].sort((a, b) => a - b));
    const midway = events.filter((e) => e.status === "pulling" && e.percent !== null && e.percent < 100);
    expect(midway.length).toBeGreaterThan(3);
    expect(midway.some((e) => (e.bytesPerSecond ?? 0) > 0 && e.etaSeconds !== null)).toBe(true);
    expect(events.map((e) => e.status)).toEqual(expect.arrayContaining(["pulling", "succeeded"]));

    const models = await client.ollama.models();
    expect(models.items.find((m) => m.name === "llama3.2:1b")).toMatchObject({
      sizeBytes: 1321082688 + 1429,
      quantization: "Q8_0",
    });
    expect(models.recommended.find((m) => m.name === "llama3.2:1b")).toMatchObject({ installed: true });
  });

  it("a client that reconnects mid-pull (a reloaded page) sees the current state at once, then the rest", async () => {
    standin.holdAt(180 * MB);
    const pull = await client.ollama.pull("reload-me:1b");
    const first = followPull(eventsUrl(pull.id));
    const held = await first.until((p) => p.completedBytes === 180 * MB);
    // The page reloads: it finds the running pull in the list, then follows it again.
    const listed = (await client.ollama.pulls()).items.find((p) => p.id === pull.id);
    expect(listed).toMatchObject({ status: "pulling", completedBytes: 180 * MB });
    // Asking for the same model again answers the running pull, not a second one.
    expect((await client.ollama.pull("reload-me:1b")).id).toBe(pull.id);
    const second = followPull(eventsUrl(pull.id));
    const joined = await second.until(() => true);
    expect(joined).toMatchObject({ id: pull.id, status: "pulling", completedBytes: 180 * MB });
    expect(joined.seq).toBeGreaterThanOrEqual(held.seq);
    standin.holdAt(null);
    const [a, b] = (await Promise.all([first.done, second.done])).map((events) => events.map((e) => e.pull));
    for (const events of [a!, b!]) {
      expect(events.map((e) => e.seq)).toEqual([...new Set(events.map((e) => e.seq))].sort((x, y) => x - y));
      expect(events.at(-1)).toMatchObject({ status: "succeeded", percent: 100 });
    }
    expect(b!.length).toBeGreaterThan(1);
    expect(b!.at(-1)?.seq).toBe(a!.at(-1)?.seq);
  });

  it("cancels a pull by aborting Ollama's stream; pulling again resumes from the partial blob", async () => {
    standin.holdAt(300 * MB);
    const pull = await client.ollama.pull("resume-me:1b");
    const follower = followPull(eventsUrl(pull.id));
    await follower.until((p) => p.completedBytes === 300 * MB);
    const cancelled = await client.ollama.cancelPull(pull.id);
    expect(cancelled).toMatchObject({ status: "cancelled", completedBytes: 300 * MB, error: null });
    expect((await follower.done).at(-1)?.pull.status).toBe("cancelled");
    await until(() => standin.openPulls() === 0, "the stand-in to see the pull stream closed", 5000);
    expect(standin.partialBytes(blobOf("resume-me:1b"))).toBe(300 * MB);

    standin.holdAt(null);
    const again = await client.ollama.pull("resume-me:1b");
    expect(again.id).not.toBe(pull.id);
    const last = (await followPull(eventsUrl(again.id)).done).at(-1)?.pull;
    expect(last).toMatchObject({
      status: "succeeded",
      resumedBytes: 300 * MB,
      completedBytes: 600 * MB + 1_525,
    });
    expect(standin.installedNames()).toContain("resume-me:1b");
  });

  it("a pull whose connection breaks ends failed as interrupted and resumable; the next pull resumes", async () => {
    standin.holdAt(240 * MB);
    const pull = await client.ollama.pull("cut-off:1b");
    const follower = followPull(eventsUrl(pull.id));
    await follower.until((p) => p.completedBytes === 240 * MB);
    standin.dropPulls();
    const last = (await follower.done).at(-1)?.pull;
    expect(last).toMatchObject({ status: "failed", error: { code: "interrupted", resumable: true } });
    expect(last?.error?.message).toMatch(/Pull it again to resume/);

    standin.holdAt(null);
    const again = await client.ollama.pull("cut-off:1b");
    const done = (await followPull(eventsUrl(again.id)).done).at(-1)?.pull;
    expect(done).toMatchObject({ status: "succeeded", resumedBytes: 240 * MB });
  });

  it("a full disk ends the pull failed as disk_full with what to do; with space again it resumes", async () => {
    standin.setDiskFree(200 * MB);
    const pull = await client.ollama.pull("too-big:7b");
    const last = (await followPull(eventsUrl(pull.id)).done).at(-1)?.pull;
    expect(last).toMatchObject({ status: "failed", error: { code: "disk_full", resumable: true } });
    expect(last?.error?.message).toContain("no space left on device");
    expect(last?.error?.message).toContain("Free space");
    expect(standin.partialBytes(blobOf("too-big:7b"))).toBe(200 * MB);

    standin.setDiskFree(Number.POSITIVE_INFINITY);
    const again = await client.ollama.pull("too-big:7b");
    const done = (await followPull(eventsUrl(again.id)).done).at(-1)?.pull;
    expect(done).toMatchObject({ status: "succeeded", resumedBytes: 200 * MB });
  });

  it("a name the Ollama library does not know is a 400 on body.name (Ollama's 200-stream error line)", async () => {
    const unknown = await problemOf(client.ollama.pull("no-such-model:7b"));
    expect(unknown.status).toBe(400);
    expect(unknown.problem.errors).toEqual([
      { path: "body.name", message: expect.stringContaining("is not in the Ollama library") },
    ]);
    expect(unknown.problem.detail).toContain("pull model manifest: file does not exist");
    const malformed = await problemOf(client.ollama.pull("not a name!"));
    expect(malformed.status).toBe(400);
    expect(malformed.problem.errors?.[0]?.path).toBe("body.name");
    const missing = await problemOf(client.send("POST", "/api/ollama/models", { body: {} }));
    expect(missing.problem.errors?.[0]?.path).toBe("body.name");
    const badId = await problemOf(client.ollama.getPull("pull_nope"));
    expect(badId.problem.errors?.[0]?.path).toBe("path.id");
  });

  it("deletes a model, refusing one being pulled and answering 404 for one that is not there", async () => {
    standin.holdAt(10 * MB);
    const pull = await client.ollama.pull("smollm2:135m");
    const busy = await problemOf(client.ollama.delete("smollm2:135m"));
    expect(busy.status).toBe(409);
    await client.ollama.cancelPull(pull.id);
    standin.holdAt(null);

    await client.ollama.delete("reload-me:1b");
    expect((await client.ollama.models()).items.map((m) => m.name)).not.toContain("reload-me:1b");
    const gone = await problemOf(client.ollama.delete("reload-me:1b"));
    expect(gone.status).toBe(404);
  });

  it("an agent runs on a pulled model through the ollama provider: tokens counted, cost zero", async () => {
    const { providerId } = await client.ollama.status();
    const agent = await client.agents.create({
      name: `local-${Date.now()}`,
      instructions: "Answer briefly.",
      model: { providerId: providerId!, model: "llama3.2:1b" },
    });
    const created = await client.agents.execute(agent.id, "What time of day is it?");
    let run: Run | undefined;
    await until(
      async () => {
        run = await client.runs.get(created.id);
        return ["succeeded", "failed", "cancelled"].includes(run.status);
      },
      "the run to finish",
      30_000,
    );
    expect(run).toMatchObject({ status: "succeeded", output: " these times of day." });
    // The recorded phi3 stream's done line: prompt_eval_count 10, eval_count 239.
    expect(run?.usage).toMatchObject({ inputTokens: 10, outputTokens: 239 });
    expect(run?.costUsd).toBe(0);
    const chat = standin.requests.find((r) => r.path === "/api/chat");
    expect(chat?.body).toMatchObject({ model: "llama3.2:1b", stream: true });
    // The model is now loaded: /api/ps reports it with its memory use.
    const { running } = await client.ollama.models();
    expect(running).toEqual([
      expect.objectContaining({ name: "llama3.2:1b", sizeBytes: expect.any(Number), vramBytes: 0 }),
    ]);
  });

  it("measures the progress-event rate and the latency the API's SSE relay adds", async () => {
    const linesBefore = standin.requests.length;
    const pull = await client.ollama.pull("measure:3b");
    const direct = followPull(`${worker.baseUrl}/internal/ollama/pulls/${pull.id}/events`, {
      authorization: `Bearer ${workerTokenOf(dataDir)}`,
    });
    const relayed = followPull(eventsUrl(pull.id));
    const [viaWorker, viaApi] = await Promise.all([direct.done, relayed.done]);
    expect(standin.requests.length).toBe(linesBefore + 1);
    expect(viaApi.at(-1)?.pull.status).toBe("succeeded");

    const seconds = (viaApi.at(-1)!.at - viaApi[0]!.at) / 1000;
    const rate = (viaApi.length - 1) / seconds;
    // Ollama sends a line every 60 ms (~16.7/s); the worker sends byte updates at most every
    // 100 ms, and phase or layer changes (milestones) at once.
    const ollamaLinesPerSecond = 1000 / 60;
    const isMilestone = (e: OllamaPull, before: OllamaPull | undefined) =>
      !before ||
      e.status !== before.status ||
      e.message !== before.message ||
      e.layers.length !== before.layers.length;
    const milestones = viaApi.filter((e, i) => isMilestone(e.pull, viaApi[i - 1]?.pull)).length;
    // Gaps between two byte updates that each followed a byte update (not a milestone).
    const byteGaps: number[] = [];
    for (let i = 2; i < viaApi.length; i++) {
      const [before, previous, current] = [viaApi[i - 2]!, viaApi[i - 1]!, viaApi[i]!];
      if (!isMilestone(current.pull, previous.pull) && !isMilestone(previous.pull, before.pull)) {
        byteGaps.push(current.at - previous.at);
      }
    }
    byteGaps.sort((a, b) => a - b);
    const medianGap = byteGaps[Math.floor(byteGaps.length / 2)] ?? Number.NaN;
    const arrivedDirect = new Map(viaWorker.map((e) => [e.pull.seq, e.at]));
    const added = viaApi
      .filter((e) => arrivedDirect.has(e.pull.seq))
      .map((e) => e.at - (arrivedDirect.get(e.pull.seq) ?? e.at))
      .sort((a, b) => a - b);
    const median = added[Math.floor(added.length / 2)] ?? Number.NaN;
    const p95 = added[Math.floor(added.length * 0.95)] ?? Number.NaN;
    console.log(
      `ollama pull progress: ${viaApi.length} snapshots in ${seconds.toFixed(2)} s = ${rate.toFixed(1)} events/s ` +
        `(${milestones} milestones; byte updates every ${medianGap.toFixed(0)} ms, median; Ollama sent ` +
        `${ollamaLinesPerSecond.toFixed(1)} lines/s). SSE relay through the API adds median ` +
        `${median.toFixed(2)} ms, p95 ${p95.toFixed(2)} ms over ${added.length} events`,
    );
    expect(medianGap).toBeGreaterThanOrEqual(80);
    expect(rate).toBeLessThanOrEqual(10 + milestones / seconds + 1);
    expect(rate).toBeGreaterThan(4);
    expect(added.length).toBeGreaterThan(10);
    expect(median).toBeLessThan(50);
  });

  it("reports Ollama unreachable, with what to do, when it stops answering", async () => {
    const { port } = standin;
    standin.holdAt(50 * MB);
    const running = await client.ollama.pull("smollm2:135m");
    const follower = followPull(eventsUrl(running.id));
    await follower.until((p) => p.completedBytes === 50 * MB);
    await standin.close();
    // Ollama went away mid-pull: the pull says so, and that pulling again resumes once it is back.
    const ended = (await follower.done).at(-1)?.pull;
    expect(ended).toMatchObject({ status: "failed", error: { code: "unreachable", resumable: true } });
    expect(ended?.error?.message).toMatch(/Once it runs again, pull again to resume/);
    const status = await client.ollama.status();
    expect(status).toMatchObject({
      state: "error",
      source: "env",
      baseUrl: `http://127.0.0.1:${port}`,
      providerId: null,
    });
    expect(status.reason).toContain("did not answer");
    expect(status.reason).toContain("OLLAMA_HOST");
    const pull = await problemOf(client.ollama.pull("llama3.2:1b"));
    expect(pull.status).toBe(503);
    expect(pull.problem.detail).toContain(`Ollama at http://127.0.0.1:${port} did not answer`);
    const models = await problemOf(client.ollama.models());
    expect(models.status).toBe(503);
    // Back on the same port: ready again.
    standin = await startOllamaStandin({ port });
    await until(
      async () => (await client.ollama.status()).state === "ready",
      "Ollama to be ready again",
      10_000,
    );
  });

  it("relays a finished pull's last snapshot and end to a client that connects late", async () => {
    const { items } = await client.ollama.pulls();
    const old = items.find((p) => p.model === "llama3.2:1b" && p.status === "succeeded");
    expect(old).toBeDefined();
    const events = await followPull(eventsUrl(old!.id)).done;
    expect(events.map((e) => e.pull)).toEqual([
      expect.objectContaining({ id: old!.id, status: "succeeded" }),
    ]);
    expect(finished(events[0]!.pull)).toBe(true);
  });
});
