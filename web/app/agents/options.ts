import { attempt, serverClient } from "../../lib/server-client";

/** What the agent editor offers: providers, models, tools, MCP servers and the default model. */
export async function loadAgentFormOptions() {
  const client = await serverClient();
  return attempt(async () => {
    const [providers, models, tools, mcpServers, settings] = await Promise.all([
      client.llmProviders.list({ limit: 200, sort: "name" }),
      client.models.list({ limit: 200, sort: "name" }),
      client.tools.list({ limit: 200, sort: "name" }),
      client.mcpServers.list({ limit: 200, sort: "name" }),
      client.settings.get(),
    ]);
    return {
      providers: providers.items,
      models: models.items,
      tools: tools.items,
      mcpServers: mcpServers.items,
      defaultModelId: settings.defaultModelId,
    };
  });
}
