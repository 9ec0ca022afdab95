"use client";
import { useEffect, useRef, useState } from "react";
import { useConnection } from "../../lib/browser-client";
import { CopyButton } from "../ui/copy-button";

/** The MCP endpoint of the connected server and a client configuration to paste. */
export function McpEndpoint() {
  const connection = useConnection();
  const [origin, setOrigin] = useState("");
  const snippetElement = useRef<HTMLPreElement>(null);
  useEffect(
    () => setOrigin(connection.kind === "remote" ? connection.url : window.location.origin),
    [connection],
  );
  const url = `${origin}/mcp`;
  const snippet = JSON.stringify(
    { mcpServers: { agentos: { url, headers: { Authorization: "Bearer <token>" } } } },
    null,
    2,
  );
  return (
    <div className="grid gap-2 text-sm">
      <p>
        Endpoint:{" "}
        <code className="rounded bg-muted px-1.5 py-0.5 font-mono" data-testid="mcp-url">
          {url}
        </code>{" "}
        (Streamable HTTP). Replace <code>&lt;token&gt;</code> with an API token from above.
      </p>
      <div className="relative">
        <pre
          ref={snippetElement}
          className="overflow-auto rounded-md bg-muted p-3 font-mono text-xs"
          data-testid="mcp-snippet"
        >
          {snippet}
        </pre>
        <CopyButton value={snippet} select={snippetElement} size="sm" className="absolute top-2 right-2" />
      </div>
    </div>
  );
}
