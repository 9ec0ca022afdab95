import type { OllamaPull } from "@agentos/client";
import { formatBytes } from "./format";

/** A pull that is still moving bytes (or checking them). */
export function isPullActive(pull: Pick<OllamaPull, "status">): boolean {
  return pull.status === "pulling" || pull.status === "verifying" || pull.status === "writing";
}

/**
 * Merges a snapshot into the pulls shown: a pull's snapshots carry a sequence number, and one
 * older than what is shown (a list answer racing the event stream, or a reconnect) is ignored.
 * Active pulls come first, then the most recent.
 */
export function mergePull(pulls: readonly OllamaPull[], snapshot: OllamaPull): OllamaPull[] {
  const current = pulls.find((p) => p.id === snapshot.id);
  if (current && current.seq > snapshot.seq) return [...pulls];
  const merged = [...pulls.filter((p) => p.id !== snapshot.id), snapshot];
  return merged.sort(
    (a, b) => Number(isPullActive(b)) - Number(isPullActive(a)) || b.startedAt.localeCompare(a.startedAt),
  );
}

/**
 * The pulls a page shows: the running ones (a reload finds them again), the failed or cancelled
 * ones, whose reason the user may not have seen, and the succeeded ones the page watched run.
 * Dismissed pulls go, and so do older pulls of a model pulled again: the newer pull tells the story.
 */
export function pullsToShow(
  pulls: readonly OllamaPull[],
  { dismissed, watched }: { dismissed: ReadonlySet<string>; watched: ReadonlySet<string> },
): OllamaPull[] {
  const newest = new Map<string, OllamaPull>();
  for (const pull of pulls) {
    const seen = newest.get(pull.model);
    if (!seen || pull.startedAt > seen.startedAt) newest.set(pull.model, pull);
  }
  return [...newest.values()]
    .filter((p) => !dismissed.has(p.id) && (p.status !== "succeeded" || watched.has(p.id)))
    .reduce<OllamaPull[]>((shown, pull) => mergePull(shown, pull), []);
}

/**
 * A pull the worker no longer knows (it restarted, or another worker answers), shown as failed
 * and resumable: Ollama keeps the bytes, so pulling again carries on. A finished pull stays as it is.
 */
export function interruptedPull(pull: OllamaPull): OllamaPull {
  if (!isPullActive(pull)) return pull;
  return {
    ...pull,
    seq: pull.seq + 1,
    status: "failed",
    bytesPerSecond: null,
    etaSeconds: null,
    error: {
      code: "interrupted",
      message: `The worker no longer knows the pull of "${pull.model}" (it may have restarted). Pull it again to resume: Ollama keeps the partial download.`,
      resumable: true,
    },
  };
}

/** `35.2 MiB/s`, or null while the speed is unknown. */
export function formatRate(bytesPerSecond: number | null): string | null {
  if (bytesPerSecond === null || !Number.isFinite(bytesPerSecond) || bytesPerSecond <= 0) return null;
  return `${formatBytes(Math.round(bytesPerSecond))}/s`;
}

/** `about 2 min 5 s left`, `12 s left`, or null while unknown. */
export function formatEta(seconds: number | null): string | null {
  if (seconds === null || !Number.isFinite(seconds) || seconds < 0) return null;
  const s = Math.ceil(seconds);
  if (s < 60) return `${s} s left`;
  if (s < 3600) return `about ${Math.floor(s / 60)} min ${s % 60} s left`;
  return `about ${Math.floor(s / 3600)} h ${Math.round((s % 3600) / 60)} min left`;
}

const PHASE: Record<OllamaPull["status"], string> = {
  pulling: "Downloading",
  verifying: "Verifying",
  writing: "Writing",
  succeeded: "Installed",
  failed: "Failed",
  cancelled: "Cancelled",
};

/** What a progress bar and its caption say about a pull. */
export interface PullProgress {
  /** 0–100 for the bar, or null while the size is not known yet. */
  percent: number | null;
  /** `Downloading`, `Verifying`, … */
  phase: string;
  /** `42%`, or the phase while the size is unknown. */
  headline: string;
  /** `820.0 MiB of 1.9 GiB · 35.2 MiB/s · 23 s left` (only the parts known). */
  detail: string;
}

export function describePull(pull: OllamaPull): PullProgress {
  const percent =
    pull.status === "succeeded"
      ? 100
      : pull.percent === null
        ? null
        : Math.min(100, Math.max(0, Math.floor(pull.percent)));
  const phase = PHASE[pull.status];
  const parts: string[] = [];
  if (pull.totalBytes > 0)
    parts.push(`${formatBytes(pull.completedBytes)} of ${formatBytes(pull.totalBytes)}`);
  if (isPullActive(pull)) {
    const rate = formatRate(pull.bytesPerSecond);
    const eta = formatEta(pull.etaSeconds);
    if (rate) parts.push(rate);
    if (eta) parts.push(eta);
  }
  if (pull.resumedBytes > 0) parts.push(`resumed at ${formatBytes(pull.resumedBytes)}`);
  return {
    percent,
    phase,
    headline: percent === null || !isPullActive(pull) ? phase : `${phase} ${percent}%`,
    detail: parts.join(" · "),
  };
}
