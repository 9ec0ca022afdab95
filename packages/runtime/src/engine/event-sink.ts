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
  let chain: Promise<unknown> = Promise.resolve();
  const enqueue = (write: () => Promise<unknown>) => {
    chain = chain.then(write, write);
    return chain;
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
      flushText();
      await enqueue(() => store.appendEvent(run, type, payload));
    },
    textDelta(text, meta) {
      if (pending && meta?.step !== pendingStep) flushText();
      pending += text;
      pendingStep = meta?.step ?? "";
      if (timer) return;
      const wait = lastTextWriteAt + coalesceMs - performance.now();
      if (wait <= 0) void flushText();
      else timer = setTimeout(() => void flushText(), wait);
    },
    async flush() {
      await flushText();
      await chain;
    },
  };
}
