import { z } from "zod";

/** The MCP benchmark's environment; parsed once at start. */
export const McpBenchEnv = z.object({
  BENCH_MCP_CALLS: z.coerce
    .number()
    .int()
    .min(10)
    .max(100_000)
    .default(1000)
    .describe("Sequential round trips measured per protocol (after a tenth as many to warm up)"),
  BENCH_MCP_SESSION_SECONDS: z.coerce
    .number()
    .positive()
    .max(120)
    .default(5)
    .describe("Seconds of opening, using and closing sessions, per concurrency level"),
  BENCH_MCP_SEEDED_AGENTS: z.coerce.number().int().min(1).max(1000).default(100),
});
export type McpBenchConfig = z.output<typeof McpBenchEnv>;

/** Parses the environment, naming the bad variable. */
export function loadMcpBenchConfig(env: Record<string, string | undefined> = process.env): McpBenchConfig {
  const result = McpBenchEnv.safeParse(env);
  if (result.success) return result.data;
  const lines = result.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
  throw new Error(`bench/mcp: invalid configuration\n${lines.join("\n")}`);
}
