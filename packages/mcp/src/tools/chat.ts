import { type Conversation, Id, type Message, type Run } from "@agentos/core";
import { z } from "zod";
import type { Page } from "../api/page";
import type { StudioApi } from "../api/studio-api";
import { followRun } from "../runs/follow";
import { runResult } from "../runs/result";
import { WaitInput } from "./inputs";
import { defineTool, ok, ToolError } from "./tool";

/** The assistant's text after the user's message, as the chat run wrote it. */
async function replyAfter(api: StudioApi, conversationId: string, messageId: string): Promise<string> {
  const page = await api.get<Page<Message>>(`/api/conversations/${conversationId}/messages`, {
    cursor: messageId,
    limit: 100,
  });
  return page.items
    .filter((m) => m.role === "assistant")
    .flatMap((m) => m.parts.flatMap((p) => (p.type === "text" ? [p.text] : [])))
    .join("\n");
}

export const chatTools = [
  defineTool({
    name: "chat_with_agent",
    title: "Chat with an agent (one turn)",
    description:
      "Sends one user message to an agent in a conversation and returns the agent's reply. Without `conversationId` a new conversation is started; pass the returned conversationId to continue it. By default waits for the reply with progress notifications; with `wait: false` returns the queued chat run at once.",
    input: z.object({
      agentId: Id.describe("Id of the agent to talk to"),
      message: z.string().min(1, "must not be empty").max(100_000).describe("The user's message"),
      conversationId: Id.optional().describe("Continue this conversation (it must belong to the agent)"),
      ...WaitInput,
    }),
    async run({ agentId, message, conversationId, wait, timeoutSeconds }, context) {
      const { api } = context;
      let conversation: Conversation;
      if (conversationId) {
        conversation = await api.get<Conversation>(`/api/conversations/${conversationId}`);
        if (conversation.agentId !== agentId) {
          throw new ToolError(
            `conversationId: conversation ${conversationId} belongs to agent ${conversation.agentId}, not ${agentId}. Leave conversationId out to start a new conversation with ${agentId}.`,
          );
        }
      } else {
        conversation = await api.post<Conversation>("/api/conversations", {
          agentId,
          title: message.slice(0, 80),
        });
      }
      const sent = await api.post<Message>(`/api/conversations/${conversation.id}/messages`, {
        role: "user",
        parts: [{ type: "text", text: message }],
      });
      const created = await api.post<Run>("/api/runs", {
        kind: "chat",
        agentId,
        conversationId: conversation.id,
        input: message,
      });
      const ids = { conversationId: conversation.id, messageId: sent.id };
      if (!wait) {
        return ok(
          { run: created, ...ids },
          `Message sent; chat run ${created.id} is ${created.status}. Call get_run with this runId for the reply.`,
        );
      }
      const followed = await followRun(api, created.id, {
        signal: context.signal,
        timeoutMs: timeoutSeconds * 1000,
        onProgress: context.progress,
      });
      const { run } = followed;
      if (followed.timedOut) {
        return ok(
          { run, ...ids, timedOut: true },
          `Chat run ${run.id} is still ${run.status} after ${timeoutSeconds} s; call get_run with this runId later.`,
        );
      }
      if (run.status !== "succeeded") return runResult(run, ids);
      const reply = await replyAfter(api, conversation.id, sent.id);
      const text = reply || (typeof run.output === "string" ? run.output : JSON.stringify(run.output));
      return ok({ reply: text, run, ...ids }, text);
    },
  }),
];
