import { createServer, request, type Server } from "node:http";

/** Paths an MCP client needs: the endpoint and the OAuth discovery documents. */
const MCP_PATHS = [/^\/mcp(\/|\?|$)/, /^\/\.well-known\/oauth-(protected-resource|authorization-server)/];

/**
 * A listener that serves only MCP: requests for /mcp and OAuth discovery are streamed to web
 * (SSE answers included), anything else gets 404. The client's address travels as X-Forwarded-For.
 */
export function createMcpPortProxy(webPort: number): Server {
  return createServer((req, res) => {
    const path = req.url ?? "/";
    if (!MCP_PATHS.some((p) => p.test(path))) {
      res
        .writeHead(404, { "content-type": "text/plain; charset=utf-8" })
        .end("This port serves /mcp only.\n");
      return;
    }
    const forwarded = [req.headers["x-forwarded-for"], req.socket.remoteAddress].filter(Boolean).join(", ");
    const upstream = request(
      {
        host: "127.0.0.1",
        port: webPort,
        method: req.method,
        path,
        headers: { ...req.headers, "x-forwarded-for": forwarded },
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on("error", () => {
      if (!res.headersSent) res.writeHead(502, { "content-type": "text/plain; charset=utf-8" });
      res.end("The Studio is not answering.\n");
    });
    res.on("close", () => upstream.destroy());
    req.pipe(upstream);
  });
}
