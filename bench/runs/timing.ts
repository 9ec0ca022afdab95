import { percentile } from "../api/load";

/**
 * Epoch milliseconds with sub-millisecond resolution. Comparable with the ISO times the server and
 * the worker write (same machine, same wall clock), which have millisecond resolution.
 */
export const wallNowMs = (): number => performance.timeOrigin + performance.now();

/** Milliseconds since the epoch of an ISO time written by a process. */
export const epochMsOf = (iso: string): number => Date.parse(iso);

export interface Summary {
  count: number;
  p50: number;
  p99: number;
  mean: number;
  max: number;
}

/** Nearest-rank p50/p99, mean and max of `values` (NaN when empty). */
export function summarize(values: number[]): Summary {
  const sorted = values.toSorted((a, b) => a - b);
  return {
    count: sorted.length,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    mean: sorted.length === 0 ? Number.NaN : sorted.reduce((sum, v) => sum + v, 0) / sorted.length,
    max: sorted.at(-1) ?? Number.NaN,
  };
}

export const median = (values: number[]): number => summarize(values).p50;

/** A figure for a table: fixed digits, or "n/a" when it could not be measured. */
export const fixed = (value: number, digits = 1): string =>
  Number.isFinite(value) ? value.toFixed(digits) : "n/a";
