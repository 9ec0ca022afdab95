import { problemOf } from "@agentos/api";
import { Unauthorized } from "@agentos/core";
import { Hono, type MiddlewareHandler } from "hono";
import { bearerAuth } from "hono/bearer-auth";
import { HTTPException } from "hono/http-exception";
import { requestId } from "hono/request-id";

export interface WorkerInfo {
  id: string;
  startedAt: string;
  isDraining(): boolean;
}

/** Probes and metrics of the worker host, public like /health. */
export interface WorkerOps {
  /** Prometheus exposition text for /metrics. */
  scrapeMetrics(): Promise<{ body: string; contentType: string }>;
  /** Whether the worker takes work: database reachable, registered, not draining. */
  checkReady(): Promise<{ ready: boolean; detail: string }>;
  /** One structured log line per request, with its request id (X-Request-Id). */
  requestLog?: MiddlewareHandler;
}

/** The worker's HTTP surface: public liveness, and an internal API that requires the worker token. */
export function createWorkerApp(
  info: WorkerInfo,
  token: string,
  internal: { sandboxes?: Hono; ollama?: Hono } = {},
  ops?: WorkerOps,
): Hono {
  const app = new Hono();
  if (ops?.requestLog) app.use("*", requestId(), ops.requestLog);
  app.get("/health", (c) =>
    c.json({ status: info.isDraining() ? "draining" : "ok", workerId: info.id, startedAt: info.startedAt }),
  );
  if (ops) {
    app.get("/ready", async (c) => {
      const { ready, detail } = await ops.checkReady().catch((error: Error) => ({
        ready: false,
        detail: error.message,
      }));
      return c.json({ status: ready ? "ready" : "not_ready", workerId: info.id, detail }, ready ? 200 : 503);
    });
    app.get("/metrics", async (c) => {
      const { body, contentType } = await ops.scrapeMetrics();
      return c.body(body, 200, { "content-type": contentType, "cache-control": "no-store" });
    });
  }
  app.use(
    "/internal/*",
    bearerAuth({
      token,
      noAuthenticationHeader: { message: "missing worker token" },
      invalidToken: { message: "invalid worker token" },
      invalidAuthenticationHeader: { message: "invalid worker token" },
    }),
  );
  app.onError((error, c) => {
    const rejected = error instanceof HTTPException && error.status === 401;
    const problem = problemOf(
      rejected ? new Unauthorized("A valid worker token is required (WORKER_TOKEN).") : error,
    );
    return c.body(JSON.stringify(problem), problem.status as 500, {
      "content-type": "application/problem+json",
    });
  });
  app.get("/internal/info", (c) => c.json({ workerId: info.id, draining: info.isDraining() }));
  if (internal.sandboxes) app.route("/internal", internal.sandboxes);
  if (internal.ollama) app.route("/internal/ollama", internal.ollama);
  return app;
}
