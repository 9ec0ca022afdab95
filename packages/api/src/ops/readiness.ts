import { type Database, schemaStateOf } from "@agentos/db";

export interface ReadinessCheck {
  name: "database" | "migrations" | "engine" | "workers";
  ok: boolean;
  detail: string;
}

export interface Readiness {
  ready: boolean;
  checks: ReadinessCheck[];
}

export interface ReadinessOptions {
  engine: "local" | "inngest";
  /** Inngest engine: event key, or a self-hosted/dev server, configured. */
  isInngestConfigured: boolean;
  /** A worker whose heartbeat is older counts as gone (the API stops calling it after 60 s). */
  staleAfterMs?: number;
  /** Longest wait for the database before it counts as unreachable. */
  timeoutMs?: number;
}

const withTimeout = <T>(promise: Promise<T>, ms: number, what: string) =>
  Promise.race([
    promise,
    new Promise<never>((_, reject) =>
      setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms).unref(),
    ),
  ]);

/**
 * Whether this process can serve traffic: the database answers, every migration this build knows
 * is applied, the engine is configured, and at least one worker host has a fresh heartbeat (runs
 * and sandboxes need one).
 */
export async function checkReadiness(db: Database, options: ReadinessOptions): Promise<Readiness> {
  const timeoutMs = options.timeoutMs ?? 2000;
  const staleAfterMs = options.staleAfterMs ?? 60_000;
  const checks: ReadinessCheck[] = [];
  try {
    await withTimeout(db.$client.execute("SELECT 1"), timeoutMs, "the database");
    checks.push({ name: "database", ok: true, detail: db.$filePath ? "libSQL file" : "libSQL server" });
  } catch (error) {
    checks.push({ name: "database", ok: false, detail: (error as Error).message });
    return { ready: false, checks };
  }
  const schema = await schemaStateOf(db.$client);
  checks.push({
    name: "migrations",
    ok: schema.pending === 0,
    detail:
      schema.pending === 0
        ? `${schema.applied} applied`
        : `${schema.pending} of ${schema.known} pending: they are applied when a process of this version starts`,
  });
  checks.push({
    name: "engine",
    ok: options.engine === "local" || options.isInngestConfigured,
    detail:
      options.engine === "local"
        ? "local (workers claim runs from the database)"
        : options.isInngestConfigured
          ? "inngest"
          : "inngest without INNGEST_EVENT_KEY or INNGEST_DEV/INNGEST_BASE_URL",
  });
  const cutoff = new Date(Date.now() - staleAfterMs).toISOString();
  const live = await db.$client.execute({
    sql: "SELECT count(*) FROM workers WHERE status = 'online' AND last_heartbeat_at >= ?",
    args: [cutoff],
  });
  const workers = Number(live.rows[0]?.[0] ?? 0);
  checks.push({
    name: "workers",
    ok: workers > 0,
    detail:
      workers > 0
        ? `${workers} online`
        : "no worker host with a heartbeat in the last minute: start one (agentos-worker)",
  });
  return { ready: checks.every((c) => c.ok), checks };
}
