import { checkProvider, createModelResolver } from "@agentos/runtime/models";
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import type { ApiDeps, ApiEnv } from "../context";
import { commonErrors, IdParams, json, problem } from "../openapi-schemas";
import { outboundOf } from "./outbound";

export const ProviderTestRequest = z
  .object({
    model: z
      .string()
      .trim()
      .min(1)
      .max(200)
      .optional()
      .describe(
        "Model to call; default the provider's first registered model, else a small default of its kind or the server's first model",
      ),
  })
  .meta({ id: "ProviderTestRequest" });

export const ProviderTestResult = z
  .object({
    ok: z.boolean(),
    latencyMs: z.number().int().nonnegative().describe("Duration of the check, provider calls included"),
    model: z.string().nullable().describe("The model called; null when none could be chosen"),
    reason: z.string().optional().describe("Why the check failed and what to do; only when ok is false"),
  })
  .meta({ id: "ProviderTestResult" });

/** `POST /api/llm/providers/{id}/test`: a real, minimal call to the provider. */
export function registerLlmTestRoutes(app: OpenAPIHono<ApiEnv>, deps: ApiDeps): void {
  const { repos } = deps;
  // A hosted Studio calls providers only at public or operator-allowed addresses, as its workers do.
  const resolver = createModelResolver({ repos, outbound: outboundOf(deps) });
  app.openapi(
    createRoute({
      method: "post",
      path: "/api/llm/providers/{id}/test",
      tags: ["Models"],
      summary: "Test an LLM provider",
      description:
        "Calls the provider for real with its stored key and settings: a generation of at most 5 output tokens. A failing provider answers 200 with `ok: false` and a `reason` (invalid key, model not found, rate limited, unreachable …); in a hosted Studio, a base URL that leads to a loopback, private, link-local, CGNAT, multicast or unspecified address not on the operator's `AGENTOS_OUTBOUND_ALLOW` is refused that way, and the reason names the address and how the operator allows it. The body is optional; disabled providers can be tested before they are enabled.",
      request: {
        params: IdParams,
        body: { required: false, content: { "application/json": { schema: ProviderTestRequest } } },
      },
      responses: {
        200: json(ProviderTestResult, "The outcome of the check"),
        404: problem("No such LLM provider in this workspace"),
        415: problem("The body is not JSON"),
        ...commonErrors,
      },
    }),
    async (c) => {
      const result = await checkProvider(
        { resolver, repos },
        c.get("principal").workspaceId,
        c.req.valid("param").id,
        { model: c.req.valid("json").model, signal: c.req.raw.signal },
      );
      return c.json(result, 200);
    },
  );
}
