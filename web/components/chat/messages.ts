import type { Message } from "@agentos/core";
import type { UIMessage } from "ai";

/** What a chat message carries besides its parts: the run that produced it. */
export type ChatMetadata = { runId?: string; status?: string };
export type ChatMessage = UIMessage<ChatMetadata>;

/** Stored messages (GET /api/conversations/{id}/messages) as `useChat` messages. */
export function toUiMessages(messages: Message[]): ChatMessage[] {
  return messages
    .filter((m) => m.role !== "system")
    .map((m) => ({
      id: m.id,
      role: m.role,
      metadata: m.runId ? { runId: m.runId } : {},
      parts: m.parts.flatMap((part): ChatMessage["parts"] => {
        switch (part.type) {
          case "text":
            return [{ type: "text", text: part.text }];
          case "reasoning":
            return [{ type: "reasoning", text: part.text }];
          case "file":
            return [{ type: "text", text: `[file] ${part.filename ?? part.fileId}` }];
          case "tool":
            return [
              part.errorText !== undefined
                ? {
                    type: "dynamic-tool",
                    toolName: part.toolName,
                    toolCallId: part.toolCallId,
                    state: "output-error",
                    input: part.input,
                    errorText: part.errorText,
                  }
                : {
                    type: "dynamic-tool",
                    toolName: part.toolName,
                    toolCallId: part.toolCallId,
                    state: "output-available",
                    input: part.input,
                    output: part.output,
                  },
            ];
          default:
            return [];
        }
      }),
    }));
}

/** Tool durations of stored messages by tool call id (the live stream does not carry them). */
export function toolDurations(messages: Message[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const m of messages)
    for (const p of m.parts)
      if (p.type === "tool" && p.durationMs !== undefined) out[p.toolCallId] = p.durationMs;
  return out;
}

/** The problem behind a failed chat request: the transport puts the response body in the message. */
export function chatErrorOf(error: Error): unknown {
  try {
    const problem = JSON.parse(error.message) as { title?: string; detail?: string; status?: number };
    if (problem && typeof problem.title === "string") return { status: problem.status ?? null, problem };
  } catch {
    // Not a problem document: show the message as it is.
  }
  return error;
}
