import { StudioEnv } from "@agentos/api/node";
import { z } from "zod";

/** The worker host's environment. Parsed once at start; a bad value exits naming the variable. */
export const WorkerEnv = StudioEnv.pick({
  AGENTOS_MODE: true,
  AGENTOS_DATA_DIR: true,
  DATABASE_URL: true,
  DATABASE_AUTH_TOKEN: true,
  AGENTOS_SECRET_KEY: true,
}).extend({
  WORKER_PORT: z.coerce
    .number()
    .int()
    .min(0)
    .max(65535)
    .default(3100)
    .describe("Port of the worker's internal API"),
  WORKER_HOST: z.string().min(1).default("127.0.0.1").describe("Address the worker listens on"),
  WORKER_PUBLIC_URL: z
    .url()
    .optional()
    .describe("URL web and the server use to reach this worker (default http://WORKER_HOST:WORKER_PORT)"),
  WORKER_TOKEN: z
    .string()
    .min(16)
    .optional()
    .describe("Shared secret for the worker's internal API; generated into the data dir in local mode"),
  WORKER_CAPACITY: z.coerce
    .number()
    .int()
    .min(1)
    .max(10_000)
    .default(8)
    .describe("Runs this worker executes at once"),
  WORKER_HEARTBEAT_MS: z.coerce
    .number()
    .int()
    .min(500)
    .max(600_000)
    .default(10_000)
    .describe("Heartbeat interval"),
});
export type WorkerEnv = z.output<typeof WorkerEnv>;
