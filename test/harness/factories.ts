import type { AgentOsClient } from "@agentos/client";
import type { AgentCreate, LlmProviderCreate, ToolCreate } from "@agentos/core";

let counter = 0;
/** A name no other call in this process returns. */
export const unique = (prefix: string) => `${prefix}-${process.pid}-${++counter}`;

export function makeProvider(client: AgentOsClient, overrides: Partial<LlmProviderCreate> = {}) {
  return client.llmProviders.create({
    name: unique("provider"),
    kind: "openai-compatible",
    baseUrl: "http://127.0.0.1:9/v1",
    ...overrides,
  });
}

export async function makeAgent(client: AgentOsClient, overrides: Partial<AgentCreate> = {}) {
  const providerId = overrides.model?.providerId ?? (await makeProvider(client)).id;
  return client.agents.create({
    name: unique("agent"),
    instructions: "Be brief.",
    model: { providerId, model: "test-model" },
    ...overrides,
  });
}

export function makeHttpTool(client: AgentOsClient, overrides: Partial<ToolCreate> = {}) {
  return client.tools.create({
    name: unique("http_tool").replace(/-/g, "_"),
    description: "Looks up the weather",
    inputSchema: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
    config: { kind: "http", method: "GET", url: "https://example.com/weather?city={city}" },
    ...overrides,
  });
}
