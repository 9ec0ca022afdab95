import { Agent, request as httpRequest, type IncomingHttpHeaders } from "node:http";
import { Readable } from "node:stream";
import {
  AgentOsError,
  HOP_BY_HOP_HEADERS,
  NotFound,
  stripStudioCredentials,
  Unavailable,
  type Worker,
} from "@agentos/core";
import type { Repositories } from "@agentos/db";
import type {
  ExecChunk,
  ExecEvent,
  ExecRequest,
  ExecResult,
  SandboxFileEntry,
  SandboxProvider,
} from "@agentos/runtime/sandbox";
import { hasRecentHeartbeat } from "./worker-client";

/** No worker host with Docker is online (as opposed to one that did not answer). */
export class NoWorkerOnline extends Unavailable {}

/** Which worker a call goes to: the host of an existing sandbox, or the best one for a new sandbox. */
export type WorkerTarget = { sandboxId: string } | { agentId: string } | "new";

/**
 * How web and the headless server reach sandboxes: the worker host that owns each one (found
 * through `sandboxes.workerId` and the `workers` table) over its internal API, and sandbox sites
 * directly on their published ports.
 */
export interface SandboxWorkers {
  /**
   * Calls `/internal/workspaces/<workspaceId><path>` on the target worker with the worker token.
   * Worker failures come back as thrown typed errors; the worker's own problem answers are returned.
   */
  call(workspaceId: string, target: WorkerTarget, path: string, init?: RequestInit): Promise<Response>;
  /** Forwards a request to the site published on `hostPort`, streaming both ways. */
  proxySite(request: Request, site: { host: string; hostPort: number; path: string }): Promise<Response>;
}

export interface SandboxWorkersOptions {
  repos: Repositories;
  /** The worker token, read when needed (the local worker writes it into the data dir at its start). */
  token(): string | null;
  /** Where published sandbox ports are reached (SANDBOX_BACKEND_HOST). */
  backendHost: string;
}

/** The HTTP client of the workers' sandbox API, plus site forwarding; see `SandboxWorkers`. */
export function createSandboxWorkers(options: SandboxWorkersOptions): SandboxWorkers {
  const { repos } = options;
  const siteAgent = new Agent({ keepAlive: true, maxSockets: 256, maxFreeSockets: 32 });

  const isLive = (w: Worker, now: number) =>
    w.status !== "gone" && w.capabilities.docker && hasRecentHeartbeat(w, now);

  async function pickWorker(workspaceId: string, target: WorkerTarget): Promise<Worker> {
    const now = Date.now();
    const workers = await repos.workers.list();
    if (target !== "new") {
      const row =
        "sandboxId" in target
          ? await repos.sandboxStore.find(workspaceId, target.sandboxId)
          : await repos.sandboxStore.findForAgent(workspaceId, target.agentId);
      if (!row && "sandboxId" in target) throw new NotFound("sandbox", target.sandboxId);
      const owner = workers.find((w) => w.id === row?.workerId);
      if (owner && isLive(owner, now)) return owner;
    }
    // A new sandbox, or one whose worker is gone: the least loaded live worker (a worker on the
    // same Docker engine adopts the sandbox's container; elsewhere it starts a fresh one).
    const candidates = workers.filter((w) => isLive(w, now) && w.status === "online");
    if (candidates.length === 0) {
      throw new NoWorkerOnline(
        "No worker host with Docker is online to run sandboxes. Start one (`./run worker`, with dockerd running) and try again.",
      );
    }
    const load = await repos.sandboxStore.countLiveByWorker();
    return candidates.reduce((best, w) => ((load.get(w.id) ?? 0) < (load.get(best.id) ?? 0) ? w : best));
  }

  async function call(workspaceId: string, target: WorkerTarget, path: string, init: RequestInit = {}) {
    const token = options.token();
    if (!token) {
      throw new Unavailable(
        "No worker token: start the worker (it writes <AGENTOS_DATA_DIR>/worker.token) or set WORKER_TOKEN to the workers' token.",
      );
    }
    const worker = await pickWorker(workspaceId, target);
    const headers = new Headers(init.headers);
    headers.set("authorization", `Bearer ${token}`);
    let response: Response;
    try {
      response = await fetch(`${worker.baseUrl}/internal/workspaces/${workspaceId}${path}`, {
        ...init,
        headers,
        ...(init.body instanceof ReadableStream ? { duplex: "half" } : {}),
      } as RequestInit);
    } catch (error) {
      throw new Unavailable(
        `Worker ${worker.id} at ${worker.baseUrl} did not answer (${(error as Error).message}); check that it is running.`,
        { cause: error },
      );
    }
    if (response.status === 401) {
      await response.body?.cancel();
      throw new Unavailable(
        `Worker ${worker.id} refused this Studio's worker token: give web, the server and every worker the same WORKER_TOKEN.`,
      );
    }
    return response;
  }

  function proxySite(request: Request, site: { host: string; hostPort: number; path: string }) {
    const headers: Record<string, string> = Object.fromEntries(request.headers);
    stripStudioCredentials(headers);
    const connectionNamed = new Set(
      (request.headers.get("connection") ?? "").split(",").map((h) => h.trim().toLowerCase()),
    );
    for (const name of Object.keys(headers)) {
      if (HOP_BY_HOP_HEADERS.has(name) || connectionNamed.has(name) || name === "x-sandbox-host") {
        delete headers[name];
      }
    }
    headers.host = site.host;
    headers["x-forwarded-host"] ??= site.host;
    headers["x-forwarded-proto"] ??= new URL(request.url).protocol.replace(":", "");
    const hasBody = request.body !== null && request.method !== "GET" && request.method !== "HEAD";
    return new Promise<Response>((resolve, reject) => {
      const outgoing = httpRequest(
        {
          host: options.backendHost,
          port: site.hostPort,
          method: request.method,
          path: site.path,
          headers,
          agent: siteAgent,
        },
        (incoming) => {
          const status = incoming.statusCode ?? 502;
          const isBodiless = request.method === "HEAD" || status === 204 || status === 304;
          resolve(
            new Response(isBodiless ? null : (Readable.toWeb(incoming) as ReadableStream<Uint8Array>), {
              status,
              statusText: incoming.statusMessage ?? "",
              headers: responseHeaders(incoming.headers),
            }),
          );
        },
      );
      outgoing.once("error", reject);
      request.signal?.addEventListener("abort", () => outgoing.destroy(), { once: true });
      if (hasBody && request.body) Readable.fromWeb(request.body as never).pipe(outgoing);
      else outgoing.end();
    });
  }

  return { call, proxySite };
}

function responseHeaders(raw: IncomingHttpHeaders): Headers {
  const connectionNamed = new Set(
    String(raw.connection ?? "")
      .split(",")
      .map((h) => h.trim().toLowerCase()),
  );
  const headers = new Headers();
  for (const [name, value] of Object.entries(raw)) {
    if (value === undefined || HOP_BY_HOP_HEADERS.has(name) || connectionNamed.has(name)) continue;
    for (const v of Array.isArray(value) ? value : [value]) headers.append(name, v);
  }
  return headers;
}

interface ProblemBody {
  title?: string;
  code?: string;
  detail?: string;
  errors?: Array<{ path: string; message: string }>;
}

/** Throws the problem a worker answered with, keeping its status, title and code. */
async function failOn(response: Response): Promise<Response> {
  if (response.ok) return response;
  const problem = ((await response.json().catch(() => null)) ?? {}) as ProblemBody;
  throw new WorkerProblem(response.status, problem);
}

/** A problem answered by a worker, re-thrown in this process with the same status, title and code. */
export class WorkerProblem extends AgentOsError {
  readonly status: number;
  readonly code: string;
  readonly title: string;
  constructor(status: number, problem: ProblemBody) {
    super(
      problem.detail ?? `The worker answered ${status}.`,
      problem.errors ? { errors: problem.errors } : {},
    );
    this.status = status;
    this.code = problem.code ?? "worker";
    this.title = problem.title ?? "Sandbox operation failed";
  }
}

/**
 * The run engine's `SandboxProvider` for processes without Docker (web, the headless server):
 * every call goes to the worker that hosts the sandbox.
 */
export function createRemoteSandboxProvider(workers: SandboxWorkers): SandboxProvider {
  const json = (body: unknown): RequestInit => ({
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  const fileUrl = (sandboxId: string, path: string, suffix = "") =>
    `/sandboxes/${sandboxId}/files${suffix}?path=${encodeURIComponent(path)}`;
  return {
    async sandboxForAgent(workspaceId, agentId, policy) {
      const response = await failOn(
        await workers.call(workspaceId, { agentId }, `/agents/${agentId}/sandbox`, json({ policy })),
      );
      return { sandboxId: ((await response.json()) as { id: string }).id };
    },
    async exec(workspaceId, sandboxId, request: ExecRequest, options) {
      const response = await failOn(
        await workers.call(workspaceId, { sandboxId }, `/sandboxes/${sandboxId}/exec`, {
          ...json(request),
          ...(options?.signal ? { signal: options.signal } : {}),
        }),
      );
      return readExecEvents(response, options?.onChunk);
    },
    async writeFile(workspaceId, sandboxId, path, content) {
      await failOn(
        await workers.call(workspaceId, { sandboxId }, fileUrl(sandboxId, path, "/content"), {
          method: "PUT",
          headers: { "content-type": "application/octet-stream" },
          body: content as Uint8Array<ArrayBuffer>,
        }),
      );
    },
    async readFile(workspaceId, sandboxId, path) {
      const response = await failOn(
        await workers.call(workspaceId, { sandboxId }, fileUrl(sandboxId, path, "/content")),
      );
      return new Uint8Array(await response.arrayBuffer());
    },
    async listFiles(workspaceId, sandboxId, path) {
      const response = await failOn(await workers.call(workspaceId, { sandboxId }, fileUrl(sandboxId, path)));
      return ((await response.json()) as { items: SandboxFileEntry[] }).items;
    },
  };
}

/** Reads an NDJSON exec stream, passing chunks on as they arrive. */
export async function readExecEvents(
  response: Response,
  onChunk?: (chunk: ExecChunk) => void,
): Promise<ExecResult> {
  if (!response.body) throw new WorkerProblem(502, { detail: "The worker's exec answer had no body." });
  const decoder = new TextDecoder();
  let buffered = "";
  for await (const part of response.body as unknown as AsyncIterable<Uint8Array>) {
    buffered += decoder.decode(part, { stream: true });
    for (let newline = buffered.indexOf("\n"); newline >= 0; newline = buffered.indexOf("\n")) {
      const line = buffered.slice(0, newline);
      buffered = buffered.slice(newline + 1);
      if (!line) continue;
      const event = JSON.parse(line) as ExecEvent;
      if (event.type === "chunk") onChunk?.({ stream: event.stream, text: event.text });
      else if (event.type === "error") throw new WorkerProblem(event.status, event);
      else {
        const { type: _type, ...result } = event;
        return result;
      }
    }
  }
  throw new WorkerProblem(502, { detail: "The worker's exec stream ended without a result." });
}
