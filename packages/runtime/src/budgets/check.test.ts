import type { BudgetSpend } from "@agentos/core";
import { describe, expect, it } from "vitest";
import { budgetCrossed, worstCaseCostUsd } from "./check";

const budget = (spentUsd: number, limitUsd: number): BudgetSpend => ({
  id: "bdg_01jh5x4y8k2m3n4p5q6r7s8t9v",
  workspaceId: "ws_00000000000000000000000000",
  scope: "workspace",
  agentId: null,
  tokenId: null,
  period: "day",
  limitUsd,
  spentUsd,
  remainingUsd: limitUsd - spentUsd,
  periodStart: "2026-01-01T00:00:00.000Z",
  periodEnd: "2026-01-02T00:00:00.000Z",
  exceeded: spentUsd >= limitUsd,
  createdAt: "2026-01-01T00:00:00.000Z",
  updatedAt: "2026-01-01T00:00:00.000Z",
});

describe("budgets", () => {
  it("prices a call at its prompt plus its bounded answer", () => {
    const pricing = { inputPerMTok: 2, outputPerMTok: 10, cachedInputPerMTok: 1 };
    expect(
      worstCaseCostUsd({ agentId: "a", pricing, inputTokens: 1_000_000, maxOutputTokens: 100_000 }),
    ).toBe(3);
    expect(worstCaseCostUsd({ agentId: "a", pricing, inputTokens: 500_000, maxOutputTokens: null })).toBe(1);
    expect(worstCaseCostUsd({ agentId: "a", pricing: null, inputTokens: 9, maxOutputTokens: 9 })).toBe(0);
  });

  it("stops the call that would cross a limit, and any once the limit is reached", () => {
    expect(budgetCrossed([budget(0.5, 1)], 0.4)).toBeUndefined();
    expect(budgetCrossed([budget(0.5, 1)], 0.6)?.limitUsd).toBe(1);
    expect(budgetCrossed([budget(1, 1)], 0)?.limitUsd).toBe(1);
    expect(budgetCrossed([budget(0, 2), budget(2, 3)], 1.5)?.limitUsd).toBe(3);
  });
});
