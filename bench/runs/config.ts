import { z } from "zod";

const Count = (max: number) => z.coerce.number().int().min(1).max(max);

/** The run benchmark's environment; parsed once at start. */
export const RunsBenchEnv = z
  .object({
    BENCH_RUNS: Count(10_000).default(100).describe("Sequential runs timed for dispatch latency"),
    BENCH_TOKENS: Count(100_000).default(200).describe("Tokens the stand-in model streams per answer"),
    BENCH_CHUNK_DELAY_MS: z.coerce
      .number()
      .min(0)
      .max(1000)
      .default(5)
      .describe("Pause of the stand-in before each streamed chunk"),
    BENCH_STREAMS: Count(50).default(3).describe("Repeats of the direct vs through-a-run stream comparison"),
    BENCH_CONCURRENT_RUNS: Count(5000).default(200).describe("Runs created at once for throughput"),
  })
  .transform((env) => ({
    dispatchRuns: env.BENCH_RUNS,
    tokens: env.BENCH_TOKENS,
    chunkDelayMs: env.BENCH_CHUNK_DELAY_MS,
    streamRepeats: env.BENCH_STREAMS,
    concurrentRuns: env.BENCH_CONCURRENT_RUNS,
  }));
export type RunsBenchConfig = z.output<typeof RunsBenchEnv>;

/** Parses the environment, naming the bad variable. */
export function loadRunsBenchConfig(env: Record<string, string | undefined> = process.env): RunsBenchConfig {
  const result = RunsBenchEnv.safeParse(env);
  if (result.success) return result.data;
  const lines = result.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
  throw new Error(`invalid configuration\n${lines.join("\n")}`);
}
