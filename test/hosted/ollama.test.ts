// Local models on a hosted Studio: the "Ollama (local)" provider the Ollama panel creates has no
// base URL, so runs reach the worker's own Ollama (OLLAMA_HOST) without an AGENTOS_OUTBOUND_ALLOW
// entry for loopback, which would open that Ollama's admin API to every tenant's tools. Ollama
// cannot run here: it is the loopback stand-in speaking Ollama's wire format
// (worker/test/ollama-standin/server.ts).
import { type AgentOsClient, createClient } from "@agentos/client";
import type { Run } from "@agentos/core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { type OllamaStandin, startOllamaStandin } from "../../worker/test/ollama-standin/server";
import { unique } from "../harness/factories";
import { type ApiTarget, startWorker, until } from "../harness/processes";
import { ADMIN, HOSTED_SECRET_KEY, type StudioProcess, signIn, startHostedStudio } from "./harness";

const WORKER_TOKEN = "worker-token-for-hosted-ollama";

let standin: OllamaStandin;
let studio: StudioProcess;
let worker: ApiTarget;
let client: AgentOsClient;

beforeAll(async () => {
  standin = await startOllamaStandin();
  studio = await startHostedStudio({ env: { WORKER_TOKEN } });
  worker = await startWorker(studio.dataDir, {
    AGENTOS_MODE: "hosted",
    AGENTOS_SECRET_KEY: HOSTED_SECRET_KEY,
    WORKER_TOKEN,
    OLLAMA_HOST: standin.url,
    OLLAMA_DETECT_URL: "",
    SANDBOX_POOL_SIZE: "0",
    WORKER_POLL_MS: "100",
  });
  const admin = await signIn(studio.baseUrl, ADMIN);
  const { token } = await admin.json<{ token: string }>("/api/tokens", {
    method: "POST",
    json: { name: "ollama", scopes: ["read", "write", "run"] },
  });
  client = createClient({ baseUrl: studio.baseUrl, token });
}, 180_000);

afterAll(async () => {
  await Promise.all([worker?.stop(), studio?.stop()]);
  await standin?.close();
});

it("creates the Ollama provider without a base URL, and runs reach the worker's Ollama with no allow-list", async () => {
  let providerId: string | null = null;
  await until(async () => {
    const current = await client.ollama.status();
    providerId = current.state === "ready" ? current.providerId : null;
    return providerId !== null;
  }, "Ollama ready with its provider");
  const provider = await client.llmProviders.get(providerId ?? "");
  expect(provider).toMatchObject({ name: "Ollama (local)", kind: "ollama", baseUrl: null });

  const agent = await client.agents.create({
    name: unique("local-model"),
    instructions: "Answer briefly.",
    model: { providerId: provider.id, model: "smollm2:1.7b" },
  });
  const chats = standin.requests.filter((r) => r.path === "/api/chat").length;
  const created = await client.agents.execute(agent.id, "Hello?");
  let run: Run | undefined;
  await until(async () => {
    run = await client.runs.get(created.id);
    return run.status === "succeeded" || run.status === "failed";
  }, `run ${created.id} to end`);
  expect(run?.error ?? null).toBeNull();
  expect(run?.status).toBe("succeeded");
  expect(standin.requests.filter((r) => r.path === "/api/chat").length).toBe(chats + 1);
}, 120_000);
