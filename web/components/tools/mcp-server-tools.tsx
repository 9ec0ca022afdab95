"use client";
import type { McpServer } from "@agentos/core";
import { RefreshCwIcon } from "lucide-react";
import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";
import { useClient } from "../../lib/browser-client";
import { formatTime } from "../../lib/format";
import { useAction } from "../../lib/use-action";
import { JsonBlock } from "../runs/json-block";
import { Button } from "../ui/button";
import { ErrorAlert, Spinner } from "../ui/feedback";

/** The tools an MCP server listed (name, description, input schema), and a button to list them again. */
export function McpServerTools({ server: initial }: { server: McpServer }) {
  const client = useClient();
  const router = useRouter();
  const [server, setServer] = useState(initial);
  const { busy, error, run } = useAction<"refresh">();
  const isRefreshing = busy !== null;
  // A server-side refresh (after an edit in the dialog) brings a newer copy.
  useEffect(() => setServer(initial), [initial]);

  async function refresh() {
    await run("refresh", async () => {
      setServer(await client.mcpServers.refresh(server.id));
      router.refresh();
    });
  }

  return (
    <div className="grid gap-2" data-testid="mcp-server-tools">
      {server.tools.length === 0 ? (
        <p className="text-muted-foreground text-sm">
          {server.lastCheckedAt
            ? "The server listed no tools."
            : "Its tools have not been listed yet: the server could not be reached when it was registered, or it is disabled. Refresh to try now."}
        </p>
      ) : (
        <ul className="grid gap-1" aria-label={`Tools of ${server.name}`}>
          {server.tools.map((t) => (
            <li key={t.name} data-testid="mcp-tool">
              <details>
                <summary className="cursor-pointer text-sm">
                  <code>{t.name}</code> <span className="text-muted-foreground text-xs">{t.description}</span>
                </summary>
                <p className="mt-1 text-muted-foreground text-xs">Input schema</p>
                <JsonBlock value={t.inputSchema} className="mt-1" />
              </details>
            </li>
          ))}
        </ul>
      )}
      <div className="flex flex-wrap items-center gap-2">
        <Button
          size="sm"
          variant="outline"
          onClick={refresh}
          disabled={isRefreshing}
          aria-label={`Refresh tools of ${server.name}`}
        >
          {isRefreshing ? <Spinner label="Listing tools" /> : <RefreshCwIcon />}{" "}
          {isRefreshing ? "Listing tools…" : "Refresh tools"}
        </Button>
        <span
          className="text-muted-foreground text-xs"
          data-testid="mcp-last-checked"
          data-checked-at={server.lastCheckedAt ?? ""}
        >
          {server.lastCheckedAt
            ? `${server.tools.length} tool${server.tools.length === 1 ? "" : "s"}, checked ${formatTime(server.lastCheckedAt)}`
            : "Not checked yet"}
        </span>
      </div>
      <ErrorAlert error={error} />
    </div>
  );
}
