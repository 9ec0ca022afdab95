import type { Database, RunStore } from "@agentos/db";
import type { MiddlewareHandler } from "hono";
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";

/** A heartbeat older than this counts the worker as stale (the API stops calling it after 60 s). */
const WORKER_STALE_MS = 60_000;

const RUN_STATUSES = ["queued", "running", "waiting", "succeeded", "failed", "cancelled"] as const;
const SANDBOX_STATES = ["creating", "running", "stopped", "missing", "error", "removed"] as const;

/** Prometheus metrics of one process, served at /metrics in the text exposition format. */
export interface ProcessMetrics {
  registry: Registry;
  /** The exposition text and its content type, for a /metrics route. */
  scrape(): Promise<{ body: string; contentType: string }>;
}

/**
 * Gauges read from the database at scrape time: runs by status, queue depth and age, sandboxes by
 * state, site bindings and workers. Every process sees the same numbers (one database); scrape one
 * of them, or aggregate with max().
 */
function registerDatabaseGauges(registry: Registry, db: Database): void {
  const query = async (sql: string) => (await db.$client.execute(sql)).rows;
  new Gauge({
    name: "agentos_runs",
    help: "Runs by status",
    labelNames: ["status"],
    registers: [registry],
    async collect() {
      const counts = new Map(
        (await query("SELECT status, count(*) FROM runs GROUP BY status")).map((r) => [
          String(r[0]),
          Number(r[1]),
        ]),
      );
      for (const status of RUN_STATUSES) this.set({ status }, counts.get(status) ?? 0);
    },
  });
  new Gauge({
    name: "agentos_run_queue_depth",
    help: "Runs waiting for a worker (status queued)",
    registers: [registry],
    async collect() {
      this.set(Number((await query("SELECT count(*) FROM runs WHERE status = 'queued'"))[0]?.[0] ?? 0));
    },
  });
  new Gauge({
    name: "agentos_run_queue_oldest_seconds",
    help: "Age of the oldest queued run (0 when none)",
    registers: [registry],
    async collect() {
      const oldest = (await query("SELECT min(created_at) FROM runs WHERE status = 'queued'"))[0]?.[0];
      this.set(oldest ? Math.max(0, (Date.now() - Date.parse(String(oldest))) / 1000) : 0);
    },
  });
  new Gauge({
    name: "agentos_sandboxes",
    help: "Sandboxes by state",
    labelNames: ["state"],
    registers: [registry],
    async collect() {
      const counts = new Map(
        (await query("SELECT state, count(*) FROM sandboxes GROUP BY state")).map((r) => [
          String(r[0]),
          Number(r[1]),
        ]),
      );
      for (const state of SANDBOX_STATES) this.set({ state }, counts.get(state) ?? 0);
    },
  });
  new Gauge({
    name: "agentos_site_bindings",
    help: "Host names bound to sandbox ports",
    registers: [registry],
    async collect() {
      this.set(Number((await query("SELECT count(*) FROM site_bindings"))[0]?.[0] ?? 0));
    },
  });
  new Gauge({
    name: "agentos_workers",
    help: "Worker hosts: online (fresh heartbeat), stale (online but silent for 60 s), draining",
    labelNames: ["status"],
    registers: [registry],
    async collect() {
      const cutoff = new Date(Date.now() - WORKER_STALE_MS).toISOString();
      const rows = await query(`SELECT status, last_heartbeat_at FROM workers WHERE status != 'gone'`);
      const counts = { online: 0, stale: 0, draining: 0 };
      for (const { 0: status, 1: heartbeat } of rows) {
        if (status === "draining") counts.draining++;
        else if (String(heartbeat) >= cutoff) counts.online++;
        else counts.stale++;
      }
      for (const [status, n] of Object.entries(counts)) this.set({ status }, n);
    },
  });
}

function processMetrics(processName: string, db: Database | null): ProcessMetrics {
  const registry = new Registry();
  registry.setDefaultLabels({ process: processName });
  collectDefaultMetrics({ register: registry });
  if (db) registerDatabaseGauges(registry, db);
  return {
    registry,
    async scrape() {
      return { body: await registry.metrics(), contentType: registry.contentType };
    },
  };
}

/** Metrics of a process serving the API (web, headless server): HTTP traffic and database gauges. */
export interface ApiMetrics extends ProcessMetrics {
  /** Counts and times each request by method, route pattern and status. */
  middleware: MiddlewareHandler;
}

/** The metrics of an API process (web or headless server). */
export function createApiMetrics(processName: string, db: Database): ApiMetrics {
  const metrics = processMetrics(processName, db);
  const requests = new Counter({
    name: "agentos_http_requests_total",
    help: "HTTP requests served by the API",
    labelNames: ["method", "route", "status"],
    registers: [metrics.registry],
  });
  const duration = new Histogram({
    name: "agentos_http_request_duration_seconds",
    help: "Time to the response head (streams such as run events keep going after it)",
    labelNames: ["method", "route"],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [metrics.registry],
  });
  return {
    ...metrics,
    async middleware(c, next) {
      const started = performance.now();
      await next();
      // The route pattern (/api/agents/:id), never the raw path, keeps the label set bounded.
      const route = c.req.routePath === "*" || c.req.routePath === "/*" ? "unmatched" : c.req.routePath;
      requests.inc({ method: c.req.method, route, status: String(c.res.status) });
      duration.observe({ method: c.req.method, route }, (performance.now() - started) / 1000);
    },
  };
}

/** Metrics of a worker host: run steps, finished runs, site proxy traffic and database gauges. */
export interface WorkerMetrics extends ProcessMetrics {
  stepDuration: Histogram<"kind" | "status">;
  runsFinished: Counter<"status">;
  proxyRequests: Counter<"outcome">;
}

/** The metrics of a worker host. */
export function createWorkerMetrics(db: Database): WorkerMetrics {
  const metrics = processMetrics("worker", db);
  return {
    ...metrics,
    stepDuration: new Histogram({
      name: "agentos_run_step_duration_seconds",
      help: "Duration of run steps (model calls, tool calls, workflow nodes) executed here",
      labelNames: ["kind", "status"],
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120],
      registers: [metrics.registry],
    }),
    runsFinished: new Counter({
      name: "agentos_runs_finished_total",
      help: "Runs this worker ended, by final status",
      labelNames: ["status"],
      registers: [metrics.registry],
    }),
    proxyRequests: new Counter({
      name: "agentos_proxy_requests_total",
      help: "Requests to the domain proxy: routed to a sandbox site, unknown_host (404), lookup_failed (503)",
      labelNames: ["outcome"],
      registers: [metrics.registry],
    }),
  };
}

/** Most steps tracked at once; a step that never ends (its worker lost the lease) is dropped. */
const MAX_OPEN_STEPS = 10_000;

/** The run store with step durations and finished runs recorded in `metrics`. */
export function instrumentRunStore(store: RunStore, metrics: WorkerMetrics): RunStore {
  const open = new Map<string, { kind: string; started: number }>();
  const end = (runId: string, key: string, status: "succeeded" | "failed") => {
    const step = open.get(`${runId}\u0000${key}`);
    if (!step) return;
    open.delete(`${runId}\u0000${key}`);
    metrics.stepDuration.observe({ kind: step.kind, status }, (performance.now() - step.started) / 1000);
  };
  return {
    ...store,
    async startStep(run, step) {
      const started = await store.startStep(run, step);
      if (open.size >= MAX_OPEN_STEPS) open.clear();
      open.set(`${run.id}\u0000${step.key}`, { kind: step.kind, started: performance.now() });
      return started;
    },
    async completeStep(runId, key, output) {
      await store.completeStep(runId, key, output);
      end(runId, key, "succeeded");
    },
    async failStep(runId, key, error) {
      await store.failStep(runId, key, error);
      end(runId, key, "failed");
    },
    async finish(runId, owner, outcome) {
      const finished = await store.finish(runId, owner, outcome);
      if (finished) metrics.runsFinished.inc({ status: outcome.status });
      return finished;
    },
  };
}
