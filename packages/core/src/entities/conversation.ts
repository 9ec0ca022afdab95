import { z } from "zod";
import { Id } from "../ids";
import { JsonValue, Stored, Timestamp, updateOf } from "./common";

export const ConversationCreate = z.object({
  agentId: Id,
  title: z.string().trim().max(200).default(""),
});
export type ConversationCreate = z.input<typeof ConversationCreate>;
export const ConversationUpdate = updateOf(ConversationCreate).omit({ agentId: true });
export type ConversationUpdate = z.input<typeof ConversationUpdate>;
export const Conversation = z.object({ id: Id, workspaceId: Id, ...ConversationCreate.shape, ...Stored });
export type Conversation = z.infer<typeof Conversation>;

/** Message parts follow the AI SDK's UI message parts, so a `useChat` client renders them as is. */
export const MessagePart = z.discriminatedUnion("type", [
  z.object({ type: z.literal("text"), text: z.string().max(1_000_000) }),
  z.object({ type: z.literal("reasoning"), text: z.string().max(1_000_000) }),
  z.object({
    type: z.literal("file"),
    fileId: Id,
    mediaType: z.string().max(200),
    filename: z.string().max(500).optional(),
  }),
  z.object({
    type: z.literal("tool"),
    toolCallId: z.string().max(200),
    toolName: z.string().max(200),
    input: JsonValue,
    output: JsonValue.optional(),
    errorText: z.string().optional(),
    durationMs: z.number().nonnegative().optional(),
  }),
]);
export type MessagePart = z.infer<typeof MessagePart>;

export const MessageRole = z.enum(["system", "user", "assistant"]);
export const MessageCreate = z.object({
  role: MessageRole.default("user"),
  parts: z.array(MessagePart).min(1).max(200),
});
export type MessageCreate = z.input<typeof MessageCreate>;

export const Message = z.object({
  id: Id,
  workspaceId: Id,
  conversationId: Id,
  ...MessageCreate.shape,
  runId: Id.nullable(),
  createdAt: Timestamp,
});
export type Message = z.infer<typeof Message>;
