import type { JsonValue, RunEventType } from "@agentos/core";
import type { RunStore } from "@agentos/db";

/** Where a run reports progress: events land in `run_events` with a sequence number. */
export interface RunEventSink {
  emit(type: RunEventType, payload: JsonValue): Promise<void>;
  /** Streamed model text; coalesced into fewer `text.delta` events. */
  textDelta(text: string, meta?: { step: string }): void;
  flush(): Promise<void>;
}

/**
 * Writes run events, with at most one `text.delta` write per `coalesceMs`: a delta after a quiet
 * spell is written at once (no added wait for a model streaming slower than that), and the
 * deltas that arrive within the window after a write are joined into one event written when it
 * ends, so a fast token stream does not become one database write per token.
 */
export function createRunEventSink(
  store: RunStore,
  run: { id: string; workspaceId: string },
  coalesceMs = 5,
): RunEventSink {
  let pending = "";
  let pendingStep = "";
  let timer: ReturnType<typeof setTimeout> | undefined;
  let lastTextWriteAt = Number.NEGATIVE_INFINITY;
  // Writes run one after another; `chain` never rejects: the first failed write is kept in
  // `failure` and thrown by flush(), and a failed emit() rejects its own caller too.
  let chain: Promise<unknown> = Promise.resolve();
  let failure: { error: unknown } | null = null;
  const enqueue = (write: () => Promise<unknown>) => {
    const written = chain.then(write);
    chain = written.catch((error: unknown) => {
      failure ??= { error };
    });
    return written;
  };
  const flushText = () => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    if (!pending) return chain;
    const text = pending;
    const step = pendingStep;
    pending = "";
    lastTextWriteAt = performance.now();
    return enqueue(() => store.appendEvent(run, "text.delta", { text, step }));
  };
  return {
    async emit(type, payload) {
      flushText().catch(() => {});
      await enqueue(() => store.appendEvent(run, type, payload));
    },
    textDelta(text, meta) {
      if (pending && meta?.step !== pendingStep) flushText().catch(() => {});
      pending += text;
      pendingStep = meta?.step ?? "";
      if (timer) return;
      const wait = lastTextWriteAt + coalesceMs - performance.now();
      // Fire and forget: a failed write is thrown by flush().
      if (wait <= 0) flushText().catch(() => {});
      else timer = setTimeout(() => flushText().catch(() => {}), wait);
    },
    async flush() {
      await flushText().catch(() => {});
      await chain;
      if (failure) {
        const { error } = failure;
        failure = null;
        throw error;
      }
    },
  };
}
