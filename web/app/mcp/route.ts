import { problemOf } from "@agentos/api";
import type { McpEndpoint } from "@agentos/mcp";
import { getMcpEndpoint } from "./endpoint";

// MCP Streamable HTTP (packages/mcp) answers /mcp; Next.js only mounts it. The client's address
// reaches the endpoint as X-Forwarded-For, which Next.js sets from the socket.
export const runtime = "nodejs";
export const dynamic = "force-dynamic";

async function handle(request: Request): Promise<Response> {
  let endpoint: McpEndpoint;
  try {
    endpoint = await getMcpEndpoint();
  } catch (error) {
    console.error("[web] cannot open the Studio for MCP:", error);
    const problem = problemOf(error);
    return Response.json(problem, {
      status: problem.status,
      headers: { "content-type": "application/problem+json" },
    });
  }
  return endpoint.fetch(request);
}

export { handle as DELETE, handle as GET, handle as POST };
