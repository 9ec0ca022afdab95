import {
  Agent,
  AgentCreate,
  AgentUpdate,
  Conflict,
  Conversation,
  ConversationCreate,
  ConversationUpdate,
  Feedback,
  FeedbackCreate,
  FeedbackRating,
  FeedbackUpdate,
  Id,
  Invalid,
  LlmProvider,
  LlmProviderCreate,
  LlmProviderUpdate,
  McpServer,
  McpServerCreate,
  McpServerUpdate,
  Model,
  ModelCreate,
  ModelUpdate,
  PRICE_CATALOG,
  ProviderKind,
  RateLimit,
  RateLimitCreate,
  RateLimitUpdate,
  Tool,
  ToolCreate,
  ToolKind,
  ToolUpdate,
  Workflow,
  WorkflowCreate,
  WorkflowUpdate,
} from "@agentos/core";
import type { OpenAPIHono } from "@hono/zod-openapi";
import { z } from "@hono/zod-openapi";
import type { ApiDeps, ApiEnv } from "../context";
import { registerResourceRoutes } from "../routes/resource";
import { listToolsAfterRegistration, registerMcpDiscoveryRoutes } from "./mcp-discovery";
import { requirePrivateNetworkAllowed, requireReachable, requireUsableMcpTransport } from "./outbound";
import { definedOnly, type Reference, repositoryService } from "./service";
import { registerToolTestRoutes } from "./tool-test";

/**
 * Agents, tools (and their test), MCP servers (and their tool discovery), workflows, providers,
 * models, conversations, feedback, rate limits.
 */
export function registerCatalogRoutes(app: OpenAPIHono<ApiEnv>, deps: ApiDeps): void {
  const { repos } = deps;
  const { secrets } = repos;
  const sealOrNull = (value: string | null | undefined) => (value ? secrets.seal(value) : null);

  const agentRefs = (a: Partial<z.output<typeof AgentCreate>>): Reference[] => [
    ["body.model.providerId", "llmProviders", a.model?.providerId],
    ...(a.toolIds ?? []).map((id, i): Reference => [`body.toolIds.${i}`, "tools", id]),
    ...(a.mcpServerIds ?? []).map((id, i): Reference => [`body.mcpServerIds.${i}`, "mcpServers", id]),
  ];
  registerResourceRoutes(app, {
    path: "/api/agents",
    tag: "Agents",
    name: "Agent",
    plural: "agents",
    entity: Agent,
    create: AgentCreate,
    update: AgentUpdate,
    filters: z.object({}),
    service: repositoryService(repos, repos.agents, {
      createReferences: agentRefs,
      updateReferences: agentRefs,
      toRow: (input: z.output<typeof AgentCreate>) => input,
      toChanges: (input: z.output<typeof AgentUpdate>) => definedOnly(input),
    }),
  });

  registerResourceRoutes(app, {
    path: "/api/tools",
    tag: "Tools",
    name: "Tool",
    plural: "tools",
    entity: Tool,
    create: ToolCreate,
    update: ToolUpdate,
    filters: z.object({ kind: ToolKind.optional() }),
    service: repositoryService(repos, repos.tools, {
      createReferences: (t: z.output<typeof ToolCreate>) => [
        ["body.config.mcpServerId", "mcpServers", t.config.kind === "mcp" ? t.config.mcpServerId : null],
      ],
      toRow: async (input: z.output<typeof ToolCreate>) => {
        await requirePrivateNetworkAllowed(deps, input.config);
        return { ...input, kind: input.config.kind };
      },
      toChanges: async (input: z.output<typeof ToolUpdate>, current) => {
        if (input.config && input.config.kind !== current.kind) {
          throw Invalid.field(
            "body.config.kind",
            `cannot change a ${current.kind} tool into ${input.config.kind}; create a new tool`,
          );
        }
        await requirePrivateNetworkAllowed(deps, input.config);
        return definedOnly(input);
      },
    }),
  });

  registerToolTestRoutes(app, deps);

  // A hosted Studio refuses stdio servers, and URLs that lead to private addresses the operator did not allow.
  const mcpServers = repositoryService(repos, repos.mcpServers, {
    toRow: async ({ authToken, ...rest }: z.output<typeof McpServerCreate>) => {
      await requireUsableMcpTransport(deps, rest.name, rest.transport);
      return { ...rest, authTokenSecret: sealOrNull(authToken), tools: [], lastCheckedAt: null };
    },
    toChanges: async ({ authToken, ...rest }: z.output<typeof McpServerUpdate>, current) => {
      await requireUsableMcpTransport(deps, rest.name ?? current.name, rest.transport);
      return {
        ...definedOnly(rest),
        ...(authToken !== undefined ? { authTokenSecret: sealOrNull(authToken) } : {}),
      };
    },
  });
  registerResourceRoutes(app, {
    path: "/api/mcp-servers",
    tag: "MCP servers",
    name: "McpServer",
    plural: "MCP servers",
    entity: McpServer,
    create: McpServerCreate,
    update: McpServerUpdate,
    filters: z.object({}),
    service: {
      ...mcpServers,
      // Registration lists the server's tools once, at best effort (see listToolsAfterRegistration).
      create: async (p, input) => listToolsAfterRegistration(deps, p, await mcpServers.create(p, input)),
    },
  });
  registerMcpDiscoveryRoutes(app, deps);

  const workflowRefs = (w: Partial<z.output<typeof WorkflowCreate>>): Reference[] =>
    (w.graph?.nodes ?? []).flatMap((node, i): Reference[] => {
      if (node.kind === "agent") return [[`body.graph.nodes.${i}.agentId`, "agents", node.agentId]];
      if (node.kind === "tool") return [[`body.graph.nodes.${i}.toolId`, "tools", node.toolId]];
      return [];
    });
  registerResourceRoutes(app, {
    path: "/api/workflows",
    tag: "Workflows",
    name: "Workflow",
    plural: "workflows",
    entity: Workflow,
    create: WorkflowCreate,
    update: WorkflowUpdate,
    filters: z.object({}),
    service: repositoryService(repos, repos.workflows, {
      createReferences: workflowRefs,
      updateReferences: workflowRefs,
      toRow: (input: z.output<typeof WorkflowCreate>) => input,
      toChanges: (input: z.output<typeof WorkflowUpdate>) => definedOnly(input),
    }),
  });

  registerResourceRoutes(app, {
    path: "/api/llm/providers",
    tag: "Models",
    name: "LlmProvider",
    plural: "LLM providers",
    entity: LlmProvider,
    create: LlmProviderCreate,
    update: LlmProviderUpdate,
    filters: z.object({ kind: ProviderKind.optional() }),
    service: repositoryService(repos, repos.llmProviders, {
      toRow: async ({ apiKey, ...rest }: z.output<typeof LlmProviderCreate>) => {
        await requireReachable(deps, "body.baseUrl", rest.baseUrl);
        return { ...rest, apiKeySecret: sealOrNull(apiKey) };
      },
      toChanges: async ({ apiKey, ...rest }: z.output<typeof LlmProviderUpdate>) => {
        await requireReachable(deps, "body.baseUrl", rest.baseUrl);
        return {
          ...definedOnly(rest),
          ...(apiKey !== undefined ? { apiKeySecret: sealOrNull(apiKey) } : {}),
        };
      },
      // A new provider comes with its kind's common models at their public prices (editable).
      afterCreate: async (p, provider) => {
        for (const model of PRICE_CATALOG[provider.kind] ?? []) {
          await repos.models.insert(p.workspaceId, {
            providerId: provider.id,
            supportsTools: true,
            ...model,
          });
        }
      },
      // Refused while an agent uses the provider; its models go with it.
      beforeDelete: async (p, id) => {
        const users = await repos.agents.list(p.workspaceId, { limit: 5, filters: { providerId: id } });
        if (users.items.length > 0) {
          const names = users.items.map((a) => `"${a.name}"`).join(", ");
          throw new Conflict(
            `Provider ${id} is used by agent(s) ${names}; point them at another provider first.`,
          );
        }
        for (;;) {
          const models = await repos.models.list(p.workspaceId, { limit: 200, filters: { providerId: id } });
          for (const model of models.items) await repos.models.delete(p.workspaceId, model.id);
          if (!models.nextCursor) break;
        }
      },
    }),
  });

  registerResourceRoutes(app, {
    path: "/api/models",
    tag: "Models",
    name: "Model",
    plural: "models",
    entity: Model,
    create: ModelCreate,
    update: ModelUpdate,
    filters: z.object({ providerId: Id.optional() }),
    service: repositoryService(repos, repos.models, {
      createReferences: (m: z.output<typeof ModelCreate>) => [
        ["body.providerId", "llmProviders", m.providerId],
      ],
      toRow: (input: z.output<typeof ModelCreate>) => input,
      toChanges: (input: z.output<typeof ModelUpdate>) => definedOnly(input),
    }),
  });

  registerResourceRoutes(app, {
    path: "/api/conversations",
    tag: "Conversations",
    name: "Conversation",
    plural: "conversations",
    entity: Conversation,
    create: ConversationCreate,
    update: ConversationUpdate,
    filters: z.object({ agentId: Id.optional() }),
    service: repositoryService(repos, repos.conversations, {
      createReferences: (c: z.output<typeof ConversationCreate>) => [["body.agentId", "agents", c.agentId]],
      toRow: (input: z.output<typeof ConversationCreate>) => input,
      toChanges: (input: z.output<typeof ConversationUpdate>) => definedOnly(input),
      beforeDelete: (p, id) => repos.messages.deleteConversation(p.workspaceId, id),
    }),
  });

  registerResourceRoutes(app, {
    path: "/api/feedback",
    tag: "Feedback",
    name: "Feedback",
    plural: "feedback",
    entity: Feedback,
    create: FeedbackCreate,
    update: FeedbackUpdate,
    filters: z.object({
      rating: FeedbackRating.optional(),
      agentId: Id.optional(),
      runId: Id.optional(),
      messageId: Id.optional(),
    }),
    service: repositoryService(repos, repos.feedback, {
      createReferences: (f: z.output<typeof FeedbackCreate>) => [["body.runId", "runs", f.runId]],
      toRow: async (input: z.output<typeof FeedbackCreate>, p) => {
        // The agent is derived from the target, so feedback can be filtered by agent later.
        if (input.runId) {
          const run = await repos.runs.get(p.workspaceId, input.runId);
          return { ...input, agentId: run.agentId };
        }
        const message = input.messageId
          ? await repos.messages.find(p.workspaceId, input.messageId)
          : undefined;
        if (!message)
          throw Invalid.field(
            "body.messageId",
            `message ${input.messageId} does not exist in this workspace`,
          );
        const conversation = await repos.conversations.get(p.workspaceId, message.conversationId);
        return { ...input, agentId: conversation.agentId };
      },
      toChanges: (input: z.output<typeof FeedbackUpdate>) => definedOnly(input),
    }),
  });

  registerResourceRoutes(app, {
    path: "/api/llm/rate-limits",
    tag: "Models",
    name: "RateLimit",
    plural: "rate limits",
    entity: RateLimit,
    create: RateLimitCreate,
    update: RateLimitUpdate,
    filters: z.object({ providerId: Id.optional() }),
    service: repositoryService(repos, repos.rateLimits, {
      createReferences: (r: z.output<typeof RateLimitCreate>) => [
        ["body.providerId", "llmProviders", r.providerId],
      ],
      toRow: async (input: z.output<typeof RateLimitCreate>, p) => {
        if (input.model === null) {
          const existing = await repos.rateLimits.list(p.workspaceId, {
            limit: 200,
            filters: { providerId: input.providerId },
          });
          if (existing.items.some((r) => r.model === null)) {
            throw new Conflict(
              `Provider ${input.providerId} already has a provider-wide rate limit; update it instead.`,
            );
          }
        }
        return input;
      },
      toChanges: (input: z.output<typeof RateLimitUpdate>) => definedOnly(input),
    }),
  });
}
