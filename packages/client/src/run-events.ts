import type { RunEvent } from "@agentos/core";
import { parseServerSentEvents } from "./sse";

export interface FollowOptions {
  /** Resume after this seq (sent as Last-Event-ID); 0 or absent starts at the first event. */
  lastEventId?: number;
  signal?: AbortSignal;
  /** Wait before reconnecting after a dropped connection; a server `retry:` overrides it. */
  retryMs?: number;
  /** Reconnections in a row that deliver nothing before giving up. */
  maxRetries?: number;
}

/**
 * Follows a run's event stream until the server's `end` event, reconnecting with Last-Event-ID
 * when the connection drops, so each event is yielded exactly once and in seq order. `open` makes
 * the request for "events after `lastEventId`"; it is called again for each reconnection.
 */
export async function* followRunEvents(
  runId: string,
  open: (lastEventId: number, signal: AbortSignal | undefined) => Promise<Response>,
  options: FollowOptions = {},
): AsyncGenerator<RunEvent, void, undefined> {
  let last = options.lastEventId ?? 0;
  let retryMs = options.retryMs ?? 1000;
  const maxRetries = options.maxRetries ?? 5;
  let failures = 0;
  for (;;) {
    if (options.signal?.aborted) return;
    let progressed = false;
    let dropped: unknown = null;
    try {
      const response = await open(last, options.signal);
      if (!response.body) throw new Error("The run event stream has no body.");
      for await (const message of parseServerSentEvents(response.body)) {
        if (message.retry !== undefined) retryMs = message.retry;
        if (message.event === "end") return;
        const parsed = JSON.parse(message.data) as Omit<RunEvent, "runId">;
        // A replay after reconnecting can overlap what was already delivered.
        if (parsed.seq <= last) continue;
        last = parsed.seq;
        progressed = true;
        yield { runId, ...parsed } as RunEvent;
      }
    } catch (error) {
      if (options.signal?.aborted) return;
      // An HTTP error (404, 401) is final; only a dropped connection is worth another try.
      if (error instanceof Error && "status" in error) throw error;
      dropped = error;
    }
    if (progressed) failures = 0;
    else if (++failures > maxRetries) {
      throw new Error(`The event stream of run ${runId} kept closing without an end event.`, {
        cause: dropped,
      });
    }
    await new Promise((resolve) => setTimeout(resolve, retryMs));
  }
}
