import {
  Conflict,
  HOSTNAME,
  Id,
  Invalid,
  NotFound,
  Sandbox,
  SandboxCreate,
  SandboxState,
  SiteBinding,
  SiteBindingCreate,
  Unavailable,
} from "@agentos/core";
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { ApiDeps, ApiEnv } from "../context";
import { limitBody, requireJson } from "../middleware";
import { commonErrors, IdParams, json, jsonBody, ListQuery, pageOf, problem } from "../openapi-schemas";
import { problemJson } from "../problem";
import { NoWorkerOnline, type SandboxWorkers, type WorkerTarget } from "../sandbox-client";
import { requireReferences } from "./service";

const SandboxSchema = Sandbox.meta({ id: "Sandbox" });
const SiteBindingSchema = SiteBinding.meta({ id: "SiteBinding" });
const notFound = problem("No such sandbox in this workspace");
const noWorker = problem("No worker host with Docker is online, or the sandbox's worker did not answer");

const EnvName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "must be an environment variable name");

export const SandboxExecInput = z
  .object({
    command: z
      .union([
        z.string().min(1).max(100_000).meta({ description: "Run by /bin/sh -c" }),
        z
          .array(z.string().max(100_000))
          .min(1, "must name a program")
          .max(1000)
          .meta({ description: "argv, no shell" }),
      ])
      .meta({ example: "python3 -c 'print(1+1)'" }),
    stdin: z
      .string()
      .max(16 * 1024 * 1024)
      .optional(),
    env: z.record(EnvName, z.string().max(32_000)).optional().meta({ description: "Over the sandbox's env" }),
    workdir: z.string().startsWith("/", "must be an absolute path").max(4096).optional().meta({
      description: "Default /workspace",
    }),
    timeoutMs: z.number().int().min(100).max(3_600_000).optional().meta({
      description: "The process tree is killed after this; default the sandbox policy's execTimeoutMs",
    }),
    outputLimitBytes: z
      .number()
      .int()
      .min(0)
      .max(16 * 1024 * 1024)
      .default(1024 * 1024)
      .meta({ description: "Bytes kept per stream; the rest is dropped and `truncated` set" }),
  })
  .meta({ id: "SandboxExecInput" });

const ExecResultShape = {
  exitCode: z.number().int().nullable(),
  timedOut: z.boolean(),
  truncated: z.boolean(),
  stdout: z.string(),
  stderr: z.string(),
  durationMs: z.number().int(),
};

export const SandboxExecEvent = z
  .discriminatedUnion("type", [
    z.object({ type: z.literal("chunk"), stream: z.enum(["stdout", "stderr"]), text: z.string() }),
    z.object({ type: z.literal("result"), ...ExecResultShape }),
    z.object({
      type: z.literal("error"),
      status: z.number().int(),
      title: z.string(),
      detail: z.string(),
      code: z.string(),
    }),
  ])
  .meta({
    id: "SandboxExecEvent",
    description: "One NDJSON line of an exec: chunks as output comes, then one result (or one error)",
  });

export const SandboxFileEntry = z
  .object({
    name: z.string(),
    path: z.string(),
    type: z.enum(["file", "directory", "symlink", "other"]),
    size: z.number().int(),
    modifiedAt: z.string(),
  })
  .meta({ id: "SandboxFileEntry" });

const PathQuery = z.object({
  path: z
    .string()
    .min(1)
    .max(4096)
    .meta({ description: "Absolute path in the sandbox", example: "/workspace" }),
});
const BindingParams = IdParams.extend({ bindingId: Id });
/** How long a site's status check waits for an answer. */
const SITE_CHECK_TIMEOUT_MS = 5000;

/** Whether a request is a sandbox file upload, which carries the workspace's file limit, not the JSON one. */
export function isSandboxFileUpload(method: string, path: string): boolean {
  return method === "PUT" && /^\/api\/sandboxes\/[^/]+\/files\/content$/.test(path);
}

function workersOf(deps: ApiDeps): SandboxWorkers {
  if (!deps.sandboxes) {
    throw new Unavailable(
      "This process has no route to worker hosts, so sandboxes are unavailable here. Run the Studio or headless server with a worker.",
    );
  }
  return deps.sandboxes;
}

/** Hands a worker's answer to the client: bodies stream through, problems keep their status. */
function relay(response: Response): Response {
  const headers = new Headers();
  for (const name of ["content-type", "content-length", "content-disposition", "cache-control"]) {
    const value = response.headers.get(name);
    if (value) headers.set(name, value);
  }
  return new Response(response.body, { status: response.status, headers });
}

/**
 * Sandboxes (list, create, get, start, stop, delete, exec, files) and their site bindings. Reads
 * come from the database; everything that touches a container goes to the worker host that owns
 * the sandbox, over its internal API.
 */
export function registerSandboxRoutes(app: OpenAPIHono<ApiEnv>, deps: ApiDeps): void {
  const { repos } = deps;
  const forward = (c: Context<ApiEnv>, target: WorkerTarget, path: string, init?: RequestInit) =>
    workersOf(deps).call(c.get("principal").workspaceId, target, path, init).then(relay);
  const jsonInit = (method: string, body: unknown): RequestInit => ({
    method,
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });

  app.openapi(
    createRoute({
      method: "get",
      path: "/api/sandboxes",
      tags: ["Sandboxes"],
      summary: "List sandboxes",
      request: {
        query: ListQuery.omit({ q: true }).extend({ agentId: Id.optional(), state: SandboxState.optional() }),
      },
      responses: { 200: json(pageOf(SandboxSchema, "SandboxPage"), "A page of sandboxes"), ...commonErrors },
    }),
    async (c) => {
      const { limit, cursor, sort, ...filters } = c.req.valid("query");
      const page = await repos.sandboxes.list(c.get("principal").workspaceId, {
        limit,
        cursor,
        sort,
        filters,
      });
      return c.json(page as never, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/api/sandboxes",
      tags: ["Sandboxes"],
      summary: "Create a sandbox",
      description:
        "A container on a worker host with the policy's image and limits, network off unless `policy.network`. Answers once it runs (from the warm pool when one matches).",
      middleware: [requireJson] as const,
      request: { body: jsonBody(SandboxCreate.meta({ id: "SandboxCreate" })) },
      responses: {
        201: json(SandboxSchema, "The running sandbox"),
        415: problem("The body is not JSON"),
        503: noWorker,
        ...commonErrors,
      },
    }),
    async (c) => {
      const input = c.req.valid("json");
      const { workspaceId } = c.get("principal");
      await requireReferences(repos, workspaceId, [
        ["body.agentId", "agents", input.agentId],
        ["body.runId", "runs", input.runId],
      ]);
      return forward(c, "new", "/sandboxes", jsonInit("POST", input)) as never;
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/api/sandboxes/{id}",
      tags: ["Sandboxes"],
      summary: "Get a sandbox",
      request: { params: IdParams },
      responses: { 200: json(SandboxSchema, "The sandbox"), 404: notFound, ...commonErrors },
    }),
    async (c) =>
      c.json(
        (await repos.sandboxes.get(c.get("principal").workspaceId, c.req.valid("param").id)) as never,
        200,
      ),
  );

  for (const action of ["start", "stop"] as const) {
    app.openapi(
      createRoute({
        method: "post",
        path: `/api/sandboxes/{id}/${action}`,
        tags: ["Sandboxes"],
        summary: action === "start" ? "Start a sandbox" : "Stop a sandbox",
        description:
          action === "start"
            ? "Starts a stopped sandbox; a `missing` one gets a new, empty container."
            : "Stops the container; files in /workspace are kept.",
        request: { params: IdParams },
        responses: {
          200: json(SandboxSchema, "The sandbox"),
          404: notFound,
          409: problem("The sandbox was deleted"),
          503: noWorker,
          ...commonErrors,
        },
      }),
      async (c) => {
        const { id } = c.req.valid("param");
        return forward(c, { sandboxId: id }, `/sandboxes/${id}/${action}`, { method: "POST" }) as never;
      },
    );
  }

  app.openapi(
    createRoute({
      method: "delete",
      path: "/api/sandboxes/{id}",
      tags: ["Sandboxes"],
      summary: "Delete a sandbox",
      description:
        "Removes the container, its files and its site bindings; the sandbox stays listed as `removed`.",
      request: { params: IdParams },
      responses: { 204: { description: "Deleted" }, 404: notFound, ...commonErrors },
    }),
    async (c) => {
      const { workspaceId } = c.get("principal");
      const { id } = c.req.valid("param");
      const sandbox = await repos.sandboxes.get(workspaceId, id);
      if (sandbox.state === "removed") return c.body(null, 204);
      try {
        return (await forward(c, { sandboxId: id }, `/sandboxes/${id}`, { method: "DELETE" })) as never;
      } catch (error) {
        if (!(error instanceof NoWorkerOnline)) throw error;
        // No worker is left to remove the container: forget the sandbox now; the next worker on
        // that Docker engine removes the container as an orphan when it reconciles.
        await repos.sandboxStore.deleteBindingsOf(id);
        await repos.sandboxStore.update(id, { state: "removed", stateReason: null, containerId: null });
        return c.body(null, 204);
      }
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/api/sandboxes/{id}/exec",
      tags: ["Sandboxes"],
      summary: "Run a command in a sandbox",
      description:
        "Streams NDJSON (`application/x-ndjson`): `chunk` lines with stdout/stderr as they come, then one `result` line (exit code, timedOut, truncated, the kept output). Starts a stopped sandbox first. Closing the connection kills the command.",
      middleware: [requireJson] as const,
      request: { params: IdParams, body: jsonBody(SandboxExecInput) },
      responses: {
        200: {
          description: "The exec's events, one JSON object per line",
          content: { "application/x-ndjson": { schema: SandboxExecEvent } },
        },
        404: notFound,
        409: problem("The sandbox was deleted"),
        415: problem("The body is not JSON"),
        503: noWorker,
        ...commonErrors,
      },
    }),
    async (c) => {
      const { id } = c.req.valid("param");
      return forward(c, { sandboxId: id }, `/sandboxes/${id}/exec`, {
        ...jsonInit("POST", c.req.valid("json")),
        signal: c.req.raw.signal,
      }) as never;
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/api/sandboxes/{id}/files",
      tags: ["Sandboxes"],
      summary: "List a directory of a sandbox",
      request: { params: IdParams, query: PathQuery },
      responses: {
        200: json(z.object({ items: z.array(SandboxFileEntry) }), "The directory's entries, by name"),
        404: problem("No such sandbox or path"),
        503: noWorker,
        ...commonErrors,
      },
    }),
    async (c) => {
      const { id } = c.req.valid("param");
      const { path } = c.req.valid("query");
      return forward(
        c,
        { sandboxId: id },
        `/sandboxes/${id}/files?path=${encodeURIComponent(path)}`,
      ) as never;
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/api/sandboxes/{id}/files/content",
      tags: ["Sandboxes"],
      summary: "Download a file from a sandbox",
      request: { params: IdParams, query: PathQuery },
      responses: {
        200: {
          description: "The file's bytes",
          content: { "application/octet-stream": { schema: z.string().meta({ format: "binary" }) } },
        },
        404: problem("No such sandbox or file"),
        503: noWorker,
        ...commonErrors,
      },
    }),
    async (c) => {
      const { id } = c.req.valid("param");
      const { path } = c.req.valid("query");
      return forward(
        c,
        { sandboxId: id },
        `/sandboxes/${id}/files/content?path=${encodeURIComponent(path)}`,
      ) as never;
    },
  );

  app.openapi(
    createRoute({
      method: "put",
      path: "/api/sandboxes/{id}/files/content",
      tags: ["Sandboxes"],
      summary: "Upload a file into a sandbox",
      description:
        "The raw body becomes the file (parents are created, owned by the sandbox user). Up to the workspace's fileMaxBytes.",
      middleware: [
        async (c, next) => {
          const { fileMaxBytes } = await repos.settings.get(c.get("principal").workspaceId);
          return limitBody(fileMaxBytes, "file")(c, next);
        },
      ] as const,
      request: {
        params: IdParams,
        query: PathQuery,
        body: {
          required: true,
          content: { "application/octet-stream": { schema: z.string().meta({ format: "binary" }) } },
        },
      },
      responses: {
        201: json(z.object({ path: z.string(), size: z.number().int() }), "The file was written"),
        404: notFound,
        413: problem("The file is larger than the workspace's limit"),
        503: noWorker,
        ...commonErrors,
      },
    }),
    async (c) => {
      const { id } = c.req.valid("param");
      const { path } = c.req.valid("query");
      return forward(
        c,
        { sandboxId: id },
        `/sandboxes/${id}/files/content?path=${encodeURIComponent(path)}`,
        {
          method: "PUT",
          headers: { "content-type": "application/octet-stream" },
          body: await c.req.arrayBuffer(),
        },
      ) as never;
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/api/sandboxes/{id}/site-bindings",
      tags: ["Sandbox sites"],
      summary: "List a sandbox's site bindings",
      request: { params: IdParams },
      responses: {
        200: json(z.object({ items: z.array(SiteBindingSchema) }), "Bindings, oldest first"),
        404: notFound,
        ...commonErrors,
      },
    }),
    async (c) => {
      const { workspaceId } = c.get("principal");
      const { id } = c.req.valid("param");
      await repos.sandboxes.getRow(workspaceId, id);
      return c.json({ items: await repos.sandboxStore.bindingsOf(id) } as never, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/api/sandboxes/{id}/site-bindings",
      tags: ["Sandbox sites"],
      summary: "Bind a host name to a sandbox port",
      description:
        "Allocates a host port from SANDBOX_PORT_START–SANDBOX_PORT_END and publishes the container port on it (a running sandbox is re-created with the mapping; its /workspace files are kept). Requests whose Host is `host` then reach the port through the worker's domain proxy, or through /api/sandbox-proxy with X-Sandbox-Host.",
      middleware: [requireJson] as const,
      request: { params: IdParams, body: jsonBody(SiteBindingCreate.meta({ id: "SiteBindingCreate" })) },
      responses: {
        201: json(SiteBindingSchema, "The binding, with its host port"),
        404: notFound,
        409: problem("The host is already bound, or the sandbox has network off"),
        415: problem("The body is not JSON"),
        503: problem("No free host port, or no worker host online"),
        ...commonErrors,
      },
    }),
    async (c) => {
      const { id } = c.req.valid("param");
      return forward(
        c,
        { sandboxId: id },
        `/sandboxes/${id}/site-bindings`,
        jsonInit("POST", c.req.valid("json")),
      ) as never;
    },
  );

  app.openapi(
    createRoute({
      method: "delete",
      path: "/api/sandboxes/{id}/site-bindings/{bindingId}",
      tags: ["Sandbox sites"],
      summary: "Delete a site binding",
      description: "The host stops resolving at once and the port is unpublished.",
      request: { params: BindingParams },
      responses: { 204: { description: "Deleted" }, 404: problem("No such binding"), ...commonErrors },
    }),
    async (c) => {
      const { id, bindingId } = c.req.valid("param");
      return forward(c, { sandboxId: id }, `/sandboxes/${id}/site-bindings/${bindingId}`, {
        method: "DELETE",
      }) as never;
    },
  );

  const SiteStatus = z
    .object({
      answering: z.boolean().meta({ description: "The site answered GET / (any HTTP status counts)" }),
      httpStatus: z.number().int().nullable().meta({ description: "The site's status for GET /" }),
      ms: z.number().meta({ description: "How long the check took" }),
      detail: z.string().nullable().meta({ description: "Why the site is not answering" }),
      checkedAt: z.string(),
    })
    .meta({ id: "SiteBindingStatus" });

  app.openapi(
    createRoute({
      method: "get",
      path: "/api/sandboxes/{id}/site-bindings/{bindingId}/status",
      tags: ["Sandbox sites"],
      summary: "Check whether a bound site answers",
      description:
        "The server sends `GET /` to the site the way a visitor's request arrives (Host = the bound host), with none of the caller's headers or credentials, and reports whether anything answered within 5 s. A site that answers with an error status still counts as answering.",
      request: { params: BindingParams },
      responses: {
        200: json(SiteStatus, "Whether the site answers"),
        404: problem("No such sandbox or binding"),
        ...commonErrors,
      },
    }),
    async (c) => {
      const { workspaceId } = c.get("principal");
      const { id, bindingId } = c.req.valid("param");
      await repos.sandboxes.getRow(workspaceId, id);
      const binding = (await repos.sandboxStore.bindingsOf(id)).find((b) => b.id === bindingId);
      if (!binding) throw new NotFound("site binding", bindingId);
      const started = performance.now();
      const checkedAt = new Date().toISOString();
      const probe = new Request(`http://${binding.host}/`, {
        headers: { accept: "*/*", "user-agent": "AgentOS-site-check" },
        signal: AbortSignal.timeout(SITE_CHECK_TIMEOUT_MS),
      });
      try {
        const response = await workersOf(deps).proxySite(probe, {
          host: binding.host,
          hostPort: binding.hostPort,
          path: "/",
        });
        await response.body?.cancel();
        const ms = Math.round(performance.now() - started);
        return c.json({ answering: true, httpStatus: response.status, ms, detail: null, checkedAt }, 200);
      } catch (error) {
        const ms = Math.round(performance.now() - started);
        const detail = `Nothing answered on port ${binding.containerPort} (${(error as Error).message}): the sandbox may be stopped, or no server listens there yet.`;
        return c.json({ answering: false, httpStatus: null, ms, detail, checkedAt }, 200);
      }
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/api/sandbox-site-bindings",
      tags: ["Sandbox sites"],
      summary: "List every site binding of the workspace",
      description: "With `hosts=1`, only the host names (`{hosts: [...]}`), for reverse-proxy configuration.",
      request: {
        query: z.object({
          hosts: z
            .enum(["0", "1", "true", "false"])
            .optional()
            .meta({ description: "1: answer host names only" }),
        }),
      },
      responses: {
        200: json(
          z
            .union([
              z.object({ items: z.array(SiteBindingSchema) }),
              z.object({ hosts: z.array(z.string()) }),
            ])
            .meta({ id: "SiteBindingList" }),
          "Bindings by host name, or the host names alone",
        ),
        ...commonErrors,
      },
    }),
    async (c) => {
      const bindings = await repos.sandboxStore.listBindings(c.get("principal").workspaceId);
      const { hosts } = c.req.valid("query");
      if (hosts === "1" || hosts === "true")
        return c.json({ hosts: bindings.map((b) => b.host) } as never, 200);
      return c.json({ items: bindings } as never, 200);
    },
  );

  registerAgentSandboxRoute(app, deps);
}

/**
 * The routes a reverse proxy in front of Studio calls without credentials: the on-demand TLS
 * check and the `X-Sandbox-Host` site forwarding. Registered before the API's auth and JSON
 * body-limit middleware, which must not apply to them.
 */
export function registerSandboxSiteRoutes(app: OpenAPIHono<ApiEnv>, deps: ApiDeps): void {
  const { repos } = deps;

  app.openapi(
    createRoute({
      method: "get",
      path: "/api/sandbox-site-bindings/check",
      tags: ["Sandbox sites"],
      summary: "Ask whether a host name is bound (on-demand TLS)",
      description:
        "Caddy's `on_demand_tls { ask … }` calls this before getting a certificate: 200 only for a bound host. Needs no credentials.",
      security: [],
      request: { query: z.object({ domain: z.string().min(1).max(253) }) },
      responses: {
        200: json(z.object({ host: z.string() }).meta({ id: "SiteBindingCheck" }), "The host is bound"),
        404: problem("No sandbox site is bound to this host"),
        400: problem("The domain is missing or not a host name"),
      },
    }),
    async (c) => {
      const host = c.req.valid("query").domain.toLowerCase().replace(/\.$/, "");
      const binding = HOSTNAME.test(host) ? await repos.sandboxStore.bindingForHost(host) : undefined;
      if (!binding) throw new NotFound("site", host);
      return c.json({ host: binding.host }, 200);
    },
  );

  const proxyRoute = async (c: Context<ApiEnv>) => {
    const header = c.req.header("x-sandbox-host");
    const host = header?.toLowerCase().replace(/:\d+$/, "").replace(/\.$/, "");
    if (!host || !HOSTNAME.test(host)) {
      throw Invalid.field(
        "header.x-sandbox-host",
        "must be the site's host name; your reverse proxy sets it from the request's Host",
      );
    }
    const binding = await repos.sandboxStore.bindingForHost(host);
    if (!binding) throw new NotFound("site", host);
    const url = new URL(c.req.url);
    const path = `${url.pathname.replace(/^\/api\/sandbox-proxy/, "") || "/"}${url.search}`;
    try {
      return await workersOf(deps).proxySite(c.req.raw, { host, hostPort: binding.hostPort, path });
    } catch (error) {
      return problemJson(c, {
        type: "https://agentos.dev/problems/bad_gateway",
        title: "Sandbox not answering",
        status: 502,
        code: "bad_gateway",
        detail: `The sandbox behind ${host} is not accepting connections (${(error as Error).message}): it may be stopped, or nothing listens on port ${binding.containerPort} yet.`,
      });
    }
  };
  app.all("/api/sandbox-proxy", proxyRoute);
  app.all("/api/sandbox-proxy/*", proxyRoute);
  app.openAPIRegistry.registerPath({
    method: "get",
    path: "/api/sandbox-proxy/{path}",
    tags: ["Sandbox sites"],
    summary: "Reach a sandbox site by X-Sandbox-Host",
    description:
      "Any method: the request (path after /api/sandbox-proxy, query, headers, streamed body) goes to the site bound to the X-Sandbox-Host header, for Caddy, Nginx or Traefik in front of Studio. HTTP only (WebSockets go through the worker's domain proxy). Needs no credentials.",
    security: [],
    request: {
      params: z.object({ path: z.string() }),
      headers: z.object({ "x-sandbox-host": z.string().meta({ example: "app.example.com" }) }),
    },
    responses: {
      200: { description: "The site's answer, as it is" },
      404: problem("No sandbox site is bound to this host"),
      400: problem("X-Sandbox-Host is missing or not a host name"),
      502: problem("The sandbox does not answer"),
    },
  });
}

/** `POST /api/agents/{id}/sandbox`: the agent's sandbox per its policy, created or started as needed. */
function registerAgentSandboxRoute(app: OpenAPIHono<ApiEnv>, deps: ApiDeps): void {
  app.openapi(
    createRoute({
      method: "post",
      path: "/api/agents/{id}/sandbox",
      tags: ["Agents"],
      summary: "Get the agent's sandbox, creating or starting it",
      description:
        "The sandbox the agent's sandbox tool runs code in, per `agent.sandbox` (its policy must be enabled). A changed image, network or limit re-creates the container with the files kept.",
      request: { params: IdParams },
      responses: {
        200: json(SandboxSchema, "The agent's running sandbox"),
        404: problem("No such agent"),
        409: problem("The agent's sandbox policy is disabled"),
        503: noWorker,
        ...commonErrors,
      },
    }),
    async (c) => {
      const { workspaceId } = c.get("principal");
      const { id } = c.req.valid("param");
      const agent = await deps.repos.agents.get(workspaceId, id);
      if (!agent.sandbox.enabled) {
        throw new Conflict(`Agent ${id} has no sandbox: set sandbox.enabled = true on the agent first.`);
      }
      return workersOf(deps)
        .call(workspaceId, { agentId: id }, `/agents/${id}/sandbox`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ policy: agent.sandbox }),
        })
        .then(relay) as never;
    },
  );
}
