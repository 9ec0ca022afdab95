import type { RunStatus, Stats } from "@agentos/core";
import { RUN_STATUSES } from "../../lib/run-status";

export const STATUS_COLORS: Record<RunStatus, string> = {
  succeeded: "var(--chart-2)",
  failed: "var(--chart-3)",
  cancelled: "var(--chart-6)",
  waiting: "var(--chart-4)",
  running: "var(--chart-1)",
  queued: "var(--chart-5)",
};

/**
 * Runs per day as one row per day of the range (days without runs included, so the axis is
 * continuous) with a count per status; `statuses` lists only those that occur.
 */
export function runsPerDaySeries(stats: Pick<Stats, "from" | "to" | "runsPerDay">) {
  const rows = new Map<string, Record<string, number | string>>();
  const start = Date.parse(`${stats.from}T00:00:00Z`);
  const end = Date.parse(`${stats.to}T00:00:00Z`);
  for (let t = start; t <= end && rows.size < 1000; t += 86_400_000) {
    const day = new Date(t).toISOString().slice(0, 10);
    rows.set(day, { day });
  }
  const seen = new Set<RunStatus>();
  for (const { day, status, count } of stats.runsPerDay) {
    const row = rows.get(day) ?? { day };
    row[status] = ((row[status] as number | undefined) ?? 0) + count;
    rows.set(day, row);
    seen.add(status);
  }
  return {
    days: [...rows.values()].sort((a, b) => String(a.day).localeCompare(String(b.day))),
    statuses: RUN_STATUSES.filter((s) => seen.has(s)),
  };
}
