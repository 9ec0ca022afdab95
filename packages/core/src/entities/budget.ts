import { z } from "zod";
import { Id } from "../ids";
import { Stored, Timestamp } from "./common";

export const BudgetScope = z.enum(["workspace", "agent", "token"]);
export type BudgetScope = z.infer<typeof BudgetScope>;
export const BudgetPeriod = z.enum(["day", "month"]);
export type BudgetPeriod = z.infer<typeof BudgetPeriod>;

const Usd = z.number().nonnegative().max(1_000_000_000);

/** A spending limit in USD per UTC day or month, for the workspace, one agent or one API token. */
export const BudgetCreate = z
  .object({
    scope: BudgetScope,
    agentId: Id.nullable().default(null).describe("Required when scope is agent"),
    tokenId: Id.nullable().default(null).describe("Required when scope is token"),
    period: BudgetPeriod,
    limitUsd: Usd,
  })
  .superRefine((b, ctx) => {
    if (b.scope === "agent" && !b.agentId)
      ctx.addIssue({ code: "custom", path: ["agentId"], message: "is required for an agent budget" });
    if (b.scope === "token" && !b.tokenId)
      ctx.addIssue({ code: "custom", path: ["tokenId"], message: "is required for a token budget" });
  });
export type BudgetCreate = z.input<typeof BudgetCreate>;

export const BudgetUpdate = z.object({ limitUsd: Usd });
export type BudgetUpdate = z.input<typeof BudgetUpdate>;

export const Budget = z.object({
  id: Id,
  workspaceId: Id,
  scope: BudgetScope,
  agentId: Id.nullable(),
  tokenId: Id.nullable(),
  period: BudgetPeriod,
  limitUsd: Usd,
  ...Stored,
});
export type Budget = z.infer<typeof Budget>;

/** A budget with what has been spent against it in the current period. */
export const BudgetSpend = Budget.extend({
  spentUsd: z.number().nonnegative(),
  remainingUsd: z.number(),
  periodStart: Timestamp,
  periodEnd: Timestamp,
  exceeded: z.boolean(),
});
export type BudgetSpend = z.infer<typeof BudgetSpend>;

/** The start (inclusive) and end (exclusive) of the UTC period containing `at`. */
export function periodBounds(period: BudgetPeriod, at: Date): { start: string; end: string } {
  const y = at.getUTCFullYear();
  const m = at.getUTCMonth();
  const d = at.getUTCDate();
  const start = period === "day" ? Date.UTC(y, m, d) : Date.UTC(y, m, 1);
  const end = period === "day" ? Date.UTC(y, m, d + 1) : Date.UTC(y, m + 1, 1);
  return { start: new Date(start).toISOString(), end: new Date(end).toISOString() };
}
