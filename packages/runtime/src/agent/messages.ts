import type { JsonValue, Message } from "@agentos/core";
import type { ModelMessage } from "ai";

/** The text a run input stands for: strings as they are, anything else as JSON. */
export function inputText(input: JsonValue): string {
  return typeof input === "string" ? input : JSON.stringify(input);
}

const toolOutput = (value: JsonValue | undefined, errorText?: string) =>
  errorText !== undefined
    ? { type: "error-text" as const, value: errorText }
    : typeof value === "string"
      ? { type: "text" as const, value }
      : { type: "json" as const, value: (value ?? null) as never };

/** Stored conversation messages as model messages; tool parts become a call and its result. */
export function toModelMessages(history: Message[]): ModelMessage[] {
  const messages: ModelMessage[] = [];
  for (const message of history) {
    if (message.role === "system") {
      const text = message.parts.flatMap((p) => (p.type === "text" ? [p.text] : [])).join("\n");
      if (text) messages.push({ role: "system", content: text });
      continue;
    }
    if (message.role === "user") {
      const text = message.parts.flatMap((p) => (p.type === "text" ? [p.text] : [])).join("\n");
      messages.push({ role: "user", content: text });
      continue;
    }
    const content: Array<
      | { type: "text"; text: string }
      | { type: "tool-call"; toolCallId: string; toolName: string; input: unknown }
    > = [];
    const results: ModelMessage[] = [];
    for (const part of message.parts) {
      if (part.type === "text") content.push({ type: "text", text: part.text });
      if (part.type === "tool") {
        content.push({
          type: "tool-call",
          toolCallId: part.toolCallId,
          toolName: part.toolName,
          input: part.input,
        });
        results.push({
          role: "tool",
          content: [
            {
              type: "tool-result",
              toolCallId: part.toolCallId,
              toolName: part.toolName,
              output: toolOutput(part.output, part.errorText),
            },
          ],
        });
      }
    }
    if (content.length > 0) messages.push({ role: "assistant", content });
    messages.push(...results);
  }
  return messages;
}

export { toolOutput };
