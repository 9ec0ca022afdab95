import { isFinalRunStatus, type Run, type RunEvent } from "@agentos/core";
import type { StudioApi } from "../api/studio-api";

export interface FollowOptions {
  signal: AbortSignal;
  /** Give up waiting after this long; the run goes on. */
  timeoutMs: number;
  /** Called once per new run event and once per status change, in order. */
  onProgress(message: string): Promise<void>;
  /** First and longest pause between polls when nothing changed. */
  minPollMs?: number;
  maxPollMs?: number;
}

export interface FollowResult {
  run: Run;
  /** Events seen while following. */
  eventCount: number;
  /** True when the run had not finished by the deadline. */
  timedOut: boolean;
}

const TEXT_PREVIEW = 120;

function preview(value: unknown): string {
  const text = typeof value === "string" ? value : JSON.stringify(value);
  return text.length > TEXT_PREVIEW ? `${text.slice(0, TEXT_PREVIEW)}…` : text;
}

/** One line saying what a run event is, for a progress notification. */
export function describeEvent(event: RunEvent): string {
  const payload = event.payload as Record<string, unknown> | null;
  const field = (key: string) =>
    payload && typeof payload === "object" && !Array.isArray(payload) ? payload[key] : undefined;
  switch (event.type) {
    case "status":
      return `#${event.seq} status ${String(field("status") ?? preview(event.payload))}`;
    case "tool.call":
      return `#${event.seq} tool call ${String(field("toolName") ?? field("name") ?? preview(event.payload))}`;
    case "text.delta":
      return `#${event.seq} text ${preview(field("text") ?? field("delta") ?? event.payload)}`;
    default:
      return `#${event.seq} ${event.type} ${preview(event.payload)}`;
  }
}

function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal.addEventListener("abort", onAbort, { once: true });
  });
}

/**
 * Follows a run through the contract API — `GET /api/runs/{id}/events?after=` and
 * `GET /api/runs/{id}` — until its status is final, the deadline passes or the caller aborts.
 * Polls quickly while things change and backs off while they do not.
 */
export async function followRun(
  api: StudioApi,
  runId: string,
  options: FollowOptions,
): Promise<FollowResult> {
  const minPoll = options.minPollMs ?? 50;
  const maxPoll = options.maxPollMs ?? 1000;
  const deadline = Date.now() + options.timeoutMs;
  let after = 0;
  let eventCount = 0;
  let lastStatus: Run["status"] | undefined;
  let delay = minPoll;

  const drainEvents = async (): Promise<boolean> => {
    let changed = false;
    for (;;) {
      const page = await api.get<{ items: RunEvent[]; nextAfter: number }>(`/api/runs/${runId}/events`, {
        after,
        limit: 500,
      });
      for (const event of page.items) {
        eventCount++;
        await options.onProgress(describeEvent(event));
      }
      changed ||= page.items.length > 0;
      after = page.nextAfter;
      if (page.items.length < 500) return changed;
    }
  };

  for (;;) {
    options.signal.throwIfAborted();
    let changed = await drainEvents();
    const run = await api.get<Run>(`/api/runs/${runId}`);
    if (run.status !== lastStatus) {
      lastStatus = run.status;
      changed = true;
      await options.onProgress(`run ${run.id} ${run.status}`);
    }
    if (isFinalRunStatus(run.status)) {
      // Events written between the last listing and the final status still belong to the log.
      await drainEvents();
      return { run, eventCount, timedOut: false };
    }
    if (Date.now() >= deadline) return { run, eventCount, timedOut: true };
    delay = changed ? minPoll : Math.min(delay * 2, maxPoll);
    await pause(Math.min(delay, Math.max(0, deadline - Date.now())), options.signal);
  }
}
