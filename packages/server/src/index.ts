import { assertSafeBind, openStudio, parseEnv } from "@agentos/api/node";
import { createMcpEndpoint, isLoopbackHost, MCP_PATH } from "@agentos/mcp";
import { type Http2Bindings, type HttpBindings, serve } from "@hono/node-server";
import { ServerEnv, type ServerEnv as ServerEnvType } from "./config";

export { ServerEnv };

export interface RunningServer {
  url: string;
  close(): Promise<void>;
}

/** Starts the headless server: the contract API and MCP (at /mcp) on @hono/node-server. */
export async function startServer(config: ServerEnvType): Promise<RunningServer> {
  assertSafeBind(config.AGENTOS_MODE, config.HOST, "agentos-server");
  const studio = await openStudio(config, undefined, "server");
  const mcp = createMcpEndpoint(studio, { boundToLoopback: isLoopbackHost(config.HOST) });
  const fetch = (request: Request, env: HttpBindings | Http2Bindings) =>
    new URL(request.url).pathname === MCP_PATH
      ? mcp.fetch(request, { remoteAddress: env.incoming.socket.remoteAddress })
      : studio.api.fetch(request, env);
  const server = serve({ fetch, port: config.PORT, hostname: config.HOST });
  await new Promise<void>((resolve, reject) => {
    server.once("listening", resolve);
    server.once("error", reject);
  });
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : config.PORT;
  const host = config.HOST.includes(":") ? `[${config.HOST}]` : config.HOST;
  return {
    url: `http://${host}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        // MCP sessions hold event streams open; end them so the server can drain.
        void mcp.close();
        // Stop accepting, let open requests finish, then force the rest after the timeout.
        const force = setTimeout(
          () => (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.(),
          config.SHUTDOWN_TIMEOUT_MS,
        );
        (server as unknown as { closeIdleConnections?: () => void }).closeIdleConnections?.();
        server.close(() => {
          clearTimeout(force);
          studio.close();
          resolve();
        });
      }),
  };
}

/** Parses the environment; exits with a message naming the bad variable. */
export function loadServerConfig(env: Record<string, string | undefined> = process.env): ServerEnvType {
  return parseEnv(ServerEnv, env, "agentos-server");
}
