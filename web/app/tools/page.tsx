import { PlugIcon, PlusIcon, WrenchIcon } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { PageHeader } from "../../components/shell/page-header";
import { McpServerDialog } from "../../components/tools/mcp-server-dialog";
import { McpServerTools } from "../../components/tools/mcp-server-tools";
import { Badge } from "../../components/ui/badge";
import { buttonClass } from "../../components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "../../components/ui/card";
import { EmptyState, ErrorAlert } from "../../components/ui/feedback";
import { Table, TBody, Td, THead, Th, Tr } from "../../components/ui/table";
import { formatTime } from "../../lib/format";
import { attempt, serverClient } from "../../lib/server-client";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Tools & MCP" };

export default async function ToolsPage() {
  const client = await serverClient();
  const [tools, servers] = await Promise.all([
    attempt(() => client.tools.list({ limit: 200, sort: "name" })),
    attempt(() => client.mcpServers.list({ limit: 200, sort: "name" })),
  ]);
  return (
    <>
      <PageHeader
        title="Tools & MCP servers"
        description="What agents can call: HTTP tools you define, and the tools of external MCP servers."
        actions={
          <Link href="/tools/new" className={buttonClass()}>
            <PlusIcon /> New HTTP tool
          </Link>
        }
      />
      <section className="mb-8" aria-labelledby="tools-heading">
        <h2 id="tools-heading" className="mb-2 font-semibold text-lg">
          Tools
        </h2>
        {!tools.ok ? (
          <ErrorAlert error={tools.error} />
        ) : tools.value.items.length === 0 ? (
          <EmptyState icon={<WrenchIcon />} title="No tools yet">
            An HTTP tool turns an API into something an agent can call: a URL template, a method and a JSON
            Schema of its arguments.
          </EmptyState>
        ) : (
          <div className="rounded-lg border">
            <Table>
              <THead>
                <Tr>
                  <Th>Name</Th>
                  <Th>Kind</Th>
                  <Th>Target</Th>
                  <Th>Updated</Th>
                </Tr>
              </THead>
              <TBody>
                {tools.value.items.map((tool) => (
                  <Tr key={tool.id}>
                    <Td>
                      {tool.kind === "http" ? (
                        <Link
                          href={`/tools/${tool.id}`}
                          className="font-medium font-mono text-sm hover:underline"
                        >
                          {tool.name}
                        </Link>
                      ) : (
                        <span className="font-mono text-sm">{tool.name}</span>
                      )}
                      {tool.description && (
                        <p className="line-clamp-1 text-muted-foreground text-xs">{tool.description}</p>
                      )}
                    </Td>
                    <Td>
                      <Badge>{tool.kind}</Badge>
                    </Td>
                    <Td className="max-w-80 truncate font-mono text-xs">
                      {tool.config.kind === "http"
                        ? `${tool.config.method} ${tool.config.url}`
                        : tool.config.kind === "mcp"
                          ? tool.config.toolName
                          : tool.config.kind === "builtin"
                            ? tool.config.builtin
                            : tool.config.language}
                    </Td>
                    <Td className="text-muted-foreground text-xs">{formatTime(tool.updatedAt)}</Td>
                  </Tr>
                ))}
              </TBody>
            </Table>
          </div>
        )}
      </section>
      <section aria-labelledby="mcp-heading">
        <div className="mb-2 flex items-center justify-between">
          <h2 id="mcp-heading" className="font-semibold text-lg">
            MCP servers
          </h2>
          <McpServerDialog />
        </div>
        {!servers.ok ? (
          <ErrorAlert error={servers.error} />
        ) : servers.value.items.length === 0 ? (
          <EmptyState icon={<PlugIcon />} title="No MCP servers registered">
            Register a server by URL (Streamable HTTP) or command (stdio): the Studio lists its tools, and
            agents you give it to can call them.
          </EmptyState>
        ) : (
          <div className="grid gap-3 lg:grid-cols-2">
            {servers.value.items.map((server) => (
              <Card key={server.id}>
                <CardHeader className="flex-row items-start justify-between">
                  <div className="grid gap-1">
                    <CardTitle className="flex items-center gap-2">
                      {server.name} {!server.enabled && <Badge>disabled</Badge>}
                      {server.hasAuthToken && <Badge tone="info">token</Badge>}
                    </CardTitle>
                    <CardDescription className="font-mono text-xs">
                      {server.transport.type === "streamable-http"
                        ? server.transport.url
                        : `${server.transport.command} ${server.transport.args.join(" ")}`}
                    </CardDescription>
                  </div>
                  <McpServerDialog server={server} />
                </CardHeader>
                <CardContent>
                  <McpServerTools server={server} />
                </CardContent>
              </Card>
            ))}
          </div>
        )}
      </section>
    </>
  );
}
