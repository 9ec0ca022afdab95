import { z } from "zod";
import { RunStatus } from "./run";

const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "must be a date such as 2026-11-29");

export const StatsQuery = z.object({
  from: Day.optional().describe("First day, inclusive (UTC); default 30 days ago"),
  to: Day.optional().describe("Last day, inclusive (UTC); default today"),
});

const TokensAndCost = {
  inputTokens: z.number().int(),
  outputTokens: z.number().int(),
  cachedInputTokens: z.number().int(),
  costUsd: z.number(),
};

export const Stats = z.object({
  from: Day,
  to: Day,
  counts: z.object({
    agents: z.number().int(),
    workflows: z.number().int(),
    tools: z.number().int(),
    runs: z.number().int(),
    conversations: z.number().int(),
  }),
  runsPerDay: z.array(z.object({ day: Day, status: RunStatus, count: z.number().int() })),
  byModel: z.array(z.object({ model: z.string(), calls: z.number().int(), ...TokensAndCost })),
  byAgent: z.array(z.object({ agentId: z.string(), runs: z.number().int(), ...TokensAndCost })),
  feedback: z.object({ up: z.number().int(), down: z.number().int(), ratio: z.number().nullable() }),
});
export type Stats = z.infer<typeof Stats>;
