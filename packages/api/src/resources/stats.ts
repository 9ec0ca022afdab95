import { RUN_STATUSES, type RunStatus, Stats, StatsQuery } from "@agentos/core";
import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import type { ApiDeps, ApiEnv } from "../context";
import { commonErrors, json } from "../openapi-schemas";

const DAY_MS = 86_400_000;
const day = (d: Date) => d.toISOString().slice(0, 10);

/** Dashboard figures: counts, runs per day by status, tokens and cost by model and agent, feedback. */
export function registerStatsRoutes(app: OpenAPIHono<ApiEnv>, { repos }: ApiDeps): void {
  app.openapi(
    createRoute({
      method: "get",
      path: "/api/stats",
      tags: ["Stats"],
      summary: "Usage and activity statistics",
      request: { query: StatsQuery },
      responses: {
        200: json(Stats.meta({ id: "Stats" }), "Figures for the date range (UTC days, inclusive)"),
        ...commonErrors,
      },
    }),
    async (c) => {
      const ws = c.get("principal").workspaceId;
      const query = c.req.valid("query");
      const to = query.to ?? day(new Date());
      const from = query.from ?? day(new Date(Date.parse(to) - 29 * DAY_MS));
      const end = day(new Date(Date.parse(to) + DAY_MS)); // exclusive upper bound
      const { counts, perDay, byModel, byAgent, ratings } = await repos.stats.collect(ws, from, end);
      const up = Number(ratings.find((r) => r.rating === "up")?.count ?? 0);
      const down = Number(ratings.find((r) => r.rating === "down")?.count ?? 0);
      const body: Stats = {
        from,
        to,
        counts,
        runsPerDay: perDay
          .filter((r) => RUN_STATUSES.includes(r.status as RunStatus))
          .map((r) => ({ day: r.day, status: r.status, count: Number(r.count) })),
        byModel: byModel.map((r) => ({
          model: r.model ?? "unknown",
          calls: Number(r.calls),
          inputTokens: Number(r.inputTokens),
          outputTokens: Number(r.outputTokens),
          cachedInputTokens: Number(r.cachedInputTokens),
          costUsd: Number(r.costUsd),
        })),
        byAgent: byAgent.map((r) => ({
          agentId: r.agentId ?? "",
          runs: Number(r.runs),
          inputTokens: Number(r.inputTokens),
          outputTokens: Number(r.outputTokens),
          cachedInputTokens: Number(r.cachedInputTokens),
          costUsd: Number(r.costUsd),
        })),
        feedback: { up, down, ratio: up + down === 0 ? null : up / (up + down) },
      };
      return c.json(body as never, 200);
    },
  );
}
