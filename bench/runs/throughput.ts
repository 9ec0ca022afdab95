// Throughput: many short runs created at once, drained by one worker.
import type { Run } from "@agentos/core";
import { groupCpuSeconds } from "./process-cpu";
import { requestJson } from "./studio";
import { formatTable } from "./table";
import { epochMsOf, fixed, type Summary, summarize, wallNowMs } from "./timing";

const PAGE = 200;
const POLL_MS = 100;

export interface ThroughputFigures {
  runs: number;
  /** Execute requests that got no answer or an error. */
  rejected: number;
  /** Execute request latencies, of those answered. */
  execute: Summary;
  /** Runs of the agent in the database once all were final. */
  listed: number;
  succeeded: number;
  /** From t0 (just before the first execute request) to the last run's finishedAt. */
  wallMs: number;
  /** finishedAt − createdAt. */
  duration: Summary;
  /** startedAt − createdAt: time queued before the worker claimed the run. */
  queued: Summary;
  /** CPU seconds each process used during the section (null without /proc). */
  cpu: Array<{ name: string; seconds: number | null }>;
}

/** A process group whose CPU time is counted. */
export interface MeteredProcess {
  name: string;
  pid: number;
}

async function runsOf(apiUrl: string, agentId: string, status?: string, limit = PAGE): Promise<Run[]> {
  const runs: Run[] = [];
  let cursor: string | null = null;
  do {
    const query = new URLSearchParams({ agentId, limit: String(limit) });
    if (status) query.set("status", status);
    if (cursor) query.set("cursor", cursor);
    const page: { items: Run[]; nextCursor: string | null } = await requestJson(
      `${apiUrl}/api/runs?${query}`,
    );
    runs.push(...page.items);
    cursor = limit < PAGE ? null : page.nextCursor;
  } while (cursor);
  return runs;
}

async function isAnyUnfinished(apiUrl: string, agentId: string): Promise<boolean> {
  for (const status of ["queued", "running", "waiting"]) {
    if ((await runsOf(apiUrl, agentId, status, 1)).length > 0) return true;
  }
  return false;
}

/** Creates `count` runs at once and waits (up to `timeoutMs`) until every one is final. */
export async function measureThroughput(
  apiUrl: string,
  agentId: string,
  count: number,
  timeoutMs: number,
  metered: MeteredProcess[],
): Promise<ThroughputFigures> {
  const deadline = Date.now() + timeoutMs;
  const cpuBefore = metered.map((p) => groupCpuSeconds(p.pid));
  const t0 = wallNowMs();
  const latencies: number[] = [];
  const created = await Promise.allSettled(
    Array.from({ length: count }, async (_, i) => {
      const run = await requestJson<Run>(
        `${apiUrl}/api/agents/${agentId}/execute`,
        { method: "POST", body: JSON.stringify({ input: `throughput ${i}` }) },
        timeoutMs,
      );
      latencies.push(wallNowMs() - t0);
      return run;
    }),
  );
  const rejected = created.filter((r) => r.status === "rejected");
  if (rejected[0])
    console.warn(`throughput: ${rejected.length} execute requests failed: ${rejected[0].reason}`);
  while (await isAnyUnfinished(apiUrl, agentId)) {
    if (Date.now() > deadline) throw new Error(`the ${count} runs were not all final after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  const cpu = metered.map((p, i) => {
    const [before, after] = [cpuBefore[i], groupCpuSeconds(p.pid)];
    return { name: p.name, seconds: before == null || after === null ? null : after - before };
  });
  const runs = await runsOf(apiUrl, agentId);
  const finishedAt = runs.map((r) => (r.finishedAt ? epochMsOf(r.finishedAt) : Number.NaN));
  return {
    runs: count,
    rejected: rejected.length,
    execute: summarize(latencies),
    listed: runs.length,
    succeeded: runs.filter((r) => r.status === "succeeded").length,
    wallMs: Math.max(...finishedAt) - t0,
    duration: summarize(runs.map((r, i) => (finishedAt[i] ?? Number.NaN) - epochMsOf(r.createdAt))),
    queued: summarize(
      runs.map((r) => (r.startedAt ? epochMsOf(r.startedAt) - epochMsOf(r.createdAt) : Number.NaN)),
    ),
    cpu,
  };
}

export function formatThroughput(f: ThroughputFigures): string {
  const table = formatTable(
    [
      "runs at once",
      "execute p50 ms",
      "execute p99 ms",
      "wall s",
      "runs/s",
      "duration p50 ms",
      "duration p99 ms",
      "queued p50 ms",
      "queued p99 ms",
      ...f.cpu.map((p) => `${p.name} CPU ms/run`),
      "succeeded",
    ],
    [
      [
        String(f.runs),
        fixed(f.execute.p50, 0),
        fixed(f.execute.p99, 0),
        fixed(f.wallMs / 1000, 2),
        fixed(f.listed / (f.wallMs / 1000), 1),
        fixed(f.duration.p50, 0),
        fixed(f.duration.p99, 0),
        fixed(f.queued.p50, 0),
        fixed(f.queued.p99, 0),
        ...f.cpu.map((p) => fixed(p.seconds === null ? Number.NaN : (p.seconds * 1000) / f.listed, 1)),
        `${f.succeeded}/${f.listed}`,
      ],
    ],
    0,
  );
  return [
    table,
    "",
    `wall = t0 (just before the first execute request) → the last run's finishedAt; runs/s = runs created ÷ wall; duration = finishedAt − createdAt; queued = startedAt − createdAt; execute = each POST's response time from t0; CPU = user + system time of the process group during the section (incl. the list polling) ÷ runs${f.rejected > 0 ? `; ${f.rejected} execute requests got no answer` : ""}`,
  ].join("\n");
}
