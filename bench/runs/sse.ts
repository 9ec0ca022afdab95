import type { RunEvent } from "@agentos/core";
import { wallNowMs } from "./timing";

/** One Server-Sent Event, stamped with the time the bytes that completed it were read. */
export interface SseMessage {
  event: string;
  data: string;
  receivedAtMs: number;
}

function messageOf(block: string, receivedAtMs: number): SseMessage | null {
  let event = "message";
  const data: string[] = [];
  for (const line of block.split("\n")) {
    if (!line || line.startsWith(":")) continue; // comments are keep-alives
    const colon = line.indexOf(":");
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, "");
    if (field === "event") event = value;
    else if (field === "data") data.push(value);
  }
  return data.length > 0 || event !== "message" ? { event, data: data.join("\n"), receivedAtMs } : null;
}

/**
 * The events of an SSE body as they arrive. The time is taken when a read returns, before any
 * parsing, so it is the arrival time at this client.
 */
export async function* readSse(body: ReadableStream<Uint8Array>): AsyncGenerator<SseMessage> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      const receivedAtMs = wallNowMs();
      // Both servers read here (Hono's streamSSE and the stand-in) end lines with \n alone.
      buffer += decoder.decode(value, { stream: true });
      for (let boundary = buffer.indexOf("\n\n"); boundary >= 0; boundary = buffer.indexOf("\n\n")) {
        const message = messageOf(buffer.slice(0, boundary), receivedAtMs);
        buffer = buffer.slice(boundary + 2);
        if (message) yield message;
      }
    }
  } finally {
    await reader.cancel().catch(() => {});
  }
}

/** A run event as delivered over `GET /api/runs/{id}/events`, with its arrival time here. */
export type TimedRunEvent = Omit<RunEvent, "runId"> & { receivedAtMs: number };

/** Follows a run's event stream until its `end` event (the run is final); throws after `timeoutMs`. */
export async function followRunEvents(
  apiUrl: string,
  runId: string,
  timeoutMs: number,
): Promise<TimedRunEvent[]> {
  const response = await fetch(`${apiUrl}/api/runs/${runId}/events`, {
    headers: { accept: "text/event-stream" },
    signal: AbortSignal.timeout(timeoutMs),
  });
  if (!response.ok || !response.body) {
    throw new Error(`GET /api/runs/${runId}/events → ${response.status}: ${await response.text()}`);
  }
  const events: TimedRunEvent[] = [];
  for await (const message of readSse(response.body)) {
    if (message.event === "end") return events;
    events.push({
      ...(JSON.parse(message.data) as Omit<RunEvent, "runId">),
      receivedAtMs: message.receivedAtMs,
    });
  }
  throw new Error(`the event stream of run ${runId} closed before its end event`);
}
