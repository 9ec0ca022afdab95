import { Id, Message, MessageCreate } from "@agentos/core";
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import type { ApiDeps, ApiEnv } from "../context";
import { requireJson } from "../middleware";
import { commonErrors, IdParams, json, jsonBody, problem } from "../openapi-schemas";

const MessageSchema = Message.meta({ id: "Message" });
const notFound = problem("No such conversation in this workspace");

/** Messages of a conversation: listing in order and appending. Replies come from chat runs. */
export function registerMessageRoutes(app: OpenAPIHono<ApiEnv>, { repos }: ApiDeps): void {
  app.openapi(
    createRoute({
      method: "get",
      path: "/api/conversations/{id}/messages",
      tags: ["Conversations"],
      summary: "List the messages of a conversation",
      description: "Oldest first. `cursor` is the nextCursor of the previous page.",
      request: {
        params: IdParams,
        query: z.object({
          limit: z.coerce.number().int().min(1).max(500).default(100),
          cursor: Id.optional(),
        }),
      },
      responses: {
        200: json(
          z
            .object({ items: z.array(MessageSchema), nextCursor: z.string().nullable() })
            .meta({ id: "MessagePage" }),
          "A page of messages",
        ),
        404: notFound,
        ...commonErrors,
      },
    }),
    async (c) => {
      const { workspaceId } = c.get("principal");
      const id = c.req.valid("param").id;
      const { limit, cursor } = c.req.valid("query");
      await repos.conversations.getRow(workspaceId, id);
      return c.json((await repos.messages.list(workspaceId, id, cursor, limit)) as never, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/api/conversations/{id}/messages",
      tags: ["Conversations"],
      summary: "Append a message to a conversation",
      middleware: [requireJson] as const,
      request: { params: IdParams, body: jsonBody(MessageCreate.meta({ id: "MessageCreate" })) },
      responses: {
        201: json(MessageSchema, "The stored message"),
        404: notFound,
        415: problem("The body is not JSON"),
        ...commonErrors,
      },
    }),
    async (c) => {
      const { workspaceId } = c.get("principal");
      const conversationId = c.req.valid("param").id;
      await repos.conversations.getRow(workspaceId, conversationId);
      const body = c.req.valid("json");
      const message = await repos.messages.insert(workspaceId, { ...body, conversationId, runId: null });
      return c.json(message as never, 201);
    },
  );
}
