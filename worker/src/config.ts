import { StudioEnv } from "@agentos/api/node";
import { z } from "zod";
import { OllamaEnv } from "./ollama/config";
import { SandboxEnv } from "./sandboxes/config";

/** The worker host's environment. Parsed once at start; a bad value exits naming the variable. */
export const WorkerEnv = StudioEnv.pick({
  AGENTOS_MODE: true,
  AGENTOS_OUTBOUND_ALLOW: true,
  AGENTOS_DATA_DIR: true,
  DATABASE_URL: true,
  DATABASE_AUTH_TOKEN: true,
  AGENTOS_SECRET_KEY: true,
  AGENTOS_PREVIOUS_SECRET_KEYS: true,
  AGENTOS_ENGINE: true,
  INNGEST_EVENT_KEY: true,
  INNGEST_SIGNING_KEY: true,
  INNGEST_BASE_URL: true,
  INNGEST_DEV: true,
  LOG_LEVEL: true,
  LOG_FORMAT: true,
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
  ...SandboxEnv.shape,
  WORKER_LEASE_MS: z.coerce
    .number()
    .int()
    .min(200)
    .max(600_000)
    .default(15_000)
    .describe("A run lease not renewed for this long is resumed by another worker"),
  WORKER_POLL_MS: z.coerce
    .number()
    .int()
    .min(10)
    .max(60_000)
    .default(500)
    .describe("How often the engine looks for queued runs without a wake-up"),
  WORKER_DRAIN_MS: z.coerce
    .number()
    .int()
    .min(0)
    .max(600_000)
    .default(10_000)
    .describe("On SIGTERM, how long running runs may finish before being handed back"),
  OLLAMA_HOST: z
    .string()
    .min(1)
    .optional()
    .describe("Ollama server (host:port or URL) for ollama providers without a base URL"),
  ...OllamaEnv.shape,
});
export type WorkerEnv = z.output<typeof WorkerEnv>;
