import { join } from "node:path";
import {
  createRepositories,
  createSecretCipher,
  type Database,
  DEFAULT_DATABASE_URL,
  loadOrCreateSecretKey,
  migrate,
  openDatabase,
} from "@agentos/db";
import { z } from "zod";
import { type Api, createApi } from "./app";
import type { ApiDeps } from "./context";

const Bytes = z.coerce.number().int().min(1024);

/** Settings every process that serves the API reads from the environment. */
export const StudioEnv = z.object({
  AGENTOS_MODE: z
    .enum(["local", "hosted"])
    .default("local")
    .describe("local: no login, loopback only; hosted: auth required"),
  AGENTOS_DATA_DIR: z
    .string()
    .min(1)
    .default(".data")
    .describe("Directory for the local database file and the generated secret key"),
  DATABASE_URL: z
    .string()
    .min(1)
    .optional()
    .describe(
      "libSQL URL: file:path.db, libsql://…, http(s)://… (default file:<AGENTOS_DATA_DIR>/studio.db)",
    ),
  DATABASE_AUTH_TOKEN: z.string().min(1).optional().describe("Auth token for a libSQL server URL"),
  AGENTOS_SECRET_KEY: z
    .string()
    .min(1)
    .optional()
    .describe(
      "32-byte key (hex or base64) that encrypts secrets at rest; generated into the data dir in local mode",
    ),
  API_BODY_LIMIT_BYTES: Bytes.default(1024 * 1024).describe("Largest JSON request body"),
  CORS_ORIGINS: z
    .string()
    .default("")
    .transform((s) =>
      s
        .split(",")
        .map((o) => o.trim())
        .filter(Boolean),
    )
    .describe("Comma-separated browser origins allowed to call the API (a remote Studio)"),
});
export type StudioEnv = z.output<typeof StudioEnv>;

/** Parses `env` with `schema`, exiting with a message that names each bad variable. */
export function parseEnv<S extends z.ZodType>(
  schema: S,
  env: Record<string, string | undefined>,
  processName: string,
): z.output<S> {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  const lines = result.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
  throw new Error(`${processName}: invalid configuration\n${lines.join("\n")}`);
}

export interface Studio {
  api: Api;
  deps: ApiDeps;
  db: Database;
  close(): void;
}

/** Opens the database (applying migrations), the secret cipher and the API, ready to serve. */
export async function openStudio(env: StudioEnv, version = "0.1.0"): Promise<Studio> {
  const url =
    env.DATABASE_URL ??
    (env.AGENTOS_DATA_DIR === ".data"
      ? DEFAULT_DATABASE_URL
      : `file:${join(env.AGENTOS_DATA_DIR, "studio.db")}`);
  let secretKey = env.AGENTOS_SECRET_KEY;
  if (!secretKey) {
    if (env.AGENTOS_MODE === "hosted") {
      throw new Error(
        "AGENTOS_SECRET_KEY is required in hosted mode: generate one with `openssl rand -base64 32`.",
      );
    }
    secretKey = loadOrCreateSecretKey(join(env.AGENTOS_DATA_DIR, "secret.key"));
  }
  const db = await openDatabase({ url, authToken: env.DATABASE_AUTH_TOKEN });
  await migrate(db);
  const repos = createRepositories(db, createSecretCipher(secretKey));
  await repos.workspaces.ensureLocal();
  const deps: ApiDeps = {
    repos,
    config: {
      mode: env.AGENTOS_MODE,
      bodyLimitBytes: env.API_BODY_LIMIT_BYTES,
      corsOrigins: env.CORS_ORIGINS,
      version,
    },
  };
  return { api: createApi(deps), deps, db, close: () => db.$client.close() };
}
