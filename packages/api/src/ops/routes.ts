import { timingSafeEqual } from "node:crypto";
import { createReadStream, existsSync, mkdirSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { Readable } from "node:stream";
import { Conflict, Forbidden, NotFound, Unauthorized, Unavailable } from "@agentos/core";
import { backupDatabase } from "@agentos/db";
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import type { ApiDeps, ApiEnv } from "../context";
import { commonErrors, json, problem } from "../openapi-schemas";
import { problemJson } from "../problem";
import type { Logger } from "./logger";
import type { ApiMetrics } from "./metrics";
import { checkReadiness, type ReadinessOptions } from "./readiness";

/** Operations wiring of an API process: logs, metrics, readiness and backups. */
export interface ApiOps {
  logger: Logger;
  metrics: ApiMetrics;
  readiness: ReadinessOptions;
  /** Where online backups of a file database are written. */
  backupDir: string;
  /** When set, /metrics requires `Authorization: Bearer <token>`. */
  metricsToken: string | null;
}

const Check = z.object({
  name: z.enum(["database", "migrations", "engine", "workers"]),
  ok: z.boolean(),
  detail: z.string(),
});
const Ready = z.object({ status: z.literal("ready"), checks: z.array(Check) }).meta({ id: "Readiness" });
const Backup = z
  .object({
    name: z.string().meta({ example: "studio-2026-11-29T10-00-00-000Z.db" }),
    bytes: z.number().int(),
    createdAt: z.string(),
  })
  .meta({ id: "Backup" });
const BackupCreated = Backup.extend({
  tookMs: z.number(),
  schema: z.object({ applied: z.number().int(), known: z.number().int(), pending: z.number().int() }),
}).meta({ id: "BackupCreated" });
const BACKUP_NAME = /^studio-[0-9TZ-]+\.db$/;

/** Compares in constant time, so the token cannot be guessed byte by byte from response times. */
function isBearer(header: string | undefined, token: string): boolean {
  const expected = Buffer.from(`Bearer ${token}`);
  const given = Buffer.from(header ?? "");
  return given.length === expected.length && timingSafeEqual(given, expected);
}

function requireAdmin(scopes: string[], what: string): void {
  if (!scopes.includes("admin")) {
    throw new Forbidden(`${what} needs the "admin" scope: use an admin token or an admin account.`);
  }
}

/**
 * /api/ready, /metrics and the admin backup endpoints. Without `ops` (an API built only for its
 * OpenAPI document, or embedded without operations) readiness assumes the local engine, and
 * metrics and backups answer 503.
 */
export function registerOpsRoutes(app: OpenAPIHono<ApiEnv>, deps: ApiDeps, ops: ApiOps | null): void {
  // Read at request time: the document-only API has no repositories.
  const dbOf = () => deps.repos.db;
  const required = (what: string): ApiOps => {
    if (!ops) throw new Unavailable(`${what} is not set up in this process (it runs without operations).`);
    return ops;
  };
  app.openapi(
    createRoute({
      method: "get",
      path: "/api/ready",
      tags: ["System"],
      summary: "Readiness",
      description:
        "200 when the database answers, its migrations are applied, the run engine is configured and at least one worker host has a fresh heartbeat; else 503 with the failing checks (for load balancers and Kubernetes readiness probes).",
      security: [],
      responses: {
        200: json(Ready, "Ready to serve"),
        503: problem("Not ready; `checks` says which check failed"),
      },
    }),
    async (c) => {
      const readiness = await checkReadiness(
        dbOf(),
        ops?.readiness ?? { engine: "local", isInngestConfigured: false },
      );
      if (readiness.ready) return c.json({ status: "ready" as const, checks: readiness.checks }, 200);
      const failed = readiness.checks.filter((check) => !check.ok);
      return problemJson(c, {
        type: "https://agentos.dev/problems/not_ready",
        title: "Not ready",
        status: 503,
        code: "not_ready",
        detail: failed.map((check) => `${check.name}: ${check.detail}`).join("; "),
        checks: readiness.checks,
      } as Parameters<typeof problemJson>[1]) as never;
    },
  );

  app.get("/metrics", async (c) => {
    const ops = required("Metrics");
    if (ops.metricsToken && !isBearer(c.req.header("authorization"), ops.metricsToken)) {
      throw new Unauthorized("/metrics needs `Authorization: Bearer <METRICS_TOKEN>`.");
    }
    const { body, contentType } = await ops.metrics.scrape();
    return c.body(body, 200, { "content-type": contentType, "cache-control": "no-store" });
  });

  app.openapi(
    createRoute({
      method: "post",
      path: "/api/admin/backups",
      tags: ["System"],
      summary: "Back up the database (online)",
      description:
        "Copies the libSQL file with `VACUUM INTO` while the Studio keeps serving, checks the copy (`PRAGMA integrity_check`) and keeps it in AGENTOS_BACKUP_DIR. Admin only. Restore with `agentos restore <file>` while the Studio is stopped.",
      responses: {
        201: json(BackupCreated, "The backup"),
        403: problem("The caller is not an admin"),
        409: problem("The database is a libSQL server, backed up by its own tooling"),
        ...commonErrors,
      },
    }),
    async (c) => {
      requireAdmin(c.get("principal").scopes, "A backup");
      const ops = required("Backup");
      const db = dbOf();
      if (db.$filePath === null) {
        throw new Conflict(
          "This Studio uses a libSQL server (DATABASE_URL is not a file): back it up with the server's own tooling (e.g. `turso db export`, point-in-time restore).",
        );
      }
      mkdirSync(ops.backupDir, { recursive: true });
      const createdAt = new Date().toISOString();
      const name = `studio-${createdAt.replace(/[:.]/g, "-")}.db`;
      const result = await backupDatabase(db, join(ops.backupDir, name));
      ops.logger.info({ backup: result.path, bytes: result.bytes, ms: Math.round(result.tookMs) }, "backup");
      return c.json(
        { name, bytes: result.bytes, createdAt, tookMs: result.tookMs, schema: result.schema },
        201,
      );
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/api/admin/backups",
      tags: ["System"],
      summary: "List backups",
      responses: {
        200: json(z.object({ items: z.array(Backup) }), "Backups, newest first"),
        403: problem("The caller is not an admin"),
        ...commonErrors,
      },
    }),
    async (c) => {
      requireAdmin(c.get("principal").scopes, "Listing backups");
      const ops = required("Backup");
      const names = existsSync(ops.backupDir)
        ? readdirSync(ops.backupDir).filter((n) => BACKUP_NAME.test(n))
        : [];
      const items = names
        .map((name) => {
          const stat = statSync(join(ops.backupDir, name));
          return { name, bytes: stat.size, createdAt: stat.mtime.toISOString() };
        })
        .sort((a, b) => b.name.localeCompare(a.name));
      return c.json({ items }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/api/admin/backups/{name}",
      tags: ["System"],
      summary: "Download a backup",
      request: { params: z.object({ name: z.string().regex(BACKUP_NAME) }) },
      responses: {
        200: { description: "The SQLite file", content: { "application/vnd.sqlite3": { schema: z.any() } } },
        403: problem("The caller is not an admin"),
        404: problem("No such backup"),
        ...commonErrors,
      },
    }),
    async (c) => {
      requireAdmin(c.get("principal").scopes, "Downloading a backup");
      const ops = required("Backup");
      const { name } = c.req.valid("param");
      const path = join(ops.backupDir, name);
      if (!existsSync(path)) throw new NotFound("backup", name);
      const body = Readable.toWeb(createReadStream(path)) as ReadableStream<Uint8Array>;
      return c.body(body, 200, {
        "content-type": "application/vnd.sqlite3",
        "content-length": String(statSync(path).size),
        "content-disposition": `attachment; filename="${name}"`,
      }) as never;
    },
  );
}
