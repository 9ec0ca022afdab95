import { z } from "zod";
import { getStudio } from "../lib/studio";
import styles from "./page.module.css";

// Rendered per request: the health check opens the database, which `next build` must not do.
export const dynamic = "force-dynamic";

const HealthSummary = z.object({ status: z.literal("ok"), mode: z.string(), version: z.string() });
type HealthSummary = z.infer<typeof HealthSummary>;

/** Asks the contract API in-process (no HTTP round trip) whether it is up. */
async function checkHealth(): Promise<HealthSummary | null> {
  try {
    const { api } = await getStudio();
    const response = await api.request("/api/health");
    if (!response.ok) throw new Error(`GET /api/health answered ${response.status}`);
    return HealthSummary.parse(await response.json());
  } catch (error) {
    console.error("[web] the contract API is unavailable:", error);
    return null;
  }
}

export default async function HomePage() {
  const health = await checkHealth();
  return (
    <main className={styles.main}>
      <h1 className={styles.title}>AgentOS Studio</h1>
      <p className={styles.lead}>Build and run AI agents, locally first.</p>

      <section className={styles.card} aria-labelledby="api-heading">
        <h2 id="api-heading" className={styles.heading}>
          API
        </h2>
        {health ? (
          <p className={styles.ok}>
            Healthy · {health.mode} mode · v{health.version}
          </p>
        ) : (
          <p className={styles.bad}>Unavailable: see the server log.</p>
        )}
        <ul className={styles.links}>
          <li>
            <a href="/api/docs">API reference</a>
          </li>
          <li>
            <a href="/api/openapi.json">
              OpenAPI document <code>/api/openapi.json</code>
            </a>
          </li>
        </ul>
      </section>
    </main>
  );
}
