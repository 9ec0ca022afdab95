import { join } from "node:path";
import type { Database } from "@agentos/db";
import { z } from "zod";
import { createLogger, LOG_ENV } from "./logger";
import { createApiMetrics } from "./metrics";
import type { ApiOps } from "./routes";

export { accessLog, createLogger, LOG_ENV, type Logger } from "./logger";
export {
  type ApiMetrics,
  createApiMetrics,
  createWorkerMetrics,
  instrumentRunStore,
  type ProcessMetrics,
  type WorkerMetrics,
} from "./metrics";
export { checkReadiness, type Readiness, type ReadinessCheck, type ReadinessOptions } from "./readiness";
export { type ApiOps, registerOpsRoutes } from "./routes";

/** Settings of logs and backups, part of every API process's env schema. */
export const OPS_ENV = {
  ...LOG_ENV,
  METRICS_TOKEN: z
    .string()
    .min(16)
    .optional()
    .describe("Bearer token /metrics requires (Prometheus `authorization`); unset: /metrics is open"),
  AGENTOS_BACKUP_DIR: z
    .string()
    .min(1)
    .optional()
    .describe("Where POST /api/admin/backups writes online backups (default <AGENTOS_DATA_DIR>/backups)"),
};

/** The logger, metrics, readiness and backup settings of an API process (web, headless server). */
export function createApiOps(
  processName: string,
  db: Database,
  env: {
    LOG_LEVEL: string;
    LOG_FORMAT: "json" | "text";
    AGENTOS_DATA_DIR: string;
    AGENTOS_BACKUP_DIR?: string | undefined;
    AGENTOS_ENGINE: "local" | "inngest";
    INNGEST_EVENT_KEY?: string | undefined;
    INNGEST_BASE_URL?: string | undefined;
    INNGEST_DEV?: boolean | undefined;
    METRICS_TOKEN?: string | undefined;
  },
): ApiOps {
  return {
    metricsToken: env.METRICS_TOKEN ?? null,
    logger: createLogger(processName, { level: env.LOG_LEVEL, format: env.LOG_FORMAT }),
    metrics: createApiMetrics(processName, db),
    readiness: {
      engine: env.AGENTOS_ENGINE,
      isInngestConfigured: Boolean(env.INNGEST_EVENT_KEY || env.INNGEST_DEV || env.INNGEST_BASE_URL),
    },
    backupDir: env.AGENTOS_BACKUP_DIR ?? join(env.AGENTOS_DATA_DIR, "backups"),
  };
}
