import { StudioEnv } from "@agentos/api/node";
import { z } from "zod";

/** The headless server's environment: the API's settings plus where to listen. */
export const ServerEnv = StudioEnv.extend({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000).describe("Port of the headless server"),
  HOST: z.string().min(1).default("127.0.0.1").describe("Address to listen on"),
  SHUTDOWN_TIMEOUT_MS: z.coerce
    .number()
    .int()
    .min(0)
    .default(10_000)
    .describe("How long SIGTERM waits for open requests"),
});
export type ServerEnv = z.output<typeof ServerEnv>;
