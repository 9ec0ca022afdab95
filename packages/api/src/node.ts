import { join } from "node:path";
import {
  createRepositories,
  type Database,
  DEFAULT_DATABASE_URL,
  loadOrCreateSecretKey,
  migrate,
  openDatabase,
  type Repositories,
} from "@agentos/db";
import { createHostedRepositories, createKeyring, createRequestLimiter } from "@agentos/db/auth";
import {
  cancelRunOnInngest,
  createInngestClient,
  parseAllowList,
  requestRunOnInngest,
  sendApprovalOnInngest,
} from "@agentos/runtime";
import { z } from "zod";
import { type Api, createApi } from "./app";
import { bootstrapAdmin, createStudioAuth, signInProviders } from "./auth/better-auth";
import { TENANCY_ENV } from "./auth/env";
import type { TenancyDeps } from "./auth/tenancy-deps";
import type { ApiDeps } from "./context";
import { createOllamaWorkers } from "./ollama-client";
import { type ApiOps, createApiOps, OPS_ENV } from "./ops";
import { createSandboxWorkers } from "./sandbox-client";
import { createWorkerClient, readWorkerToken } from "./worker-client";

export {
  createRemoteSandboxProvider,
  createSandboxWorkers,
  readExecEvents,
  type SandboxWorkers,
} from "./sandbox-client";

const Bytes = z.coerce.number().int().min(1024);

/** Settings every process that serves the API reads from the environment. */
export const StudioEnv = z.object({
  AGENTOS_MODE: z
    .enum(["local", "hosted"])
    .default("local")
    .describe("local: no login, loopback only; hosted: auth required"),
  AGENTOS_OUTBOUND_ALLOW: z
    .string()
    .default("")
    .transform((text, ctx) => {
      try {
        return parseAllowList(text);
      } catch (error) {
        ctx.addIssue({ code: "custom", message: (error as Error).message });
        return z.NEVER;
      }
    })
    .describe(
      "Hosted: comma-separated hosts, addresses (:port optional) and CIDRs that user-supplied URLs may reach although private",
    ),
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
  WORKER_TOKEN: z
    .string()
    .min(16)
    .optional()
    .describe(
      "Shared secret of the workers' internal API; in local mode read from <AGENTOS_DATA_DIR>/worker.token",
    ),
  SANDBOX_BACKEND_HOST: z
    .string()
    .min(1)
    .default("127.0.0.1")
    .describe(
      "Where published sandbox site ports are reached (/api/sandbox-proxy); host.docker.internal in a container",
    ),
  AGENTOS_ENGINE: z
    .enum(["local", "inngest"])
    .default("local")
    .describe(
      "Run engine: the workers' built-in local engine, or Inngest (durable functions served by the workers)",
    ),
  INNGEST_EVENT_KEY: z.string().min(1).optional().describe("Inngest event key (engine inngest)"),
  INNGEST_SIGNING_KEY: z.string().min(1).optional().describe("Inngest signing key (engine inngest)"),
  INNGEST_BASE_URL: z
    .url()
    .optional()
    .describe("Inngest server URL, e.g. a self-hosted Inngest or the dev server"),
  INNGEST_DEV: z
    .enum(["0", "1", "true", "false"])
    .optional()
    .transform((v) => (v === undefined ? undefined : v === "1" || v === "true"))
    .describe("1: talk to an Inngest dev server (no keys needed)"),
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
  ...TENANCY_ENV,
  ...OPS_ENV,
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
  /** The process's logger, metrics, readiness and backup settings. */
  ops: ApiOps;
  close(): void;
}

/** How queued, cancelled and approved runs reach the configured engine. */
function engineHooks(
  env: StudioEnv,
  repos: Repositories,
  workers: ReturnType<typeof createWorkerClient>,
): Pick<ApiDeps, "onRunQueued" | "onRunCancelRequested" | "deliverApproval"> {
  if (env.AGENTOS_ENGINE === "local") {
    return {
      onRunQueued: () => void workers.wakeEngines().catch(() => {}),
      onRunCancelRequested: (run) => void workers.cancelRun(run.id).catch(() => {}),
    };
  }
  const inngest = createInngestClient(env);
  return {
    onRunQueued: (run) =>
      void requestRunOnInngest(inngest, {
        ...run,
        concurrencyKey: run.agentId ?? run.workflowId ?? run.id,
      }).catch((error) => console.error(`[api] could not send run ${run.id} to Inngest:`, error)),
    onRunCancelRequested: (run) =>
      void (async () => {
        await cancelRunOnInngest(inngest, run.id);
        // Inngest stops the function without telling us; the run ends here.
        await repos.runStore.finish(run.id, null, {
          status: "cancelled",
          error: { code: "cancelled", message: "The run was cancelled." },
        });
      })().catch((error) => console.error(`[api] could not cancel run ${run.id} on Inngest:`, error)),
    deliverApproval: async (run, decision) => {
      await sendApprovalOnInngest(inngest, run.id, decision);
      return true;
    },
  };
}

/** Budgets, secrets, audit and, in hosted mode, Better Auth (with the admin from the env). */
async function openTenancy(
  env: StudioEnv,
  db: Database,
  keyring: ReturnType<typeof createKeyring>,
  secretKey: string,
): Promise<TenancyDeps> {
  const repos = createHostedRepositories(db, keyring, {
    maxFailures: env.AGENTOS_LOGIN_MAX_FAILURES,
    lockMs: env.AGENTOS_LOGIN_LOCK_MS,
  });
  const limiter = createRequestLimiter(db, env.AGENTOS_TOKEN_REQUESTS_PER_MINUTE);
  const authEnv = { ...env, AGENTOS_SECRET_KEY: secretKey };
  const auth = env.AGENTOS_MODE === "hosted" ? createStudioAuth({ db, repos, env: authEnv }) : null;
  if (auth) await bootstrapAdmin(auth, repos, authEnv);
  return {
    repos,
    auth,
    takeRequest: (subject, workspaceId) => limiter.take(subject, workspaceId),
    publicUrl: env.AGENTOS_PUBLIC_URL?.replace(/\/+$/, "") ?? null,
    signIn: { signUp: env.AGENTOS_SIGNUP, providers: signInProviders(env) },
  };
}

/**
 * Opens the database (applying migrations), the secret cipher and the API, ready to serve.
 * `processName` labels its logs and metrics (web, or server for the headless server).
 */
export async function openStudio(env: StudioEnv, version = "0.1.0", processName = "web"): Promise<Studio> {
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
  const keyring = createKeyring(secretKey, env.AGENTOS_PREVIOUS_SECRET_KEYS);
  const repos = createRepositories(db, keyring);
  await repos.workspaces.ensureLocal();
  const tenancy = await openTenancy(env, db, keyring, secretKey);
  // The token file appears when the local worker first starts, which may be after this process.
  const workers = createWorkerClient(repos, () => readWorkerToken(env));
  const deps: ApiDeps = {
    repos,
    config: {
      mode: env.AGENTOS_MODE,
      outboundAllow: env.AGENTOS_OUTBOUND_ALLOW,
      bodyLimitBytes: env.API_BODY_LIMIT_BYTES,
      corsOrigins: env.CORS_ORIGINS,
      version,
    },
    sandboxes: createSandboxWorkers({
      repos,
      token: () => readWorkerToken(env),
      backendHost: env.SANDBOX_BACKEND_HOST,
    }),
    ollama: createOllamaWorkers({ repos, token: () => readWorkerToken(env) }),
    ...engineHooks(env, repos, workers),
    tenancy,
  };
  const ops = createApiOps(processName, db, env);
  return { api: createApi(deps, ops), deps, db, ops, close: () => db.$client.close() };
}

export { assertSafeBind, isLoopbackBind } from "./auth/bind";
export { rotateSecretKey } from "./auth/rotate-key";
export {
  accessLog,
  checkReadiness,
  createLogger,
  createWorkerMetrics,
  instrumentRunStore,
  LOG_ENV,
  type Logger,
  type WorkerMetrics,
} from "./ops";
