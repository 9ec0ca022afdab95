import type { Readable, Writable } from "node:stream";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import {
  ErrorCode,
  isJSONRPCRequest,
  isJSONRPCResultResponse,
  type JSONRPCMessage,
  type RequestId,
} from "@modelcontextprotocol/sdk/types.js";
import type { BridgeConfig } from "./config";

export interface BridgeOptions extends BridgeConfig {
  stdin?: Readable;
  stdout?: Writable;
  /** Where diagnostics go (stdout carries the protocol); default stderr. */
  log?: (line: string) => void;
}

export interface Bridge {
  /** Resolves when either side closed and the remote session was ended. */
  closed: Promise<void>;
  close(): Promise<void>;
}

/**
 * Relays MCP between stdio (a client that spawns processes) and a Studio's Streamable HTTP
 * endpoint, message for message: the remote transport keeps the session id and protocol version,
 * and a request the Studio cannot take (unreachable, 401) is answered with a JSON-RPC error so
 * the client is never left waiting.
 */
export async function bridgeStdioToStudio(options: BridgeOptions): Promise<Bridge> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const local = new StdioServerTransport(options.stdin, options.stdout);
  const remote = new StreamableHTTPClientTransport(options.url, {
    requestInit: { headers: options.token ? { authorization: `Bearer ${options.token}` } : {} },
  });
  const initializing = new Set<RequestId>();
  let closing: Promise<void> | undefined;
  let resolveClosed!: () => void;
  const closed = new Promise<void>((resolve) => {
    resolveClosed = resolve;
  });

  const close = () => {
    closing ??= (async () => {
      try {
        await remote.terminateSession();
      } catch (error) {
        log(`agentos-mcp: could not end the session: ${(error as Error).message}`);
      }
      await remote.close();
      await local.close();
      resolveClosed();
    })();
    return closing;
  };

  local.onmessage = (message: JSONRPCMessage) => {
    if (isJSONRPCRequest(message) && message.method === "initialize") initializing.add(message.id);
    remote.send(message).catch((error: Error) => {
      log(`agentos-mcp: ${options.url.href}: ${error.message}`);
      if (!isJSONRPCRequest(message)) return;
      void local.send({
        jsonrpc: "2.0",
        id: message.id,
        error: {
          code: ErrorCode.InternalError,
          message: `AgentOS Studio at ${options.url.href} did not take the request: ${error.message}`,
        },
      });
    });
  };
  remote.onmessage = (message: JSONRPCMessage) => {
    if (isJSONRPCResultResponse(message) && initializing.delete(message.id)) {
      // Later requests must carry the negotiated version (MCP-Protocol-Version header).
      const version = (message.result as { protocolVersion?: unknown }).protocolVersion;
      if (typeof version === "string") remote.setProtocolVersion(version);
    }
    void local.send(message);
  };
  remote.onerror = (error) => log(`agentos-mcp: ${error.message}`);
  local.onerror = (error) => log(`agentos-mcp: stdio: ${error.message}`);
  local.onclose = () => void close();

  await remote.start();
  await local.start();
  // StdioServerTransport does not notice the end of stdin; the client closing it ends the bridge.
  (options.stdin ?? process.stdin).once("end", () => void close());
  return { closed, close };
}
