import { problemOf } from "@agentos/api";
import { Unauthorized } from "@agentos/core";
import { Hono } from "hono";
import { bearerAuth } from "hono/bearer-auth";
import { HTTPException } from "hono/http-exception";

export interface WorkerInfo {
  id: string;
  startedAt: string;
  isDraining(): boolean;
}

/** The worker's HTTP surface: public liveness, and an internal API that requires the worker token. */
export function createWorkerApp(info: WorkerInfo, token: string, internal: { sandboxes?: Hono } = {}): Hono {
  const app = new Hono();
  app.get("/health", (c) =>
    c.json({ status: info.isDraining() ? "draining" : "ok", workerId: info.id, startedAt: info.startedAt }),
  );
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
  return app;
}
