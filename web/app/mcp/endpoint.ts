import { parseEnv } from "@agentos/api/node";
import { createMcpEndpoint, isLoopbackHost, type McpEndpoint } from "@agentos/mcp";
import { z } from "zod";
import { getStudio } from "../../lib/studio";

// `next start -H` does not tell the app where it listens; the launchers pass the same HOST.
const McpEnv = z.object({
  HOST: z.string().min(1).default("127.0.0.1").describe("Address the Studio listens on (`next start -H`)"),
});

// On globalThis, like the Studio, so that dev HMR keeps open sessions.
const ENDPOINT = Symbol.for("agentos.web.mcp");
type EndpointGlobal = typeof globalThis & { [ENDPOINT]?: Promise<McpEndpoint> };

/** The process-wide MCP endpoint over the process-wide Studio, created on first use. */
export function getMcpEndpoint(): Promise<McpEndpoint> {
  const global = globalThis as EndpointGlobal;
  let endpoint = global[ENDPOINT];
  if (!endpoint) {
    endpoint = getStudio().then((studio) =>
      createMcpEndpoint(studio, {
        boundToLoopback: isLoopbackHost(parseEnv(McpEnv, process.env, "agentos-web").HOST),
      }),
    );
    global[ENDPOINT] = endpoint;
    endpoint.catch(() => {
      if (global[ENDPOINT] === endpoint) delete global[ENDPOINT];
    });
  }
  return endpoint;
}
