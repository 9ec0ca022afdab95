/**
 * Splits a byte stream into its non-empty lines as they arrive (LF or CRLF: Ollama ends NDJSON
 * lines with LF, the Docker engine's progress stream with CRLF).
 */
export async function* lines(
  body: AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>,
): AsyncGenerator<string, void, undefined> {
  const decoder = new TextDecoder();
  let buffered = "";
  for await (const part of body) {
    buffered += typeof part === "string" ? part : decoder.decode(part, { stream: true });
    for (let newline = buffered.indexOf("\n"); newline >= 0; newline = buffered.indexOf("\n")) {
      const line = buffered.slice(0, newline).replace(/\r$/, "");
      buffered = buffered.slice(newline + 1);
      if (line.trim()) yield line;
    }
  }
  buffered += decoder.decode();
  if (buffered.trim()) yield buffered.replace(/\r$/, "");
}
