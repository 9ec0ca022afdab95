import { type Agent, type JsonSchema, NotFound, type Tool, Unavailable } from "@agentos/core";
import type { Repositories } from "@agentos/db";
import { RunFailed } from "../engine/signals";
import type { SandboxProvider } from "../sandbox/provider";
import { withSecretHeaders } from "../secrets/references";
import { BUILTIN_DEFINITIONS, builtinTool } from "./builtin";
import { httpTool } from "./http";
import { createInputValidator, declaredFields } from "./input";
import { loadMcpServer, mcpTool, mcpToolName, withHashSuffix } from "./mcp";
import { createMcpClientPool, type McpClientPool, type McpServerConnection } from "./mcp-pool";
import { LOCAL_OUTBOUND_POLICY, type OutboundPolicy, toolNetworkPolicy } from "./outbound-policy";
import { SANDBOX_INPUT_SCHEMA, sandboxTool } from "./sandbox";
import { blockedFailure, describeError, ToolFailure } from "./tool-failure";
import type { RuntimeTool, ToolResolver } from "./types";

export interface ToolResolverDeps {
  repos: Repositories;
  /** Runs sandbox tools; without it they answer that no sandbox is available here. */
  sandboxes?: SandboxProvider;
  /** Used by http tools and fetch_page; must honour undici's `dispatcher` option (default: undici's fetch). */
  fetch?: typeof fetch;
  /** Connected MCP clients; by default the resolver makes its own, which `close()` ends. */
  mcp?: McpClientPool;
  /**
   * fetch_page refuses loopback, private and link-local addresses unless this says otherwise
   * (an http tool decides for itself with `config.allowPrivateNetwork`). Local mode and tests set it;
   * a hosted `outbound` policy overrides it.
   */
  fetchPage?: { allowPrivateNetwork?: boolean };
  /**
   * Where user-supplied URLs may lead: in hosted mode, http tools, fetch_page and the MCP servers
   * of the resolver's own pool reach private addresses only on the operator's allow-list.
   * Default: local mode's trust. A pool passed as `mcp` carries its own policy.
   */
  outbound?: OutboundPolicy;
}

/** The resolver, plus `close()` for the MCP clients it made itself. */
export type RuntimeToolResolver = ToolResolver & {
  /**
   * A stored tool exactly as {@link ToolResolver.toolById} builds it, except that its
   * {@link ToolFailure}s are thrown instead of returned as `{ error, … }` results, so a caller can
   * tell them apart (the tool test endpoint).
   */
  strictTool(workspaceId: string, tool: Tool): RuntimeTool;
  close(): Promise<void>;
};

/** The tool as a model sees it: a {@link ToolFailure} becomes the result `{ error, … }` it can act on. */
function forModel(tool: RuntimeTool): RuntimeTool {
  return {
    ...tool,
    async execute(input, context) {
      try {
        return await tool.execute(input, context);
      } catch (error) {
        if (ToolFailure.isInstance(error) && !context.signal.aborted) return error.toResult();
        throw error;
      }
    },
  };
}

/**
 * Builds the tools agents and workflow nodes call: stored tools by kind (http, builtin, sandbox,
 * mcp) and every tool of an agent's MCP servers. Each checks its input against its JSON schema
 * first; failures a model can act on come back as `{ error, … }` values instead of exceptions.
 */
export function createToolResolver(deps: ToolResolverDeps): RuntimeToolResolver {
  const { repos } = deps;
  const validator = createInputValidator();
  const outbound = deps.outbound ?? LOCAL_OUTBOUND_POLICY;
  let ownPool: McpClientPool | undefined;
  const pool = (): McpClientPool => {
    if (deps.mcp) return deps.mcp;
    ownPool ??= createMcpClientPool({ outbound });
    return ownPool;
  };
  const fetchPage = {
    ...(deps.fetch ? { fetch: deps.fetch } : {}),
    ...(outbound.isHosted
      ? toolNetworkPolicy(outbound, { allowPrivateNetwork: false, howToAllow: "" })
      : deps.fetchPage),
  };

  const runtimeTool = (
    name: string,
    description: string,
    inputSchema: JsonSchema,
    execute: RuntimeTool["execute"],
  ): RuntimeTool => ({
    name,
    description,
    inputSchema,
    async execute(input, context) {
      validator.check(name, inputSchema, input);
      return execute(input, context);
    },
  });

  /** The server of a stored mcp tool, loaded per call so edits and tokens apply at once. */
  const storedToolServer = async (
    workspaceId: string,
    tool: Tool,
    serverId: string,
  ): Promise<McpServerConnection> => {
    let loaded: Awaited<ReturnType<typeof loadMcpServer>>;
    try {
      loaded = await loadMcpServer(repos, workspaceId, serverId);
    } catch (error) {
      if (!NotFound.isInstance(error)) throw error;
      throw new ToolFailure(
        `Tool ${tool.name} calls MCP server ${serverId}, which no longer exists; point the tool at another server.`,
      );
    }
    if (!loaded.server.enabled) {
      throw new ToolFailure(
        `Tool ${tool.name} calls MCP server "${loaded.server.name}", which is disabled; enable the server to use it.`,
      );
    }
    return loaded.connection;
  };

  const fromStored = (workspaceId: string, tool: Tool): RuntimeTool => {
    const config = tool.config;
    switch (config.kind) {
      case "http":
        return runtimeTool(
          tool.name,
          tool.description,
          tool.inputSchema,
          withSecretHeaders(
            repos,
            tool,
            (fetch) => httpTool(config, tool.inputSchema, { outbound, ...(fetch ? { fetch } : {}) }),
            deps.fetch,
          ),
        );
      case "builtin": {
        const builtin = BUILTIN_DEFINITIONS[config.builtin];
        return runtimeTool(
          tool.name,
          tool.description || builtin.description,
          builtin.inputSchema,
          builtinTool(config.builtin, { repos, fetchPage }),
        );
      }
      case "sandbox":
        // A sandbox tool saved with the default empty schema still tells the model to send `code`.
        return runtimeTool(
          tool.name,
          tool.description || `Runs ${config.language} code in the agent's sandbox.`,
          declaredFields(tool.inputSchema).size > 0 ? tool.inputSchema : SANDBOX_INPUT_SCHEMA,
          sandboxTool(tool.name, config, deps.sandboxes),
        );
      case "mcp":
        return runtimeTool(
          tool.name,
          tool.description,
          tool.inputSchema,
          mcpTool(pool(), config.toolName, () => storedToolServer(workspaceId, tool, config.mcpServerId)),
        );
    }
  };

  /** Every tool of one enabled MCP server, listed live. */
  const serverTools = async (workspaceId: string, serverId: string) => {
    const { server, connection } = await loadMcpServer(repos, workspaceId, serverId);
    if (!server.enabled) return [];
    let listed: Awaited<ReturnType<McpClientPool["listServerTools"]>>;
    try {
      listed = await pool().listServerTools(connection);
    } catch (cause) {
      // The outbound policy refused the server (a private URL, a stdio server in hosted mode): final.
      const blocked = blockedFailure(cause);
      if (blocked) {
        throw new RunFailed(
          "outbound_blocked",
          `MCP server "${server.name}" (${server.id}) of the agent cannot be used here. ${blocked.message} Or remove it from the agent's MCP servers.`,
          { cause },
        );
      }
      throw new Unavailable(
        `MCP server "${server.name}" (${server.id}) did not list its tools: ${describeError(cause)}. Check that it runs, or remove it from the agent's MCP servers.`,
        { cause },
      );
    }
    return listed.map((tool) => ({
      key: `${server.id}/${tool.name}`,
      tool: forModel(
        runtimeTool(
          mcpToolName(server.name, tool.name),
          tool.description,
          tool.inputSchema,
          mcpTool(pool(), tool.name, async () => connection),
        ),
      ),
    }));
  };

  return {
    async toolsForAgent(workspaceId: string, agent: Agent) {
      const [stored, exposed] = await Promise.all([
        Promise.all([...new Set(agent.toolIds)].map((id) => repos.tools.get(workspaceId, id))),
        Promise.all([...new Set(agent.mcpServerIds)].map((id) => serverTools(workspaceId, id))),
      ]);
      const tools = stored.map((tool) => forModel(fromStored(workspaceId, tool)));
      // Stored tool names are unique per workspace; an MCP name that collides gets a hash suffix.
      const used = new Set(tools.map((t) => t.name));
      for (const { key, tool } of exposed.flat()) {
        if (used.has(tool.name)) tool.name = withHashSuffix(tool.name, key);
        used.add(tool.name);
        tools.push(tool);
      }
      return tools;
    },

    async toolById(workspaceId: string, toolId: string) {
      return forModel(fromStored(workspaceId, await repos.tools.get(workspaceId, toolId)));
    },

    strictTool: fromStored,

    async close() {
      await ownPool?.close();
    },
  };
}
