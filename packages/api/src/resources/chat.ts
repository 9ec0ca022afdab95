import { Conflict } from "@agentos/core";
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { stream } from "hono/streaming";
import type { ApiDeps, ApiEnv } from "../context";
import { requireJson } from "../middleware";
import { commonErrors, IdParams, jsonBody, problem } from "../openapi-schemas";
import { createUiChunkTranslator } from "./chat-stream";
import { followRunEvents } from "./run-events";

const ChatRequest = z
  .object({
    id: z.string().max(200).optional(),
    messages: z
      .array(
        z
          .object({
            id: z.string().max(200).optional(),
            role: z.enum(["system", "user", "assistant"]),
            parts: z.array(z.object({ type: z.string() }).loose()).max(200),
          })
          .loose(),
      )
      .min(1)
      .max(1000),
  })
  .loose()
  .meta({
    id: "ChatRequest",
    description: "The body `useChat` (AI SDK) sends; the last user message is the new turn",
  });

/**
 * `POST /api/conversations/:id/chat`: stores the user's message, starts a chat run and streams the
 * reply in the AI SDK UI message stream format, so a standard `useChat` client renders it. The run
 * is durable: a client that disconnects can follow it later through `/api/runs/:id/events`.
 */
export function registerChatRoutes(app: OpenAPIHono<ApiEnv>, deps: ApiDeps): void {
  const { repos } = deps;
  app.openapi(
    createRoute({
      method: "post",
      path: "/api/conversations/{id}/chat",
      tags: ["Conversations"],
      summary: "Chat: send a message and stream the agent's reply (useChat protocol)",
      middleware: [requireJson] as const,
      request: { params: IdParams, body: jsonBody(ChatRequest) },
      responses: {
        200: {
          description:
            "UI message stream (SSE, header x-vercel-ai-ui-message-stream: v1); the run id is in the start chunk's messageMetadata",
          content: { "text/event-stream": { schema: z.string() } },
        },
        404: problem("No such conversation in this workspace"),
        409: problem("The last message is not from the user"),
        415: problem("The body is not JSON"),
        ...commonErrors,
      },
    }),
    async (c) => {
      const { workspaceId } = c.get("principal");
      const conversationId = c.req.valid("param").id;
      const conversation = await repos.conversations.get(workspaceId, conversationId);
      const last = c.req.valid("json").messages.at(-1)!;
      const text = last.parts
        .flatMap((p) => (p.type === "text" && typeof p.text === "string" ? [p.text] : []))
        .join("\n");
      if (last.role !== "user" || !text.trim()) {
        throw new Conflict("The last message must be a user message with text; there is nothing to answer.");
      }
      await repos.messages.insert(workspaceId, {
        conversationId,
        role: "user",
        parts: [{ type: "text", text }],
        runId: null,
      });
      const run = await repos.runStore.queue(workspaceId, {
        kind: "chat",
        agentId: conversation.agentId,
        conversationId,
        input: text,
      });
      deps.onRunQueued?.({ id: run.id, workspaceId, agentId: run.agentId, workflowId: null });
      const translator = createUiChunkTranslator(`msg-${run.id}`, run.id);
      c.header("content-type", "text/event-stream");
      c.header("cache-control", "no-cache");
      c.header("x-vercel-ai-ui-message-stream", "v1");
      c.header("x-agentos-run-id", run.id);
      return stream(c, async (out) => {
        let closed = false;
        out.onAbort(() => {
          closed = true;
        });
        const send = async (chunks: object[]) => {
          for (const chunk of chunks) await out.write(`data: ${JSON.stringify(chunk)}\n\n`);
        };
        await send(translator.start());
        await followRunEvents(
          repos,
          { id: run.id, workspaceId },
          0,
          (event) => send(translator.translate(event)),
          () => closed,
        );
        if (!closed) await out.write("data: [DONE]\n\n");
      }) as never;
    },
  );
}
