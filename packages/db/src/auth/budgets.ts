import {
  type Budget,
  type BudgetCreate,
  type BudgetSpend,
  Conflict,
  NotFound,
  newHostedId,
  periodBounds,
} from "@agentos/core";
import { and, asc, eq, gte, inArray, lt, sql } from "drizzle-orm";
import type { Database } from "../client";
import { isUniqueViolation, nowIso } from "../resource-repository";
import { budgets, runOrigins, runSteps, runs } from "../schema";

type BudgetRow = typeof budgets.$inferSelect;

const toBudget = ({ subjectId, ...row }: BudgetRow): Budget => ({
  ...row,
  agentId: row.scope === "agent" ? subjectId : null,
  tokenId: row.scope === "token" ? subjectId : null,
});

/** What a model call is charged to: its workspace, agent and the token that started the run. */
export interface SpendSubject {
  workspaceId: string;
  agentId: string | null;
  tokenId: string | null;
}

/** Spending limits and the spend recorded against them (model calls' cost in run_steps). */
export function createBudgetRepository(db: Database) {
  /** USD spent on model calls in [start, end) by the budget's subject. */
  async function spentUsd(budget: BudgetRow, start: string, end: string): Promise<number> {
    const inPeriod = and(
      eq(runSteps.workspaceId, budget.workspaceId),
      eq(runSteps.kind, "llm"),
      gte(runSteps.startedAt, start),
      lt(runSteps.startedAt, end),
    );
    const total = sql<number>`coalesce(sum(${runSteps.costUsd}), 0)`;
    if (budget.scope === "workspace") {
      const [row] = await db.select({ total }).from(runSteps).where(inPeriod);
      return Number(row?.total ?? 0);
    }
    if (budget.scope === "agent") {
      const [row] = await db
        .select({ total })
        .from(runSteps)
        .innerJoin(runs, eq(runs.id, runSteps.runId))
        .where(and(inPeriod, eq(runs.agentId, budget.subjectId)));
      return Number(row?.total ?? 0);
    }
    const [row] = await db
      .select({ total })
      .from(runSteps)
      .innerJoin(runOrigins, eq(runOrigins.runId, runSteps.runId))
      .where(and(inPeriod, eq(runOrigins.tokenId, budget.subjectId)));
    return Number(row?.total ?? 0);
  }

  async function withSpend(row: BudgetRow, at: Date): Promise<BudgetSpend> {
    const { start, end } = periodBounds(row.period, at);
    const spent = await spentUsd(row, start, end);
    return {
      ...toBudget(row),
      spentUsd: spent,
      remainingUsd: row.limitUsd - spent,
      periodStart: start,
      periodEnd: end,
      exceeded: spent >= row.limitUsd,
    };
  }

  const findRow = async (workspaceId: string, id: string) => {
    const [row] = await db
      .select()
      .from(budgets)
      .where(and(eq(budgets.workspaceId, workspaceId), eq(budgets.id, id)));
    if (!row) throw new NotFound("budget", id);
    return row;
  };

  return {
    async list(workspaceId: string): Promise<Budget[]> {
      const rows = await db
        .select()
        .from(budgets)
        .where(eq(budgets.workspaceId, workspaceId))
        .orderBy(asc(budgets.createdAt));
      return rows.map(toBudget);
    },
    get: async (workspaceId: string, id: string) => toBudget(await findRow(workspaceId, id)),
    async create(workspaceId: string, input: Required<BudgetCreate>): Promise<Budget> {
      const now = nowIso();
      const subjectId =
        input.scope === "workspace" ? workspaceId : input.scope === "agent" ? input.agentId! : input.tokenId!;
      const row: BudgetRow = {
        id: newHostedId("budget"),
        workspaceId,
        scope: input.scope,
        subjectId,
        period: input.period,
        limitUsd: input.limitUsd,
        createdAt: now,
        updatedAt: now,
      };
      try {
        await db.insert(budgets).values(row);
      } catch (error) {
        if (!isUniqueViolation(error)) throw error;
        throw new Conflict(
          `A ${input.period}ly budget for this ${input.scope} already exists; change its limitUsd instead.`,
          { cause: error },
        );
      }
      return toBudget(row);
    },
    async update(workspaceId: string, id: string, limitUsd: number): Promise<Budget> {
      const row = await findRow(workspaceId, id);
      const updated = { ...row, limitUsd, updatedAt: nowIso() };
      await db.update(budgets).set({ limitUsd, updatedAt: updated.updatedAt }).where(eq(budgets.id, id));
      return toBudget(updated);
    },
    async delete(workspaceId: string, id: string): Promise<void> {
      await findRow(workspaceId, id);
      await db.delete(budgets).where(eq(budgets.id, id));
    },
    /** Every budget of the workspace with its spend in the current period. */
    async spend(workspaceId: string, at = new Date()): Promise<BudgetSpend[]> {
      const rows = await db
        .select()
        .from(budgets)
        .where(eq(budgets.workspaceId, workspaceId))
        .orderBy(asc(budgets.createdAt));
      return Promise.all(rows.map((row) => withSpend(row, at)));
    },
    /** The budgets that apply to a model call by `subject`, each with its current spend. */
    async applicable(subject: SpendSubject, at = new Date()): Promise<BudgetSpend[]> {
      const subjects = [subject.workspaceId, subject.agentId, subject.tokenId].filter(
        (s): s is string => s !== null,
      );
      const rows = await db
        .select()
        .from(budgets)
        .where(and(eq(budgets.workspaceId, subject.workspaceId), inArray(budgets.subjectId, subjects)));
      return Promise.all(rows.map((row) => withSpend(row, at)));
    },
  };
}
export type BudgetRepository = ReturnType<typeof createBudgetRepository>;
