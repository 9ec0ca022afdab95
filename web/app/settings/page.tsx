import type { Metadata } from "next";
import { ConnectionForm } from "../../components/settings/connection-form";
import { McpEndpoint } from "../../components/settings/mcp-endpoint";
import { TokensPanel } from "../../components/settings/tokens";
import { WorkspaceSettings } from "../../components/settings/workspace-settings";
import { PageHeader } from "../../components/shell/page-header";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "../../components/ui/card";
import { ErrorAlert } from "../../components/ui/feedback";
import { attempt, serverClient } from "../../lib/server-client";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Settings" };

export default async function SettingsPage() {
  const client = await serverClient();
  const [tokens, settings, models] = await Promise.all([
    attempt(() => client.tokens.list()),
    attempt(() => client.settings.get()),
    attempt(() => client.models.list({ limit: 200, sort: "name" })),
  ]);
  return (
    <>
      <PageHeader title="Settings" />
      <div className="grid gap-4">
        <Card>
          <CardHeader>
            <CardTitle>Connection</CardTitle>
            <CardDescription>
              The server this UI reads and writes: this Studio, or a remote AgentOS server (Studio or
              headless).
            </CardDescription>
          </CardHeader>
          <CardContent>
            <ConnectionForm />
          </CardContent>
        </Card>
        <Card>
          <CardHeader>
            <CardTitle>API tokens</CardTitle>
            <CardDescription>
              For the REST API, the MCP endpoint and remote Studios. Secrets are stored hashed.
            </CardDescription>
          </CardHeader>
          <CardContent>
            {tokens.ok ? <TokensPanel tokens={tokens.value.items} /> : <ErrorAlert error={tokens.error} />}
          </CardContent>
        </Card>
        <Card>
          <CardHeader>
            <CardTitle>MCP endpoint</CardTitle>
            <CardDescription>IDEs and agents drive this Studio through MCP.</CardDescription>
          </CardHeader>
          <CardContent>
            <McpEndpoint />
          </CardContent>
        </Card>
        <Card>
          <CardHeader>
            <CardTitle>Workspace</CardTitle>
          </CardHeader>
          <CardContent>
            {settings.ok ? (
              <WorkspaceSettings settings={settings.value} models={models.ok ? models.value.items : []} />
            ) : (
              <ErrorAlert error={settings.error} />
            )}
          </CardContent>
        </Card>
      </div>
    </>
  );
}
