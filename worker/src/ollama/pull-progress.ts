import type { OllamaPull, OllamaPullError, OllamaPullStatus } from "@agentos/core";
import { classifyOllamaError, pullError } from "./errors";
import type { OllamaPullLine } from "./wire";

/** Where a pull stands: the part of a pull snapshot its progress lines decide (the rest is the pull's own). */
export type PullProgress = Omit<
  OllamaPull,
  "id" | "model" | "seq" | "startedAt" | "updatedAt" | "finishedAt"
>;

/** The progress plus what speed needs: when each layer was first seen, and recent samples. */
export interface PullTally {
  model: string;
  progress: PullProgress;
  /** Bytes of each layer at the first line that named it (already on disk before this pull). */
  firstSeen: Record<string, number>;
  /** [time ms, bytes downloaded by this pull] within the speed window. */
  samples: Array<[number, number]>;
}

const SPEED_WINDOW_MS = 3000;
const MIN_SPEED_SPAN_MS = 250;

const isFinal = (status: OllamaPullStatus) =>
  status === "succeeded" || status === "failed" || status === "cancelled";

/** A tally before the first line. */
export function startTally(model: string): PullTally {
  return {
    model,
    progress: {
      status: "pulling",
      message: "starting",
      layers: [],
      completedBytes: 0,
      totalBytes: 0,
      percent: null,
      bytesPerSecond: null,
      etaSeconds: null,
      resumedBytes: 0,
      error: null,
    },
    firstSeen: {},
    samples: [],
  };
}

/** The tally after one line of Ollama's pull stream, received at `nowMs`. Pure. */
export function tallyLine(tally: PullTally, line: OllamaPullLine, nowMs: number): PullTally {
  if (isFinal(tally.progress.status)) return tally;
  if ("error" in line) {
    return failTally(tally, pullError(classifyOllamaError(line.error), tally.model, line.error));
  }
  const { status } = line;
  if (line.digest && line.total !== undefined) {
    return tallyBytes(
      tally,
      { digest: line.digest, total: line.total, completed: line.completed ?? 0 },
      status,
      nowMs,
    );
  }
  const progress = { ...tally.progress, message: status };
  if (status === "verifying sha256 digest") progress.status = "verifying";
  else if (status === "writing manifest") progress.status = "writing";
  else if (status === "success") {
    progress.status = "succeeded";
    progress.completedBytes = progress.totalBytes;
    progress.percent = 100;
    progress.bytesPerSecond = null;
    progress.etaSeconds = 0;
  }
  return { ...tally, progress };
}

function tallyBytes(
  tally: PullTally,
  layer: { digest: string; total: number; completed: number },
  message: string,
  nowMs: number,
): PullTally {
  const firstSeen =
    layer.digest in tally.firstSeen
      ? tally.firstSeen
      : { ...tally.firstSeen, [layer.digest]: layer.completed };
  const layers = tally.progress.layers.some((l) => l.digest === layer.digest)
    ? tally.progress.layers.map((l) =>
        l.digest === layer.digest ? { ...l, totalBytes: layer.total, completedBytes: layer.completed } : l,
      )
    : [
        ...tally.progress.layers,
        { digest: layer.digest, totalBytes: layer.total, completedBytes: layer.completed },
      ];
  const completedBytes = layers.reduce((sum, l) => sum + l.completedBytes, 0);
  const totalBytes = layers.reduce((sum, l) => sum + l.totalBytes, 0);
  const resumedBytes = Object.values(firstSeen).reduce((sum, bytes) => sum + bytes, 0);
  // Speed counts only what this pull downloaded, not what a resumed layer already had.
  const downloaded = completedBytes - resumedBytes;
  const samples = [...tally.samples, [nowMs, downloaded] as [number, number]].filter(
    ([t], i, all) => nowMs - t <= SPEED_WINDOW_MS || i === all.length - 1,
  );
  const bytesPerSecond = speedOf(samples);
  const percent = totalBytes > 0 ? Math.floor((completedBytes / totalBytes) * 1000) / 10 : null;
  const etaSeconds =
    bytesPerSecond && bytesPerSecond > 0 ? Math.ceil((totalBytes - completedBytes) / bytesPerSecond) : null;
  return {
    ...tally,
    firstSeen,
    samples,
    progress: {
      ...tally.progress,
      status: "pulling",
      message,
      layers,
      completedBytes,
      totalBytes,
      percent,
      bytesPerSecond,
      etaSeconds,
      resumedBytes,
    },
  };
}

function speedOf(samples: Array<[number, number]>): number | null {
  const first = samples[0];
  const last = samples.at(-1);
  if (!first || !last || last[0] - first[0] < MIN_SPEED_SPAN_MS) return null;
  return Math.max(0, Math.round(((last[1] - first[1]) * 1000) / (last[0] - first[0])));
}

/** The tally of a pull that ended without success. */
export function failTally(tally: PullTally, error: OllamaPullError): PullTally {
  if (isFinal(tally.progress.status)) return tally;
  return {
    ...tally,
    progress: { ...tally.progress, status: "failed", error, bytesPerSecond: null, etaSeconds: null },
  };
}

/** The tally of a pull stopped on request. */
export function cancelTally(tally: PullTally): PullTally {
  if (isFinal(tally.progress.status)) return tally;
  return {
    ...tally,
    progress: {
      ...tally.progress,
      status: "cancelled",
      message: "cancelled",
      bytesPerSecond: null,
      etaSeconds: null,
    },
  };
}

/** Whether a pull has ended (succeeded, failed or cancelled). */
export function isPullFinished(progress: Pick<PullProgress, "status">): boolean {
  return isFinal(progress.status);
}

/** Whether a new progress is worth sending at once (a new phase or layer), not just more bytes. */
export function isMilestone(before: PullProgress, after: PullProgress): boolean {
  return (
    before.status !== after.status ||
    before.message !== after.message ||
    before.layers.length !== after.layers.length
  );
}
