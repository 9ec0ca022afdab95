import { and, eq, gte, lt, sql } from "drizzle-orm";
import type { Database } from "./client";
import { agents, conversations, feedback, runSteps, runs, tools, workflows } from "./schema";

/** Aggregates for the dashboard over [from, end) (ISO dates), one workspace. */
export function createStatsRepository(db: Database) {
  const tokens = (column: typeof runs.usage | typeof runSteps.usage, key: string) =>
    sql<number>`coalesce(sum(json_extract(${column}, ${`$.${key}`})), 0)`;
  const countOf = async (
    table: typeof agents | typeof workflows | typeof tools | typeof runs | typeof conversations,
    ws: string,
  ) => {
    const [row] = await db.select({ n: sql<number>`count(*)` }).from(table).where(eq(table.workspaceId, ws));
    return Number(row?.n ?? 0);
  };
  return {
    async collect(ws: string, from: string, end: string) {
      const [
        agentCount,
        workflowCount,
        toolCount,
        runCount,
        conversationCount,
        perDay,
        byModel,
        byAgent,
        ratings,
      ] = await Promise.all([
        countOf(agents, ws),
        countOf(workflows, ws),
        countOf(tools, ws),
        countOf(runs, ws),
        countOf(conversations, ws),
        db
          .select({
            day: sql<string>`substr(${runs.createdAt}, 1, 10)`,
            status: runs.status,
            count: sql<number>`count(*)`,
          })
          .from(runs)
          .where(and(eq(runs.workspaceId, ws), gte(runs.createdAt, from), lt(runs.createdAt, end)))
          .groupBy(sql`1`, runs.status)
          .orderBy(sql`1`),
        db
          .select({
            model: runSteps.model,
            calls: sql<number>`count(*)`,
            inputTokens: tokens(runSteps.usage, "inputTokens"),
            outputTokens: tokens(runSteps.usage, "outputTokens"),
            cachedInputTokens: tokens(runSteps.usage, "cachedInputTokens"),
            costUsd: sql<number>`coalesce(sum(${runSteps.costUsd}), 0)`,
          })
          .from(runSteps)
          .where(
            and(
              eq(runSteps.workspaceId, ws),
              eq(runSteps.kind, "llm"),
              // A model call that failed before answering has no model or usage to report.
              sql`${runSteps.model} is not null`,
              gte(runSteps.startedAt, from),
              lt(runSteps.startedAt, end),
            ),
          )
          .groupBy(runSteps.model),
        db
          .select({
            agentId: runs.agentId,
            runs: sql<number>`count(*)`,
            inputTokens: tokens(runs.usage, "inputTokens"),
            outputTokens: tokens(runs.usage, "outputTokens"),
            cachedInputTokens: tokens(runs.usage, "cachedInputTokens"),
            costUsd: sql<number>`coalesce(sum(${runs.costUsd}), 0)`,
          })
          .from(runs)
          .where(
            and(
              eq(runs.workspaceId, ws),
              gte(runs.createdAt, from),
              lt(runs.createdAt, end),
              sql`${runs.agentId} is not null`,
            ),
          )
          .groupBy(runs.agentId),
        db
          .select({ rating: feedback.rating, count: sql<number>`count(*)` })
          .from(feedback)
          .where(
            and(eq(feedback.workspaceId, ws), gte(feedback.createdAt, from), lt(feedback.createdAt, end)),
          )
          .groupBy(feedback.rating),
      ]);
      return {
        counts: {
          agents: agentCount,
          workflows: workflowCount,
          tools: toolCount,
          runs: runCount,
          conversations: conversationCount,
        },
        perDay,
        byModel,
        byAgent,
        ratings,
      };
    },
  };
}
