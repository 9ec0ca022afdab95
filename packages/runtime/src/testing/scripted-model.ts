import type { LanguageModelV4StreamPart } from "@ai-sdk/provider";
import { MockLanguageModelV4 } from "ai/test";

/** One scripted model answer: text, tool calls, or both. */
export interface ScriptedTurn {
  text?: string;
  toolCalls?: Array<{ toolName: string; input: unknown; toolCallId?: string }>;
  usage?: { inputTokens: number; outputTokens: number; cachedInputTokens?: number };
  /** Pause before each text chunk (ms), to make a stream slow enough to interrupt. */
  chunkDelayMs?: number;
  /** Split the text into this many chunks (default: one per word). */
  chunks?: number;
}

/**
 * A scripted model on the AI SDK's own mock (`MockLanguageModelV4`): each call streams the next
 * turn in real v4 stream parts. It stands in for a hosted LLM in tests; abort signals are honoured.
 */
export function scriptedModel(
  turns: ScriptedTurn[],
  modelId = "scripted",
): MockLanguageModelV4 & { calls: number } {
  let index = 0;
  const model = new MockLanguageModelV4({
    provider: "scripted",
    modelId,
    doStream: async ({ abortSignal }) => {
      const turn = turns[Math.min(index, turns.length - 1)] ?? { text: "" };
      index++;
      model.calls = index;
      const words = turn.text ? (turn.text.match(/\S+\s*/g) ?? [turn.text]) : [];
      const pieces =
        turn.chunks && turn.text
          ? Array.from({ length: turn.chunks }, (_, i) =>
              turn.text!.slice(
                Math.floor((i * turn.text!.length) / turn.chunks!),
                Math.floor(((i + 1) * turn.text!.length) / turn.chunks!),
              ),
            )
          : words;
      const stream = new ReadableStream<LanguageModelV4StreamPart>({
        async start(controller) {
          controller.enqueue({ type: "stream-start", warnings: [] });
          if (pieces.length > 0) {
            controller.enqueue({ type: "text-start", id: "t1" });
            for (const delta of pieces) {
              if (turn.chunkDelayMs) await new Promise((r) => setTimeout(r, turn.chunkDelayMs));
              if (abortSignal?.aborted) {
                controller.error(abortSignal.reason ?? new DOMException("Aborted", "AbortError"));
                return;
              }
              controller.enqueue({ type: "text-delta", id: "t1", delta });
            }
            controller.enqueue({ type: "text-end", id: "t1" });
          }
          (turn.toolCalls ?? []).forEach((call, i) => {
            controller.enqueue({
              type: "tool-call",
              toolCallId: call.toolCallId ?? `call_${index}_${i}`,
              toolName: call.toolName,
              input: JSON.stringify(call.input),
            });
          });
          const usage = turn.usage ?? { inputTokens: 10, outputTokens: 5 };
          controller.enqueue({
            type: "finish",
            finishReason: { unified: turn.toolCalls?.length ? "tool-calls" : "stop", raw: undefined },
            usage: {
              inputTokens: {
                total: usage.inputTokens,
                noCache: usage.inputTokens - (usage.cachedInputTokens ?? 0),
                cacheRead: usage.cachedInputTokens ?? 0,
                cacheWrite: undefined,
              },
              outputTokens: { total: usage.outputTokens, text: usage.outputTokens, reasoning: undefined },
            },
          });
          controller.close();
        },
      });
      return { stream };
    },
  }) as MockLanguageModelV4 & { calls: number };
  model.calls = 0;
  return model;
}
