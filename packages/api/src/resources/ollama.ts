import {
  Conflict,
  Forbidden,
  OllamaModelDetails,
  OllamaModelList,
  OllamaModelName,
  OllamaPull,
  OllamaPullCreate,
  OllamaPullId,
  type OllamaRecommendedModel,
  OllamaStatus,
  OllamaWorkerStatus,
  Unavailable,
} from "@agentos/core";
import type { Repositories } from "@agentos/db";
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { ApiDeps, ApiEnv } from "../context";
import { requireJson } from "../middleware";
import type { OllamaWorkers } from "../ollama-client";
import { commonErrors, json, jsonBody, problem } from "../openapi-schemas";
import { WorkerProblem } from "../sandbox-client";

// The routes of /api/ollama/*. The worker that hosts Ollama produces the shapes of @agentos/core's
// Ollama schemas (worker/src/ollama); every JSON answer it gives is parsed here before it reaches a client.

/** Models worth pulling first, for the UI (sizes are the library's downloads, rounded). */
export const RECOMMENDED_MODELS: Array<Omit<OllamaRecommendedModel, "installed">> = [
  {
    name: "llama3.2:3b",
    sizeBytes: 2_000_000_000,
    description: "Meta Llama 3.2 3B: a capable all-rounder that runs on most laptops",
    goodAt: ["chat", "tool calling", "summaries"],
    supportsTools: true,
  },
  {
    name: "llama3.2:1b",
    sizeBytes: 1_300_000_000,
    description: "Meta Llama 3.2 1B: the smallest useful chat model, fast on a CPU",
    goodAt: ["quick replies", "classification", "trying things out"],
    supportsTools: true,
  },
  {
    name: "qwen2.5:7b",
    sizeBytes: 4_700_000_000,
    description: "Alibaba Qwen 2.5 7B: strong at following instructions and structured output",
    goodAt: ["tool calling", "JSON output", "many languages"],
    supportsTools: true,
  },
  {
    name: "qwen2.5-coder:7b",
    sizeBytes: 4_700_000_000,
    description: "Qwen 2.5 Coder 7B: code generation, completion and repair",
    goodAt: ["code", "sandbox agents"],
    supportsTools: true,
  },
  {
    name: "mistral:7b",
    sizeBytes: 4_100_000_000,
    description: "Mistral 7B v0.3: a well-rounded general model",
    goodAt: ["chat", "writing", "tool calling"],
    supportsTools: true,
  },
  {
    name: "phi4-mini:3.8b",
    sizeBytes: 2_500_000_000,
    description: "Microsoft Phi-4 mini: small, with good reasoning and math",
    goodAt: ["reasoning", "math", "tool calling"],
    supportsTools: true,
  },
  {
    name: "gemma3:4b",
    sizeBytes: 3_300_000_000,
    description: "Google Gemma 3 4B: reads images as well as text",
    goodAt: ["vision", "chat", "many languages"],
    supportsTools: false,
  },
  {
    name: "nomic-embed-text",
    sizeBytes: 274_000_000,
    description: "Nomic Embed: text embeddings for search and retrieval (not a chat model)",
    goodAt: ["embeddings", "retrieval"],
    supportsTools: false,
  },
];

/** `llama3.2` and `llama3.2:latest` name the same model. */
const tagged = (name: string) => (/:[^/]+$/.test(name) ? name : `${name}:latest`);

const noWorker = problem("No worker host offers Ollama, or it did not answer");
const pullNotFound = problem("No such pull on the Ollama worker (finished pulls are kept for an hour)");

function workersOf(deps: ApiDeps): OllamaWorkers {
  if (!deps.ollama) {
    throw new Unavailable(
      "This process has no route to worker hosts, so Ollama is unavailable here. Run the Studio or headless server with a worker.",
    );
  }
  return deps.ollama;
}

/** A worker's JSON answer parsed against the contract, or its problem re-thrown. */
async function answerOf<S extends z.ZodType>(response: Response, schema: S): Promise<z.output<S>> {
  if (!response.ok) {
    const body = (await response.json().catch(() => null)) as
      | ConstructorParameters<typeof WorkerProblem>[1]
      | null;
    throw new WorkerProblem(response.status, { title: "Ollama operation failed", ...body });
  }
  const result = schema.safeParse(await response.json().catch(() => null));
  if (result.success) return result.data;
  throw new Unavailable(
    `The Ollama worker answered in a shape this Studio does not know (${result.error.issues[0]?.path.join(".")}: ${result.error.issues[0]?.message}); run the same version of the worker and the Studio.`,
  );
}

/** In hosted mode, Ollama belongs to the whole host: only admins install it and change its models. */
function requireHostAdmin(c: Context<ApiEnv>, deps: ApiDeps): void {
  if (deps.config.mode !== "hosted" || c.get("principal").scopes.includes("admin")) return;
  throw new Forbidden(
    `${c.req.method} ${c.req.path} changes the worker host's Ollama, which every workspace shares: it needs the "admin" scope.`,
  );
}

/**
 * The workspace's ollama provider; "Ollama (local)" at `baseUrl` is created when there is none.
 * A null `baseUrl` (hosted mode) means the worker's own Ollama (OLLAMA_HOST, else the default
 * port): the operator's, so the outbound policy needs no entry for it and tenants' tools get none.
 */
export async function ensureOllamaProvider(
  repos: Repositories,
  workspaceId: string,
  baseUrl: string | null,
): Promise<string> {
  const existing = async () =>
    (await repos.llmProviders.list(workspaceId, { limit: 1, sort: "createdAt", filters: { kind: "ollama" } }))
      .items[0];
  const found = await existing();
  if (found) return found.id;
  try {
    const created = await repos.llmProviders.insert(workspaceId, {
      name: "Ollama (local)",
      kind: "ollama",
      baseUrl,
      options: {},
      enabled: true,
      apiKeySecret: null,
    });
    return created.id;
  } catch (error) {
    // Two status calls at once: the other one created it.
    const raced = Conflict.isInstance(error) ? await existing() : undefined;
    if (raced) return raced.id;
    throw error;
  }
}

/**
 * Local models through Ollama: the host's Ollama (status, install), its models (list, details,
 * pull, delete) and pulls with live progress. Every call goes to the worker that hosts Ollama.
 */
export function registerOllamaRoutes(app: OpenAPIHono<ApiEnv>, deps: ApiDeps): void {
  const tags = ["Local models"];
  const call = (path: string, init?: RequestInit) => workersOf(deps).call(path, init);

  async function statusFor(workspaceId: string, answer: { workerId: string; response: Response }) {
    const worker = await answerOf(answer.response, OllamaWorkerStatus);
    const status: OllamaStatus = { ...worker, workerId: answer.workerId, providerId: null };
    if (worker.state === "ready" && worker.baseUrl) {
      const hosted = deps.config.mode === "hosted";
      status.providerId = await ensureOllamaProvider(deps.repos, workspaceId, hosted ? null : worker.baseUrl);
    }
    return status;
  }

  app.openapi(
    createRoute({
      method: "get",
      path: "/api/ollama/status",
      tags,
      summary: "Ollama on the worker host",
      description:
        "Where the worker's Ollama comes from (OLLAMA_HOST, a local one on the default port, or the managed container) and its state: not_installed (with `installable`), installing (with the image pull's progress), starting, ready, error (with `reason`). Checked on every call. When Ollama is ready and the workspace has no ollama provider, \"Ollama (local)\" is created at `baseUrl`, so its models are selectable in agents.",
      responses: { 200: json(OllamaStatus, "The state"), 503: noWorker, ...commonErrors },
    }),
    async (c) => {
      const status = await statusFor(c.get("principal").workspaceId, await call("/status"));
      return c.json(status as never, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/api/ollama/install",
      tags,
      summary: "Install Ollama as a managed container",
      description:
        "Pulls the Ollama image (OLLAMA_IMAGE) with progress, then runs it with a models volume, GPUs when the host has NVIDIA ones, and restart unless-stopped; also starts a stopped managed container. Answers at once with the `installing` state; follow it with GET /api/ollama/status. Hosted mode: needs admin.",
      responses: {
        202: json(OllamaStatus, "The install started (or Ollama already runs)"),
        403: problem("Hosted mode, and the caller is not an admin"),
        409: problem("OLLAMA_HOST is set: this worker uses that Ollama and installs none"),
        503: problem("Docker is not available on the worker, or no worker offers Ollama"),
        ...commonErrors,
      },
    }),
    async (c) => {
      requireHostAdmin(c, deps);
      const status = await statusFor(
        c.get("principal").workspaceId,
        await call("/install", { method: "POST" }),
      );
      return c.json(status as never, 202);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/api/ollama/models",
      tags,
      summary: "Local models, loaded models and recommendations",
      description:
        "`items`: the models on the worker's Ollama (`/api/tags`) with size, family and quantisation; `running`: those loaded in memory (`/api/ps`) with their memory use; `recommended`: a short curated list, each marked `installed` or not. Use an item's `name` as the `model` of an agent whose provider is the ollama provider.",
      responses: { 200: json(OllamaModelList, "The models"), 503: noWorker, ...commonErrors },
    }),
    async (c) => {
      const { response } = await call("/models");
      const answer = await answerOf(response, OllamaModelList.omit({ recommended: true }));
      const installed = new Set(answer.items.map((m) => tagged(m.name)));
      const recommended = RECOMMENDED_MODELS.map((m) => ({ ...m, installed: installed.has(tagged(m.name)) }));
      return c.json({ ...answer, recommended } as never, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/api/ollama/models/details",
      tags,
      summary: "One local model's details",
      description: "From Ollama's `/api/show`: family, quantisation, context length, capabilities, template.",
      request: { query: z.object({ name: OllamaModelName }) },
      responses: {
        200: json(OllamaModelDetails, "The model"),
        404: problem("Ollama has no model of that name"),
        503: noWorker,
        ...commonErrors,
      },
    }),
    async (c) => {
      const { name } = c.req.valid("query");
      const { response } = await call(`/models/details?name=${encodeURIComponent(name)}`);
      return c.json((await answerOf(response, OllamaModelDetails)) as never, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/api/ollama/models",
      tags,
      summary: "Pull a model",
      description:
        "Starts pulling `name` on the worker's Ollama, or answers the pull of it already running. Follow it with GET /api/ollama/pulls/{id}/events. A name the Ollama library does not know is a 400 on `body.name`; failures later in the download (disk full, interrupted) end the pull `failed` with a reason, and pulling again resumes from the bytes on disk. Hosted mode: needs admin.",
      middleware: [requireJson] as const,
      request: { body: jsonBody(OllamaPullCreate) },
      responses: {
        202: json(OllamaPull, "The pull, running"),
        403: problem("Hosted mode, and the caller is not an admin"),
        415: problem("The body is not JSON"),
        503: problem("Ollama is not ready or did not answer, or no worker offers it"),
        ...commonErrors,
      },
    }),
    async (c) => {
      requireHostAdmin(c, deps);
      const { response } = await call("/pulls", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(c.req.valid("json")),
      });
      return c.json((await answerOf(response, OllamaPull)) as never, 202);
    },
  );

  app.openapi(
    createRoute({
      method: "delete",
      path: "/api/ollama/models",
      tags,
      summary: "Delete a local model",
      description: "Removes the model from the worker's Ollama (`/api/delete`). Hosted mode: needs admin.",
      request: { query: z.object({ name: OllamaModelName }) },
      responses: {
        204: { description: "Deleted" },
        403: problem("Hosted mode, and the caller is not an admin"),
        404: problem("Ollama has no model of that name"),
        409: problem("The model is being pulled"),
        503: noWorker,
        ...commonErrors,
      },
    }),
    async (c) => {
      requireHostAdmin(c, deps);
      const { name } = c.req.valid("query");
      const { response } = await call(`/models?name=${encodeURIComponent(name)}`, { method: "DELETE" });
      if (!response.ok) await answerOf(response, z.unknown());
      await response.body?.cancel();
      return c.body(null, 204) as never;
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/api/ollama/pulls",
      tags,
      summary: "List pulls",
      description:
        "Running pulls first, then those finished in the last hour; a reloaded page finds its pulls here.",
      responses: {
        200: json(z.object({ items: z.array(OllamaPull) }).meta({ id: "OllamaPullList" }), "The pulls"),
        503: noWorker,
        ...commonErrors,
      },
    }),
    async (c) => {
      const { response } = await call("/pulls");
      return c.json((await answerOf(response, z.object({ items: z.array(OllamaPull) }))) as never, 200);
    },
  );

  const PullParams = z.object({ id: OllamaPullId });

  app.openapi(
    createRoute({
      method: "get",
      path: "/api/ollama/pulls/{id}",
      tags,
      summary: "Get a pull",
      request: { params: PullParams },
      responses: { 200: json(OllamaPull, "The pull"), 404: pullNotFound, 503: noWorker, ...commonErrors },
    }),
    async (c) => {
      const { response } = await call(`/pulls/${c.req.valid("param").id}`);
      return c.json((await answerOf(response, OllamaPull)) as never, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "delete",
      path: "/api/ollama/pulls/{id}",
      tags,
      summary: "Cancel a pull",
      description:
        "Aborts the pull's stream from Ollama; the pull ends `cancelled`. Ollama keeps the bytes downloaded, so pulling the model again resumes. A finished pull is answered as it is. Hosted mode: needs admin.",
      request: { params: PullParams },
      responses: {
        200: json(OllamaPull, "The pull, cancelled"),
        403: problem("Hosted mode, and the caller is not an admin"),
        404: pullNotFound,
        503: noWorker,
        ...commonErrors,
      },
    }),
    async (c) => {
      requireHostAdmin(c, deps);
      const { response } = await call(`/pulls/${c.req.valid("param").id}`, { method: "DELETE" });
      return c.json((await answerOf(response, OllamaPull)) as never, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/api/ollama/pulls/{id}/events",
      tags,
      summary: "Follow a pull (Server-Sent Events)",
      description:
        "`progress` events, each a whole OllamaPull snapshot (`id` = its seq): the current state at once, then at most ten a second (phase and layer changes at once) until the pull ends, then an `end` event. The state lives on the worker, so a client that reconnects (a reloaded page) sees where the pull is now and then the rest; nothing needs replaying.",
      request: { params: PullParams },
      responses: {
        200: {
          description: "The event stream",
          content: {
            "text/event-stream": {
              schema: z.string().meta({
                description: "SSE: event = progress (data = OllamaPull) … then end (data = {status})",
              }),
            },
          },
        },
        404: pullNotFound,
        503: noWorker,
        ...commonErrors,
      },
    }),
    async (c) => {
      const { response } = await call(`/pulls/${c.req.valid("param").id}/events`, {
        headers: { accept: "text/event-stream" },
        signal: c.req.raw.signal,
      });
      if (!response.ok) await answerOf(response, z.unknown());
      return new Response(response.body, {
        status: 200,
        headers: {
          "content-type": "text/event-stream",
          "cache-control": "no-cache",
          // Proxies (Nginx) must pass each event on at once.
          "x-accel-buffering": "no",
        },
      }) as never;
    },
  );
}
