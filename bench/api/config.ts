import { z } from "zod";

const Seconds = z.coerce.number().positive().max(600);

/** The benchmark's environment; parsed once at start. */
export const BenchEnv = z
  .object({
    BENCH_SECONDS: Seconds.default(8).describe("Measured seconds per target and endpoint"),
    BENCH_WARMUP_SECONDS: Seconds.optional().describe("Warm-up seconds before each measurement"),
    BENCH_CONNECTIONS: z.coerce.number().int().min(1).max(1000).default(20),
    BENCH_ROUNDS: z.coerce
      .number()
      .int()
      .min(1)
      .max(100)
      .default(4)
      .describe("Rounds the measured time is split into, targets taking turns"),
  })
  .transform((env) => ({
    measureSeconds: env.BENCH_SECONDS,
    // A quarter of the measured time (2 s for the default 8 s), so a short smoke run stays short.
    warmupSeconds: env.BENCH_WARMUP_SECONDS ?? Math.max(1, Math.round(env.BENCH_SECONDS / 4)),
    connections: env.BENCH_CONNECTIONS,
    // Rounds of at least a second each.
    rounds: Math.max(1, Math.min(env.BENCH_ROUNDS, Math.floor(env.BENCH_SECONDS))),
  }));
export type BenchConfig = z.output<typeof BenchEnv>;

/** Parses the environment, naming the bad variable. */
export function loadBenchConfig(env: Record<string, string | undefined> = process.env): BenchConfig {
  const result = BenchEnv.safeParse(env);
  if (result.success) return result.data;
  const lines = result.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
  throw new Error(`bench: invalid configuration\n${lines.join("\n")}`);
}
