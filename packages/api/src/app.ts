import { OpenAPIHono } from "@hono/zod-openapi";
import { Scalar } from "@scalar/hono-api-reference";
import { cors } from "hono/cors";
import { requestId } from "hono/request-id";
import { governRequests, registerAuthRoutes } from "./auth/mount";
import { registerTenancyRoutes } from "./auth/routes";
import type { ApiDeps, ApiEnv } from "./context";
import { limitBody, resolvePrincipal } from "./middleware";
import { type ApiOps, accessLog, registerOpsRoutes } from "./ops";
import { problemJson, problemOf, validationProblem } from "./problem";
import { registerCatalogRoutes } from "./resources/catalog";
import { registerChatRoutes } from "./resources/chat";
import { registerFileRoutes } from "./resources/files";
import { registerLlmTestRoutes } from "./resources/llm-test";
import { registerMessageRoutes } from "./resources/messages";
import { registerOllamaRoutes } from "./resources/ollama";
import { registerRunRoutes } from "./resources/runs";
import { isSandboxFileUpload, registerSandboxRoutes, registerSandboxSiteRoutes } from "./resources/sandboxes";
import { registerStatsRoutes } from "./resources/stats";
import { registerSystemRoutes } from "./resources/system";

const PUBLIC_PATHS = new Set(["/api/health", "/api/ready", "/api/openapi.json", "/api/docs"]);

export const OPENAPI_INFO = {
  title: "AgentOS Studio API",
  description:
    "The contract API of AgentOS Studio: agents, tools, MCP servers, workflows, models, runs, conversations, feedback, files and stats. Errors are application/problem+json (RFC 9457).",
};

export type Api = OpenAPIHono<ApiEnv>;

/**
 * The contract API as one Hono app; Next.js and the headless server only mount it. With `ops`, it
 * also logs each request, counts it in /metrics, and serves /api/ready and the admin backups.
 */
export function createApi(deps: ApiDeps, ops?: ApiOps): Api {
  const app = new OpenAPIHono<ApiEnv>({
    defaultHook: (result, c) => {
      if (!result.success) return problemJson(c, validationProblem(result.error, result.target));
    },
  });

  app.onError((error, c) => {
    const problem = problemOf(error);
    if (problem.status >= 500 && ops) {
      ops.logger.error(
        { reqId: c.get("requestId"), method: c.req.method, path: c.req.path, err: error },
        "failed",
      );
    } else if (problem.status >= 500)
      console.error(`[api] ${c.req.method} ${c.req.path} failed (${c.get("requestId")}):`, error);
    return problemJson(c, problem);
  });
  app.notFound((c) =>
    problemJson(c, {
      type: "https://agentos.dev/problems/not_found",
      title: "Not found",
      status: 404,
      code: "not_found",
      detail: `No endpoint ${c.req.method} ${c.req.path}. See /api/docs for the API reference.`,
    }),
  );

  // Public, and free of the JSON body limit: called by reverse proxies in front of Studio.
  registerSandboxSiteRoutes(app, deps);
  app.use("*", requestId());
  if (ops) app.use("*", accessLog(ops.logger), ops.metrics.middleware);
  if (deps.config.corsOrigins.length > 0) {
    app.use(
      "/api/*",
      cors({ origin: deps.config.corsOrigins, credentials: true, exposeHeaders: ["X-Request-Id"] }),
    );
  }
  const jsonLimit = limitBody(deps.config.bodyLimitBytes, "request body");
  app.use("/api/*", async (c, next) => {
    // Uploads carry their own, larger limit (the workspace's fileMaxBytes).
    if (c.req.method === "POST" && c.req.path === "/api/files") return next();
    if (isSandboxFileUpload(c.req.method, c.req.path)) return next();
    return jsonLimit(c, next);
  });
  registerAuthRoutes(app, deps);
  const principal = resolvePrincipal(deps);
  app.use("/api/*", async (c, next) => (PUBLIC_PATHS.has(c.req.path) ? next() : principal(c, next)));
  app.use(
    "/api/*",
    governRequests(deps, (path) => PUBLIC_PATHS.has(path)),
  );

  registerSystemRoutes(app, deps);
  registerOpsRoutes(app, deps, ops ?? null);
  registerCatalogRoutes(app, deps);
  registerLlmTestRoutes(app, deps);
  registerMessageRoutes(app, deps);
  registerChatRoutes(app, deps);
  registerRunRoutes(app, deps);
  registerFileRoutes(app, deps);
  registerStatsRoutes(app, deps);
  registerSandboxRoutes(app, deps);
  registerOllamaRoutes(app, deps);
  registerTenancyRoutes(app, deps);

  app.openAPIRegistry.registerComponent("securitySchemes", "bearer", {
    type: "http",
    scheme: "bearer",
    description:
      "An API token from Settings → API tokens (scopes read, write, run, admin), or an OAuth access token of an MCP client. Optional in local mode on loopback; a hosted Studio also accepts its session cookie.",
  });
  app.doc31("/api/openapi.json", () => openApiConfig(deps.config.version));
  app.get("/api/docs", Scalar({ url: "/api/openapi.json", pageTitle: "AgentOS Studio API" }));
  return app;
}

function openApiConfig(version: string) {
  return {
    openapi: "3.1.0",
    info: { ...OPENAPI_INFO, version },
    security: [{ bearer: [] }],
  };
}

/** The OpenAPI 3.1 document of the contract, as served at /api/openapi.json. */
export function openApiDocument(app: Api, version: string) {
  return app.getOpenAPI31Document(openApiConfig(version));
}
