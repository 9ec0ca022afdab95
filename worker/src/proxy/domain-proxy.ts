import { Agent, createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { Socket } from "node:net";
import { stripStudioCredentials } from "@agentos/core";
import { createProxyServer } from "http-proxy-3";
import { hostNameOf, setForwardedHeaders, stripHopByHop } from "./hop-by-hop";
import { sandboxDownPage, unknownHostPage } from "./pages";
import type { SiteRoutes } from "./site-routes";

export interface DomainProxyOptions {
  routes: SiteRoutes;
  /** Where published sandbox ports are reached (SANDBOX_BACKEND_HOST). */
  backendHost: string;
  log(message: string): void;
}

export interface DomainProxy {
  server: Server;
  listen(port: number, host: string): Promise<number>;
  close(): Promise<void>;
}

const HTML = { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" };

/**
 * The worker's domain proxy: routes each request by its Host header to the host port of the
 * site bound to it, with http-proxy-3 — HTTP/1.1 with pooled keep-alive connections to the
 * sandbox, bodies streamed both ways, WebSocket upgrades, hop-by-hop headers stripped and
 * X-Forwarded-* set. Unknown hosts get a 404 page, sandboxes that do not answer a 502 page. It
 * serves sandbox sites only: the worker's internal API is on another listener.
 */
export function createDomainProxy(options: DomainProxyOptions): DomainProxy {
  const agent = new Agent({ keepAlive: true, maxSockets: 512, maxFreeSockets: 64, timeout: 60_000 });
  const proxy = createProxyServer({ proxyTimeout: 0, connectTimeout: 5_000 });
  // The sandbox's own response headers may name hop-by-hop ones; http-proxy-3 drops only
  // transfer-encoding. (It sets Connection for the client itself.)
  proxy.on("proxyRes", (proxyRes) => stripHopByHop(proxyRes.headers));
  proxy.on("error", (error, req, target) => {
    const host = hostNameOf(req.headers.host) ?? "";
    if (isServerResponse(target)) {
      if (!target.headersSent) {
        target.writeHead(502, HTML).end(sandboxDownPage(host));
      } else {
        target.destroy();
      }
    } else {
      (target as Socket).destroy();
    }
    if (!/ECONNREFUSED|ECONNRESET|socket hang up/.test(String(error))) {
      options.log(`proxy: ${host}: ${String(error)}`);
    }
  });

  const server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    const host = hostNameOf(req.headers.host);
    let hostPort: number | null;
    try {
      hostPort = host ? await options.routes.hostPortOf(host) : null;
    } catch (error) {
      options.log(`proxy: looking up ${host}: ${String(error)}`);
      res.writeHead(503, { "content-type": "text/plain; charset=utf-8" }).end("Site lookup failed; retry.\n");
      return;
    }
    if (!hostPort) {
      res.writeHead(404, HTML).end(unknownHostPage(host));
      return;
    }
    stripHopByHop(req.headers);
    stripStudioCredentials(req.headers);
    setForwardedHeaders(req.headers, req.socket.remoteAddress, "http");
    proxy.web(req, res, { target: { host: options.backendHost, port: hostPort }, agent });
  });

  server.on("upgrade", async (req: IncomingMessage, socket: Socket, head: Buffer) => {
    socket.on("error", () => socket.destroy());
    const host = hostNameOf(req.headers.host);
    const hostPort = host ? await options.routes.hostPortOf(host).catch(() => null) : null;
    if (!hostPort) {
      socket.end("HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n");
      return;
    }
    stripHopByHop(req.headers, { isUpgrade: true });
    stripStudioCredentials(req.headers);
    setForwardedHeaders(req.headers, req.socket.remoteAddress, "http");
    proxy.ws(req, socket, head, { target: { host: options.backendHost, port: hostPort } });
  });
  // Keep-alive from clients: long enough to be reused, short enough to free idle sockets.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;

  return {
    server,
    listen(port, host) {
      return new Promise((resolve, reject) => {
        server.once("error", reject);
        server.listen(port, host, () => {
          const address = server.address();
          resolve(typeof address === "object" && address ? address.port : port);
        });
      });
    },
    close() {
      agent.destroy();
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

function isServerResponse(target: unknown): target is ServerResponse {
  return typeof (target as ServerResponse).writeHead === "function";
}
