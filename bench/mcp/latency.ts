/** Latency figures of a sample of round trips, in milliseconds. */
export interface Latency {
  count: number;
  p50: number;
  p99: number;
  mean: number;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)] ?? Number.NaN;
}

export function latencyOf(samplesMs: number[]): Latency {
  const sorted = [...samplesMs].sort((a, b) => a - b);
  const mean = sorted.reduce((sum, v) => sum + v, 0) / Math.max(1, sorted.length);
  return { count: sorted.length, p50: percentile(sorted, 50), p99: percentile(sorted, 99), mean };
}

/** Times `count` sequential calls of `action` after `warmup` untimed ones. */
export async function timeSequential(count: number, warmup: number, action: () => Promise<void>) {
  for (let i = 0; i < warmup; i++) await action();
  const samples: number[] = [];
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    await action();
    samples.push(performance.now() - started);
  }
  return latencyOf(samples);
}

export const ms = (value: number) => (Number.isFinite(value) ? `${value.toFixed(2)} ms` : "—");
