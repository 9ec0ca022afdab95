import { type Stats, StatsQuery } from "@agentos/core";
import { defineTool, ok } from "./tool";

export const statsTools = [
  defineTool({
    name: "get_stats",
    title: "Usage and activity summary",
    description:
      "Summarises the workspace over a date range (default the last 30 days): counts of agents, workflows, tools, runs and conversations; runs per day by status; tokens and cost by model and by agent; feedback ratio.",
    input: StatsQuery,
    annotations: { readOnlyHint: true },
    async run(args, { api }) {
      const stats = await api.get<Stats>("/api/stats", args);
      const cost = [...stats.byModel].reduce((sum, m) => sum + m.costUsd, 0);
      const runs = stats.runsPerDay.reduce((sum, d) => sum + d.count, 0);
      return ok(
        stats,
        `${stats.from} – ${stats.to}: ${runs} run(s), $${cost.toFixed(4)} spent, ${stats.counts.agents} agent(s).`,
      );
    },
  }),
];
