import type { BudgetSpend, ModelPricing, Run } from "@agentos/core";
import type { Repositories } from "@agentos/db";
import {
  createBudgetRepository,
  createBudgetWaitRepository,
  createRunOriginRepository,
} from "@agentos/db/auth";
import type { RunEventSink } from "../engine/event-sink";
import { RunFailed } from "../engine/signals";

/**
 * A model call a budget does not allow. The local engine parks the run (`waiting`, error
 * `budget_exceeded`) until a raised limit re-queues it; on Inngest the run fails with it.
 */
export class BudgetExceeded extends RunFailed {
  constructor(
    message: string,
    readonly budgetId: string,
  ) {
    super("budget_exceeded", message);
    this.name = "BudgetExceeded";
  }
}

export interface ModelCallEstimate {
  agentId: string;
  pricing: ModelPricing | null;
  /** Tokens of the prompt about to be sent (estimated). */
  inputTokens: number;
  /** The most the call may produce (the agent's maxOutputTokens), if bounded. */
  maxOutputTokens: number | null;
}

/** The least a call costs (its prompt) plus the most its answer may cost, when bounded. */
export function worstCaseCostUsd(call: ModelCallEstimate): number {
  if (!call.pricing) return 0;
  return (
    (call.inputTokens * call.pricing.inputPerMTok +
      (call.maxOutputTokens ?? 0) * call.pricing.outputPerMTok) /
    1_000_000
  );
}

/** The first budget the call would cross, if any. */
export function budgetCrossed(budgets: BudgetSpend[], costUsd: number): BudgetSpend | undefined {
  return budgets.find((b) => b.spentUsd >= b.limitUsd || b.spentUsd + costUsd > b.limitUsd);
}

const usd = (n: number) => `$${n.toFixed(n < 1 ? 4 : 2)}`;

function describe(budget: BudgetSpend, costUsd: number): string {
  const subject =
    budget.scope === "workspace"
      ? "this workspace"
      : budget.scope === "agent"
        ? `agent ${budget.agentId}`
        : `API token ${budget.tokenId}`;
  return (
    `The ${budget.period === "day" ? "daily" : "monthly"} budget of ${subject} is ${usd(budget.limitUsd)}; ` +
    `${usd(budget.spentUsd)} is spent and the next model call could cost up to ${usd(costUsd)}, so it was not made. ` +
    `Raise the limit (PATCH /api/budgets/${budget.id}) and the run resumes.`
  );
}

/**
 * Checks the workspace's, the agent's and the starting token's budgets before a model call,
 * from the usage recorded in run_steps and the model's price. Throws BudgetExceeded (after
 * noting it on the run and in its events) when the call could cross one.
 */
export async function checkBudgets(
  deps: { repos: Repositories; events: RunEventSink },
  run: Run,
  call: ModelCallEstimate,
): Promise<void> {
  const db = deps.repos.db;
  const origin = await createRunOriginRepository(db).get(run.id);
  const budgets = await createBudgetRepository(db).applicable({
    workspaceId: run.workspaceId,
    agentId: call.agentId,
    tokenId: origin?.tokenId ?? null,
  });
  if (budgets.length === 0) return;
  const costUsd = worstCaseCostUsd(call);
  const crossed = budgetCrossed(budgets, costUsd);
  if (!crossed) return;
  const message = describe(crossed, costUsd);
  await createBudgetWaitRepository(db).noteExceeded(run.id, { code: "budget_exceeded", message });
  await deps.events.emit("log", {
    level: "error",
    code: "budget_exceeded",
    budgetId: crossed.id,
    limitUsd: crossed.limitUsd,
    spentUsd: crossed.spentUsd,
    message,
  });
  throw new BudgetExceeded(message, crossed.id);
}
