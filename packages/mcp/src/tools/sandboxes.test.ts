import { describe, expect, it } from "vitest";
import { execResult } from "./sandboxes";
import type { ToolContext } from "./tool";

function ndjson(lines: unknown[]): Response {
  // Split mid-line, as a network would, to prove lines are reassembled.
  const text = lines.map((l) => JSON.stringify(l)).join("\n");
  const middle = Math.floor(text.length / 2);
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(new TextEncoder().encode(text.slice(0, middle)));
      controller.enqueue(new TextEncoder().encode(`${text.slice(middle)}\n`));
      controller.close();
    },
  });
  return new Response(body, { headers: { "content-type": "application/x-ndjson" } });
}

function recordingContext(progress: string[]): ToolContext {
  return {
    api: {} as ToolContext["api"],
    signal: new AbortController().signal,
    progress: async (m) => void progress.push(m),
  };
}

describe("sandbox exec answers", () => {
  it("relay output chunks as progress and return the result line", async () => {
    const progress: string[] = [];
    const result = await execResult(
      ndjson([
        { type: "chunk", stream: "stdout", text: "hello\n" },
        { type: "chunk", stream: "stderr", text: "warn\n" },
        {
          type: "result",
          exitCode: 0,
          timedOut: false,
          truncated: false,
          stdout: "hello\n",
          stderr: "warn\n",
          durationMs: 12,
        },
      ]),
      recordingContext(progress),
    );
    expect(result).toMatchObject({ exitCode: 0, stdout: "hello\n", durationMs: 12 });
    expect(progress).toEqual(["stdout: hello\n", "stderr: warn\n"]);
  });

  it("turn an error line into a tool error with its title and detail", async () => {
    await expect(
      execResult(
        ndjson([
          {
            type: "error",
            status: 409,
            title: "Conflict",
            detail: "The sandbox was deleted.",
            code: "conflict",
          },
        ]),
        recordingContext([]),
      ),
    ).rejects.toThrow("Conflict (409): The sandbox was deleted.");
  });

  it("say so when the stream ends without a result", async () => {
    await expect(
      execResult(ndjson([{ type: "chunk", stream: "stdout", text: "x" }]), recordingContext([])),
    ).rejects.toThrow(/without a result/);
  });
});
