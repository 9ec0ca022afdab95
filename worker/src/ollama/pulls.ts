import { randomBytes } from "node:crypto";
import { Invalid, NotFound, type OllamaPull } from "@agentos/core";
import { pullError } from "./errors";
import type { OllamaApi } from "./ollama-api";
import {
  cancelTally,
  failTally,
  isMilestone,
  isPullFinished,
  type PullProgress,
  type PullTally,
  startTally,
  tallyLine,
} from "./pull-progress";
import type { OllamaPullLine } from "./wire";

export type PullListener = (pull: OllamaPull) => void;

export interface ModelPullsOptions {
  /** The Ollama to pull from (throws when there is none ready). */
  api(): Promise<OllamaApi>;
  /** Least time between two progress snapshots of one pull (phases and layers go out at once). Default 100 ms. */
  intervalMs?: number;
  /** While bytes stand still, a snapshot this often anyway, so speed and ETA decay. Default 1 s. */
  stallRefreshMs?: number;
  /** How long a pull request waits for Ollama to resolve the manifest, so a bad name fails the request. Default 5 s. */
  manifestWaitMs?: number;
  /** How long finished pulls stay visible. Default 1 h. */
  retainMs?: number;
  now?: () => number;
}

interface Entry {
  id: string;
  tally: PullTally;
  seq: number;
  startedAt: string;
  updatedAt: number;
  finishedAt: number | null;
  controller: AbortController;
  listeners: Set<PullListener>;
  lastSent: PullProgress | null;
  lastSentAt: number;
  timer: NodeJS.Timeout | null;
  /** Settles when Ollama resolved the manifest: the first layer, an error, or the end. */
  manifest: Promise<void>;
}

const MAX_RETAINED = 100;
const PULL_ID = /^pull_[0-9a-z]{26}$/;

/** Time-ordered ids like the rest of the Studio's (`pull_` + 26 base-36 characters). */
function newPullId(now: number): string {
  const time = now.toString(36).padStart(10, "0");
  const random = [...randomBytes(16)].map((b) => (b % 36).toString(36)).join("");
  return `pull_${time}${random}`;
}

/** Ollama resolves `llama3.2` to `llama3.2:latest`; pulls of either are the same pull. */
export function canonicalModelName(name: string): string {
  return /:[^/]+$/.test(name) ? name : `${name}:latest`;
}

/**
 * The model pulls of one worker: each runs Ollama's streaming `/api/pull`, folds its lines into a
 * progress tally, and sends snapshots to subscribers (at most every `intervalMs`, milestones at
 * once). State lives here, not in the request, so a client that reconnects (a browser reload)
 * picks up where the pull is. Cancelling aborts the NDJSON stream; Ollama keeps the partial blobs,
 * so pulling the same model again resumes.
 */
export class ModelPulls {
  private readonly entries = new Map<string, Entry>();
  private readonly intervalMs: number;
  private readonly stallRefreshMs: number;
  private readonly manifestWaitMs: number;
  private readonly retainMs: number;
  private readonly now: () => number;

  constructor(private readonly options: ModelPullsOptions) {
    this.intervalMs = options.intervalMs ?? 100;
    this.stallRefreshMs = options.stallRefreshMs ?? 1000;
    this.manifestWaitMs = options.manifestWaitMs ?? 5000;
    this.retainMs = options.retainMs ?? 3_600_000;
    this.now = options.now ?? Date.now;
  }

  /**
   * Starts pulling `name`, or answers the pull of it already running. Throws at once when Ollama
   * is unreachable or rejects the name, and when the manifest fails within `manifestWaitMs`.
   */
  async start(name: string): Promise<OllamaPull> {
    const model = canonicalModelName(name);
    const running = [...this.entries.values()].find(
      (e) => e.tally.model === model && !isPullFinished(e.tally.progress),
    );
    if (running) return this.snapshot(running);
    const api = await this.options.api();
    const controller = new AbortController();
    const lines = await api.pull(model, controller.signal);
    const now = this.now();
    let manifestResolved = () => {};
    const entry: Entry = {
      id: newPullId(now),
      tally: startTally(model),
      seq: 0,
      startedAt: new Date(now).toISOString(),
      updatedAt: now,
      finishedAt: null,
      controller,
      listeners: new Set(),
      lastSent: null,
      lastSentAt: 0,
      timer: null,
      manifest: new Promise<void>((resolve) => {
        manifestResolved = resolve;
      }),
    };
    this.entries.set(entry.id, entry);
    this.prune();
    void this.follow(entry, lines, api, manifestResolved);
    let waited: NodeJS.Timeout | undefined;
    await Promise.race([
      entry.manifest,
      new Promise<void>((resolve) => {
        waited = setTimeout(resolve, this.manifestWaitMs);
      }),
    ]);
    clearTimeout(waited);
    const error = entry.tally.progress.error;
    if (error?.code === "model_not_found") {
      // Nothing was downloaded and nothing will be: the request itself was wrong.
      this.entries.delete(entry.id);
      throw Invalid.field("body.name", error.message);
    }
    return this.snapshot(entry);
  }

  /** The pull with this id. */
  get(id: string): OllamaPull {
    return this.snapshot(this.entry(id));
  }

  /** Running pulls first, then finished ones, newest first. */
  list(): OllamaPull[] {
    return [...this.entries.values()]
      .sort(
        (a, b) =>
          Number(isPullFinished(a.tally.progress)) - Number(isPullFinished(b.tally.progress)) ||
          b.startedAt.localeCompare(a.startedAt),
      )
      .map((e) => this.snapshot(e));
  }

  /** Whether a pull of `name` is running (its model must not be deleted meanwhile). */
  isPulling(name: string): boolean {
    const model = canonicalModelName(name);
    return [...this.entries.values()].some(
      (e) => e.tally.model === model && !isPullFinished(e.tally.progress),
    );
  }

  /** Stops a running pull (a finished one is answered as it is). */
  cancel(id: string): OllamaPull {
    const entry = this.entry(id);
    if (!isPullFinished(entry.tally.progress)) {
      entry.tally = cancelTally(entry.tally);
      entry.controller.abort();
      this.finish(entry);
    }
    return this.snapshot(entry);
  }

  /**
   * Calls `listener` with the current snapshot at once, then with every later one until the pull
   * ends. Returns the unsubscribe function.
   */
  subscribe(id: string, listener: PullListener): () => void {
    const entry = this.entry(id);
    listener(this.snapshot(entry));
    if (isPullFinished(entry.tally.progress)) return () => {};
    entry.listeners.add(listener);
    return () => entry.listeners.delete(listener);
  }

  /** Aborts every running pull (worker shutdown); Ollama keeps what it downloaded. */
  close(): void {
    for (const entry of this.entries.values()) {
      if (entry.timer) clearTimeout(entry.timer);
      if (!isPullFinished(entry.tally.progress)) entry.controller.abort();
    }
  }

  private entry(id: string): Entry {
    const entry = PULL_ID.test(id) ? this.entries.get(id) : undefined;
    if (!entry) throw new NotFound("pull", id);
    return entry;
  }

  private async follow(
    entry: Entry,
    lines: AsyncGenerator<OllamaPullLine, void, undefined>,
    api: OllamaApi,
    manifestResolved: () => void,
  ): Promise<void> {
    const { baseUrl } = api;
    try {
      for await (const line of lines) {
        const before = entry.tally.progress;
        entry.tally = tallyLine(entry.tally, line, this.now());
        entry.updatedAt = this.now();
        const after = entry.tally.progress;
        if (after.layers.length > 0 || after.error || isPullFinished(after)) manifestResolved();
        if (isPullFinished(after)) break;
        this.changed(entry, isMilestone(before, after));
      }
      if (!isPullFinished(entry.tally.progress)) {
        entry.tally = failTally(
          entry.tally,
          pullError(
            "interrupted",
            entry.tally.model,
            `Ollama at ${baseUrl} ended the stream before "success"`,
          ),
        );
      }
    } catch (error) {
      if (!isPullFinished(entry.tally.progress)) {
        const why =
          error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : "";
        // A broken stream from an Ollama that still answers is a network hiccup; otherwise it went away.
        const isUp = await api.version(1000).then(
          () => true,
          () => false,
        );
        // A cancel during the check wins: failTally leaves a finished tally alone.
        entry.tally = failTally(
          entry.tally,
          pullError(
            isUp ? "interrupted" : "unreachable",
            entry.tally.model,
            `the connection to Ollama at ${baseUrl} broke: ${why}`,
          ),
        );
      }
    } finally {
      manifestResolved();
      this.finish(entry);
    }
  }

  /** Sends a snapshot now (milestones), or once the interval since the last one has passed. */
  private changed(entry: Entry, isUrgent: boolean): void {
    const now = this.now();
    const last = entry.lastSent;
    const progress = entry.tally.progress;
    const isStill = last !== null && last.completedBytes === progress.completedBytes && !isUrgent;
    if (isStill && now - entry.lastSentAt < this.stallRefreshMs) return;
    if (isUrgent || now - entry.lastSentAt >= this.intervalMs) this.send(entry);
    else entry.timer ??= setTimeout(() => this.send(entry), entry.lastSentAt + this.intervalMs - now);
  }

  private send(entry: Entry): void {
    if (entry.timer) clearTimeout(entry.timer);
    entry.timer = null;
    entry.seq += 1;
    entry.lastSent = entry.tally.progress;
    entry.lastSentAt = this.now();
    const pull = this.snapshot(entry);
    for (const listener of entry.listeners) listener(pull);
  }

  private finish(entry: Entry): void {
    if (entry.finishedAt !== null) return;
    entry.finishedAt = this.now();
    this.send(entry);
    entry.listeners.clear();
    setTimeout(() => this.entries.delete(entry.id), this.retainMs).unref();
  }

  private prune(): void {
    const finished = [...this.entries.values()].filter((e) => e.finishedAt !== null);
    for (const entry of finished.slice(0, Math.max(0, this.entries.size - MAX_RETAINED))) {
      this.entries.delete(entry.id);
    }
  }

  private snapshot(entry: Entry): OllamaPull {
    const { progress, model } = entry.tally;
    return {
      id: entry.id,
      model,
      seq: entry.seq,
      ...progress,
      startedAt: entry.startedAt,
      updatedAt: new Date(entry.updatedAt).toISOString(),
      finishedAt: entry.finishedAt === null ? null : new Date(entry.finishedAt).toISOString(),
    };
  }
}
