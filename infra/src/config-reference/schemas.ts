import { StudioEnv } from "@agentos/api/node";
import { ServerEnv } from "@agentos/server";
import { WorkerEnv } from "@agentos/worker/src/config";
import type { z } from "zod";
import { SupervisorEnv } from "../supervisor/config";

/** The env schema each process parses at start (the single source of the reference). */
export const PROCESS_SCHEMAS: Record<"web" | "worker" | "server" | "studio", z.ZodObject> = {
  web: StudioEnv,
  worker: WorkerEnv,
  server: ServerEnv,
  // The studio image's supervisor; web and worker inside it read their own schemas above.
  studio: SupervisorEnv,
};
