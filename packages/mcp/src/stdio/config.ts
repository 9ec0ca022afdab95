import { z } from "zod";

/** The stdio bridge's environment. */
export const BridgeEnv = z.object({
  AGENTOS_URL: z
    .url({ protocol: /^https?$/, error: "must be an http(s) URL such as http://localhost:3000" })
    .default("http://127.0.0.1:3000")
    .describe("The Studio (or headless server) to bridge to; /mcp is added when the URL has no path"),
  AGENTOS_TOKEN: z
    .string()
    .regex(/^\S+$/, "must be an API token without spaces")
    .optional()
    .describe("API token (POST /api/tokens); optional against a local-mode Studio on loopback"),
});

export interface BridgeConfig {
  /** The MCP endpoint, e.g. http://localhost:3000/mcp. */
  url: URL;
  token: string | undefined;
}

/** Parses the environment; throws a message naming each bad variable. */
export function loadBridgeConfig(env: Record<string, string | undefined>): BridgeConfig {
  const result = BridgeEnv.safeParse(env);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new Error(`agentos-mcp: invalid configuration\n${lines.join("\n")}`);
  }
  const url = new URL(result.data.AGENTOS_URL);
  if (url.pathname === "/" || url.pathname === "") url.pathname = "/mcp";
  return { url, token: result.data.AGENTOS_TOKEN || undefined };
}
