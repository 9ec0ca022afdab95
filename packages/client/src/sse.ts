/** One Server-Sent Events message, as the HTML spec's event stream interpretation defines it. */
export interface SseMessage {
  /** `event:` field; "message" when absent. */
  event: string;
  /** `data:` lines joined with "\n". */
  data: string;
  /** `id:` field of this message, or null when it had none. */
  id: string | null;
  /** `retry:` in milliseconds, when the server sent one. */
  retry?: number;
}

/**
 * Parses a `text/event-stream` body into messages. Handles LF, CRLF and CR line ends, multi-line
 * `data`, comments (`: keep-alive`) and chunks that split a line or a UTF-8 sequence anywhere.
 */
export async function* parseServerSentEvents(
  body: ReadableStream<Uint8Array>,
): AsyncGenerator<SseMessage, void, undefined> {
  let buffer = "";
  let event = "";
  let data: string[] = [];
  let id: string | null = null;
  let retry: number | undefined;
  const dispatch = (): SseMessage | null => {
    const message =
      data.length > 0
        ? { event: event || "message", data: data.join("\n"), id, ...(retry === undefined ? {} : { retry }) }
        : null;
    event = "";
    data = [];
    id = null;
    retry = undefined;
    return message;
  };
  for await (const text of textOf(body)) {
    buffer += text;
    for (;;) {
      const end = buffer.search(/\r\n|\r|\n/);
      // A lone CR at the end may be the first half of CRLF: wait for the next chunk.
      if (end < 0 || (end === buffer.length - 1 && buffer[end] === "\r")) break;
      const line = buffer.slice(0, end);
      buffer = buffer.slice(end + (buffer.startsWith("\r\n", end) ? 2 : 1));
      if (line === "") {
        const message = dispatch();
        if (message) yield message;
        continue;
      }
      if (line.startsWith(":")) continue;
      const colon = line.indexOf(":");
      const field = colon < 0 ? line : line.slice(0, colon);
      let value = colon < 0 ? "" : line.slice(colon + 1);
      if (value.startsWith(" ")) value = value.slice(1);
      if (field === "data") data.push(value);
      else if (field === "event") event = value;
      else if (field === "id" && !value.includes("\0")) id = value;
      else if (field === "retry" && /^\d+$/.test(value)) retry = Number(value);
    }
  }
}

/** Decodes a byte stream as UTF-8 text, chunk by chunk (a split multi-byte character waits). */
async function* textOf(body: ReadableStream<Uint8Array>): AsyncGenerator<string, void, undefined> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      yield decoder.decode(value, { stream: true });
    }
    const rest = decoder.decode();
    if (rest) yield rest;
  } finally {
    reader.releaseLock();
  }
}

/**
 * Parses an NDJSON body (one JSON value per line) as the lines arrive; blank lines are skipped.
 */
export async function* parseNdjson<T>(body: ReadableStream<Uint8Array>): AsyncGenerator<T, void, undefined> {
  let buffer = "";
  for await (const text of textOf(body)) {
    buffer += text;
    let end = buffer.indexOf("\n");
    while (end >= 0) {
      const line = buffer.slice(0, end).trim();
      buffer = buffer.slice(end + 1);
      if (line) yield JSON.parse(line) as T;
      end = buffer.indexOf("\n");
    }
  }
  if (buffer.trim()) yield JSON.parse(buffer) as T;
}
