import type { Metadata } from "next";
import { ConnectionForm } from "../../components/settings/connection-form";
import { McpEndpoint } from "../../components/settings/mcp-endpoint";
import { MembersPanel } from "../../components/settings/members";
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
  const [tokens, settings, models, me] = await Promise.all([
    attempt(() => client.tokens.list()),
    attempt(() => client.settings.get()),
    attempt(() => client.models.list({ limit: 200, sort: "name" })),
    attempt(() => client.me()),
  ]);
  // Members exist in hosted mode only; invitations are listed to admins (their links let people join).
  const hosted = me.ok && me.value.mode === "hosted" ? me.value : null;
  const [members, invitations] = hosted
    ? await Promise.all([
        attempt(() => client.members.list()),
        hosted.scopes.includes("admin") ? attempt(() => client.invitations.list()) : null,
      ])
    : [null, null];
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
        {hosted && members && (
          <Card>
            <CardHeader>
              <CardTitle>Members</CardTitle>
              <CardDescription>
                Who works in this workspace, and their roles: viewers read; members also create and run;
                admins and owners also manage tokens, secrets, budgets, settings and members.
              </CardDescription>
            </CardHeader>
            <CardContent>
              {members.ok ? (
                <MembersPanel
                  me={hosted}
                  members={members.value.items}
                  invitations={invitations?.ok ? invitations.value.items : null}
                />
              ) : (
                <ErrorAlert error={members.error} />
              )}
              {invitations && !invitations.ok && <ErrorAlert error={invitations.error} className="mt-4" />}
            </CardContent>
          </Card>
        )}
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
