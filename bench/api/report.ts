import type { LoadFigures } from "./load";

export const BARE_TARGET = "bare Hono + libSQL";

/** One measured (or failed) target × endpoint. */
export interface Measurement {
  target: string;
  endpoint: string;
  figures: LoadFigures | null;
  /** Why there are no figures. */
  error?: string;
}

/** The target's req/s over the bare handler's for the same endpoint, or null if either is missing. */
export function ratioToBare(measurement: Measurement, all: Measurement[]): number | null {
  const bare = all.find((m) => m.target === BARE_TARGET && m.endpoint === measurement.endpoint);
  if (!measurement.figures || !bare?.figures || bare.figures.requestsPerSecond === 0) return null;
  return measurement.figures.requestsPerSecond / bare.figures.requestsPerSecond;
}

const fixed = (value: number, digits: number) => value.toFixed(digits);

/** A Markdown table: target, endpoint, req/s, p50, p99, non-2xx, errors, ratio vs bare. */
export function formatTable(measurements: Measurement[]): string {
  const header = ["target", "endpoint", "req/s", "p50 ms", "p99 ms", "non-2xx", "errors", "vs bare"];
  const rows = measurements.map((m) => {
    const ratio = ratioToBare(m, measurements);
    const f = m.figures;
    if (!f) return [m.target, m.endpoint, "failed", "", "", "", "", ""];
    return [
      m.target,
      m.endpoint,
      fixed(f.requestsPerSecond, 0),
      fixed(f.p50Ms, 1),
      fixed(f.p99Ms, 1),
      String(f.non2xx),
      String(f.errors),
      ratio === null ? "n/a" : `${fixed(ratio, 2)}×`,
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const numeric = (i: number) => i >= 2;
  const line = (cells: string[]) =>
    `| ${cells.map((c, i) => (numeric(i) ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0))).join(" | ")} |`;
  const rule = `|${widths.map((w, i) => (numeric(i) ? `${"-".repeat(w + 1)}:` : "-".repeat(w + 2))).join("|")}|`;
  return [line(header), rule, ...rows.map(line)].join("\n");
}
