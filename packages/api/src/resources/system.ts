import { ApiToken, ApiTokenCreate, ApiTokenCreated, Settings, SettingsUpdate } from "@agentos/core";
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { checkTokenGrant } from "../auth/token-policy";
import type { ApiDeps, ApiEnv } from "../context";
import { requireJson } from "../middleware";
import { commonErrors, IdParams, json, jsonBody, problem } from "../openapi-schemas";

export const Health = z
  .object({
    status: z.literal("ok"),
    mode: z.enum(["local", "hosted"]),
    version: z.string(),
    time: z.string(),
  })
  .meta({ id: "Health" });

/** Health, settings and API tokens. */
export function registerSystemRoutes(app: OpenAPIHono<ApiEnv>, { repos, config }: ApiDeps): void {
  app.openapi(
    createRoute({
      method: "get",
      path: "/api/health",
      tags: ["System"],
      summary: "Liveness",
      security: [],
      responses: { 200: json(Health, "The process is up") },
    }),
    (c) =>
      c.json(
        { status: "ok" as const, mode: config.mode, version: config.version, time: new Date().toISOString() },
        200,
      ),
  );

  const SettingsSchema = Settings.meta({ id: "Settings" });
  app.openapi(
    createRoute({
      method: "get",
      path: "/api/settings",
      tags: ["System"],
      summary: "Get the workspace settings",
      responses: { 200: json(SettingsSchema, "Settings with defaults filled in"), ...commonErrors },
    }),
    async (c) => c.json((await repos.settings.get(c.get("principal").workspaceId)) as never, 200),
  );
  app.openapi(
    createRoute({
      method: "patch",
      path: "/api/settings",
      tags: ["System"],
      summary: "Change workspace settings",
      middleware: [requireJson] as const,
      request: { body: jsonBody(SettingsUpdate.meta({ id: "SettingsUpdate" })) },
      responses: {
        200: json(SettingsSchema, "The new settings"),
        415: problem("The body is not JSON"),
        ...commonErrors,
      },
    }),
    async (c) => {
      const changes = Object.fromEntries(
        Object.entries(c.req.valid("json")).filter(([, v]) => v !== undefined),
      );
      return c.json((await repos.settings.update(c.get("principal").workspaceId, changes)) as never, 200);
    },
  );

  const TokenSchema = ApiToken.meta({ id: "ApiToken" });
  app.openapi(
    createRoute({
      method: "get",
      path: "/api/tokens",
      tags: ["System"],
      summary: "List API tokens",
      description: "Secrets are never listed; only their first characters (`prefix`).",
      responses: {
        200: json(z.object({ items: z.array(TokenSchema) }), "Tokens, oldest first"),
        ...commonErrors,
      },
    }),
    async (c) => c.json({ items: await repos.apiTokens.list(c.get("principal").workspaceId) } as never, 200),
  );
  app.openapi(
    createRoute({
      method: "post",
      path: "/api/tokens",
      tags: ["System"],
      summary: "Create an API token",
      description: "The response holds the secret `token`: it is shown this once and stored only as a hash.",
      middleware: [requireJson] as const,
      request: { body: jsonBody(ApiTokenCreate.meta({ id: "ApiTokenCreate" })) },
      responses: {
        201: json(ApiTokenCreated.meta({ id: "ApiTokenCreated" }), "The token, with its secret"),
        415: problem("The body is not JSON"),
        ...commonErrors,
      },
    }),
    async (c) => {
      const input = c.req.valid("json");
      checkTokenGrant(c.get("principal"), input);
      return c.json((await repos.apiTokens.create(c.get("principal").workspaceId, input)) as never, 201);
    },
  );
  app.openapi(
    createRoute({
      method: "delete",
      path: "/api/tokens/{id}",
      tags: ["System"],
      summary: "Revoke an API token",
      request: { params: IdParams },
      responses: {
        200: json(TokenSchema, "The revoked token"),
        404: problem("No live token with this id"),
        ...commonErrors,
      },
    }),
    async (c) =>
      c.json(
        (await repos.apiTokens.revoke(c.get("principal").workspaceId, c.req.valid("param").id)) as never,
        200,
      ),
  );
}
