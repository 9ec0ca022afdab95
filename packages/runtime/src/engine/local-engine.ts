import type { JsonValue, Run, RunError } from "@agentos/core";
import type { ClaimedRun, RunStore } from "@agentos/db";
import type { AgentRunDeps } from "../agent/run-agent";
import { createRunEventSink, type RunEventSink } from "./event-sink";
import { executeRun } from "./execute-run";
import { createLocalStep } from "./local-step";
import { RunCancelled, RunFailed, RunSuspended } from "./signals";

export interface LocalEngineOptions {
  /** This process's identity on leases (the worker id). */
  owner: string;
  store: RunStore;
  /** Everything a run function needs, built per run. */
  depsFor(
    run: Run,
    signal: AbortSignal,
    events: RunEventSink,
  ): Omit<AgentRunDeps, "events" | "signal" | "store">;
  concurrency: number;
  /** A run whose lease is not renewed for this long is taken over by another worker. */
  leaseMs: number;
  /** Fallback polling for work when no wake-up arrives. */
  pollMs: number;
  log?: (message: string) => void;
}

export type RunOutcome =
  | { status: "succeeded"; output: JsonValue }
  | { status: "failed" | "cancelled"; error: RunError }
  | { status: "waiting"; wakeAtMs: number | null }
  | { status: "lost" };

/**
 * The local engine: claims queued runs with a lease in libSQL, runs up to `concurrency` at once,
 * renews leases while working, and resumes runs whose lease expired (a worker that died) — the
 * run function replays and memoised steps are not repeated. Cancel stops a run between steps and
 * aborts the in-flight model call.
 */
export class LocalEngine {
  private readonly active = new Map<string, { promise: Promise<RunOutcome>; controller: AbortController }>();
  private timer: ReturnType<typeof setInterval> | undefined;
  private pumping = false;
  private pumpAgain = false;
  private stopped = false;
  /** Runs given back on shutdown: their abort is a hand-over, not a cancellation. */
  private readonly released = new Set<string>();
  /** Resolved with each settled run, for tests and metrics. */
  readonly settled: Array<{ runId: string; outcome: RunOutcome }> = [];

  constructor(private readonly options: LocalEngineOptions) {}

  start(): void {
    this.stopped = false;
    this.timer = setInterval(() => this.wake(), this.options.pollMs);
    this.wake();
  }

  get activeRuns(): number {
    return this.active.size;
  }

  /** Aborts a run this engine is executing (its cancel was requested); false if it runs elsewhere. */
  cancel(runId: string): boolean {
    const active = this.active.get(runId);
    active?.controller.abort();
    return active !== undefined;
  }

  /** Looks for work now (called when a run is queued, and by the poll timer). */
  wake(): void {
    if (this.stopped) return;
    if (this.pumping) {
      this.pumpAgain = true;
      return;
    }
    this.pumping = true;
    void this.pump().finally(() => {
      this.pumping = false;
      if (this.pumpAgain) {
        this.pumpAgain = false;
        this.wake();
      }
    });
  }

  private async pump(): Promise<void> {
    while (!this.stopped && this.active.size < this.options.concurrency) {
      let claimed: ClaimedRun | null;
      try {
        claimed = await this.options.store.claim(this.options.owner, this.options.leaseMs);
      } catch (error) {
        this.options.log?.(`engine: claiming a run failed: ${(error as Error).message}`);
        return;
      }
      if (!claimed) return;
      const controller = new AbortController();
      const runId = claimed.run.id;
      const promise = this.execute(claimed, controller).then((outcome) => {
        this.active.delete(runId);
        this.settled.push({ runId, outcome });
        this.wake();
        return outcome;
      });
      this.active.set(runId, { promise, controller });
    }
  }

  private async execute(
    { run, cancelRequested }: ClaimedRun,
    controller: AbortController,
  ): Promise<RunOutcome> {
    const { store, owner, leaseMs } = this.options;
    let lost = false;
    if (cancelRequested) controller.abort();
    const renew = setInterval(
      () => {
        store.renewLease(run.id, owner, leaseMs).then(
          (lease) => {
            if (!lease) {
              lost = true;
              controller.abort();
            } else if (lease.cancelRequested) controller.abort();
          },
          () => {},
        );
      },
      Math.max(50, Math.floor(leaseMs / 3)),
    );
    const events = createRunEventSink(store, run);
    const step = createLocalStep({
      store,
      run,
      isCancelled: async () => controller.signal.aborted || (await store.isCancelRequested(run.id)),
    });
    try {
      await events.emit("status", { status: "running" });
      const deps: AgentRunDeps = {
        ...this.options.depsFor(run, controller.signal, events),
        store,
        events,
        signal: controller.signal,
      };
      const output = await executeRun(step, deps, run);
      await events.flush();
      if (lost) return { status: "lost" };
      await events.emit("status", { status: "succeeded" });
      await store.finish(run.id, owner, { status: "succeeded", output });
      return { status: "succeeded", output };
    } catch (error) {
      await events.flush().catch(() => {});
      if (lost || this.released.has(run.id)) return { status: "lost" };
      if (error instanceof RunSuspended) {
        await events.emit("status", { status: "waiting" });
        await store.suspend(run.id, owner, error.wakeAtMs);
        return { status: "waiting", wakeAtMs: error.wakeAtMs };
      }
      if (
        error instanceof RunCancelled ||
        (controller.signal.aborted && (await store.isCancelRequested(run.id)))
      ) {
        const runError = { code: "cancelled", message: "The run was cancelled." };
        await events.emit("status", { status: "cancelled" });
        await store.finish(run.id, owner, { status: "cancelled", error: runError });
        return { status: "cancelled", error: runError };
      }
      if (error instanceof RunFailed && error.code === "budget_exceeded") {
        // Parked, not failed: raising the budget re-queues it (POST /api/runs/{id}/resume too).
        await events.emit("status", {
          status: "waiting",
          error: { code: error.code, message: error.message },
        });
        await store.suspend(run.id, owner, null);
        return { status: "waiting", wakeAtMs: null };
      }
      const runError =
        error instanceof RunFailed
          ? { code: error.code, message: error.message }
          : { code: "run_error", message: (error as Error)?.message ?? String(error) };
      this.options.log?.(`engine: run ${run.id} failed: ${runError.message}`);
      await events.emit("status", { status: "failed", error: runError });
      await store.finish(run.id, owner, { status: "failed", error: runError });
      return { status: "failed", error: runError };
    } finally {
      clearInterval(renew);
    }
  }

  /**
   * Stops claiming, lets running runs finish for up to `drainMs`, then aborts the rest and
   * releases their leases so another worker resumes them at once.
   */
  async stop(drainMs: number): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    const runs = [...this.active.entries()];
    const drained = Promise.all(runs.map(([, r]) => r.promise));
    const timedOut = await Promise.race([
      drained.then(() => false),
      new Promise<boolean>((resolve) => setTimeout(() => resolve(true), drainMs).unref()),
    ]);
    if (!timedOut) return;
    for (const [runId, { controller }] of this.active) {
      this.released.add(runId);
      await this.options.store.release(runId, this.options.owner);
      controller.abort();
    }
  }
}
