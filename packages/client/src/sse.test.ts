import { describe, expect, it } from "vitest";
import { followRunEvents } from "./run-events";
import { parseNdjson, parseServerSentEvents, type SseMessage } from "./sse";

/** A body that delivers `pieces` as separate chunks, as a network would. */
function bodyOf(pieces: Array<string | Uint8Array>): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const piece of pieces)
        controller.enqueue(typeof piece === "string" ? encoder.encode(piece) : piece);
      controller.close();
    },
  });
}

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}

const event = (seq: number, type = "log", payload: unknown = { message: `m${seq}` }) =>
  `id: ${seq}\nevent: ${type}\ndata: ${JSON.stringify({ seq, type, payload, createdAt: "2026-01-01T00:00:00.000Z" })}\n\n`;

describe("parseServerSentEvents", () => {
  it("reads id, event and data of each message and skips comments", async () => {
    const messages = await collect(
      parseServerSentEvents(bodyOf([": keep-alive\n\n", 'id: 1\nevent: status\ndata: {"a":1}\n\n'])),
    );
    expect(messages).toEqual<SseMessage[]>([{ event: "status", data: '{"a":1}', id: "1" }]);
  });

  it("joins a message split across chunks anywhere, CRLF and a multi-byte character included", async () => {
    const bytes = new TextEncoder().encode("data: héllo\r\ndata: wörld\r\n\r\n");
    const pieces = Array.from(bytes, (b) => new Uint8Array([b]));
    const messages = await collect(parseServerSentEvents(bodyOf(pieces)));
    expect(messages).toEqual([{ event: "message", data: "héllo\nwörld", id: null }]);
  });

  it("reports a retry interval and ignores a message with no data", async () => {
    const messages = await collect(
      parseServerSentEvents(bodyOf(["retry: 250\nevent: x\n\n", "retry: 10\ndata: y\n\n"])),
    );
    expect(messages).toEqual([{ event: "message", data: "y", id: null, retry: 10 }]);
  });
});

describe("parseNdjson", () => {
  it("yields each line as it completes and the last line without a newline", async () => {
    const lines = await collect(
      parseNdjson(bodyOf(['{"type":"chunk","te', 'xt":"a"}\n\n{"type":"res', 'ult"}'])),
    );
    expect(lines).toEqual([{ type: "chunk", text: "a" }, { type: "result" }]);
  });
});

describe("followRunEvents", () => {
  it("stops at the end event", async () => {
    const events = await collect(
      followRunEvents(
        "run_1",
        async () => new Response(bodyOf([event(1), event(2), "event: end\ndata: {}\n\n"])),
      ),
    );
    expect(events.map((e) => [e.runId, e.seq])).toEqual([
      ["run_1", 1],
      ["run_1", 2],
    ]);
  });

  it("reconnects after a dropped stream with Last-Event-ID and delivers each event once", async () => {
    const asked: number[] = [];
    const streams = [
      [event(1), event(2)],
      // The server replays from the id it was given; an overlap must not be delivered twice.
      [event(2), event(3), "event: end\ndata: {}\n\n"],
    ];
    const events = await collect(
      followRunEvents(
        "run_1",
        async (lastEventId) => {
          asked.push(lastEventId);
          return new Response(bodyOf(streams.shift() ?? []));
        },
        { retryMs: 1 },
      ),
    );
    expect(asked).toEqual([0, 2]);
    expect(events.map((e) => e.seq)).toEqual([1, 2, 3]);
  });

  it("gives up after reconnections that deliver nothing", async () => {
    let opened = 0;
    const follow = followRunEvents(
      "run_1",
      async () => {
        opened++;
        return new Response(bodyOf([]));
      },
      { retryMs: 1, maxRetries: 2 },
    );
    await expect(collect(follow)).rejects.toThrow(/kept closing without an end event/);
    expect(opened).toBe(3);
  });

  it("does not retry an HTTP error", async () => {
    const notFound = Object.assign(new Error("Run not found"), { status: 404 });
    let opened = 0;
    const follow = followRunEvents("run_1", async () => {
      opened++;
      throw notFound;
    });
    await expect(collect(follow)).rejects.toBe(notFound);
    expect(opened).toBe(1);
  });
});
