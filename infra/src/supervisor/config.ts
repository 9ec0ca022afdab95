import { z } from "zod";

const Port = z.coerce.number().int().min(1).max(65535);

/** The studio container's launcher: where web listens, the optional MCP port, where the processes are. */
export const SupervisorEnv = z.object({
  PORT: Port.default(3000).describe("Port of the Studio (UI, API, MCP) in the studio image"),
  HOST: z
    .string()
    .min(1)
    .default("0.0.0.0")
    .describe("Address web listens on in the studio image (local mode refuses anything but loopback)"),
  MCP_PORT: Port.optional().describe(
    "studio image: a second port that serves only /mcp (and OAuth discovery), e.g. for a separate ingress",
  ),
  SHUTDOWN_TIMEOUT_MS: z.coerce
    .number()
    .int()
    .min(0)
    .default(9_000)
    .describe("studio image: how long SIGTERM waits for web and worker to drain before killing them"),
  AGENTOS_WEB_SERVER: z
    .string()
    .min(1)
    .default("/app/standalone/web/server.js")
    .describe("studio image: the Next.js standalone server"),
  AGENTOS_WORKER_ENTRY: z
    .string()
    .min(1)
    .default("/app/bin/worker.mjs")
    .describe("studio image: the bundled worker"),
  // The same settings as every process's LOG_ENV (a test keeps them equal); defined here so that
  // the supervisor does not load the API package.
  LOG_LEVEL: z
    .enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"])
    .default("info")
    .describe("Least severe log level written"),
  LOG_FORMAT: z
    .enum(["json", "text"])
    .default("json")
    .describe("json: one JSON object per line (pino), for log collectors; text: one readable line"),
  AGENTOS_NODE_OPTIONS: z
    .string()
    .default("--max-semi-space-size=2")
    .describe(
      "studio image: Node.js options of web and worker (a small young generation keeps their memory down)",
    ),
});
export type SupervisorEnv = z.output<typeof SupervisorEnv>;
