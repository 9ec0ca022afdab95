import type { RunEvent } from "@agentos/core";

/** A chunk of the AI SDK UI message stream (the protocol `useChat` reads). */
export type UiChunk = Record<string, unknown> & { type: string };

/**
 * Translates run events into UI message stream chunks, keeping the state the protocol needs
 * (an open text part between text-start and text-end, step boundaries). Stateful: one per stream.
 */
export function createUiChunkTranslator(messageId: string, runId: string) {
  let textId: string | null = null;
  let textCount = 0;
  let stepOpen = false;
  const closeText = (): UiChunk[] => {
    if (!textId) return [];
    const chunk = { type: "text-end", id: textId };
    textId = null;
    return [chunk];
  };
  const openStep = (): UiChunk[] => {
    if (stepOpen) return [];
    stepOpen = true;
    return [{ type: "start-step" }];
  };
  const closeStep = (): UiChunk[] => {
    if (!stepOpen) return [];
    stepOpen = false;
    return [...closeText(), { type: "finish-step" }];
  };
  return {
    start(): UiChunk[] {
      return [{ type: "start", messageId, messageMetadata: { runId } }];
    },
    translate(event: RunEvent): UiChunk[] {
      const p = (event.payload ?? {}) as Record<string, unknown>;
      switch (event.type) {
        case "step.start":
          return p.kind === "llm" ? [...closeStep(), ...openStep()] : [];
        case "text.delta": {
          const open: UiChunk[] = [];
          if (!textId) {
            textId = `text-${++textCount}`;
            open.push({ type: "text-start", id: textId });
          }
          return [...openStep(), ...open, { type: "text-delta", id: textId, delta: String(p.text ?? "") }];
        }
        case "tool.call":
          return [
            ...closeText(),
            // dynamic: the client knows tools only at run time, so they render as dynamic-tool parts.
            {
              type: "tool-input-available",
              toolCallId: String(p.toolCallId),
              toolName: String(p.toolName),
              input: p.input ?? {},
              dynamic: true,
            },
          ];
        case "tool.result":
          return p.isError
            ? [
                {
                  type: "tool-output-error",
                  toolCallId: String(p.toolCallId),
                  errorText: JSON.stringify(p.output),
                  dynamic: true,
                },
              ]
            : [
                {
                  type: "tool-output-available",
                  toolCallId: String(p.toolCallId),
                  output: p.output ?? null,
                  dynamic: true,
                },
              ];
        case "step.end":
          return p.kind === "llm" ? closeStep() : [];
        case "status": {
          if (p.status === "failed") {
            const error = p.error as { message?: string } | undefined;
            return [...closeStep(), { type: "error", errorText: error?.message ?? "The run failed." }];
          }
          if (p.status === "succeeded" || p.status === "cancelled") {
            return [
              ...closeStep(),
              {
                type: "finish",
                finishReason: p.status === "cancelled" ? "other" : "stop",
                messageMetadata: { runId, status: p.status },
              },
            ];
          }
          return [];
        }
        default:
          return [];
      }
    },
  };
}
