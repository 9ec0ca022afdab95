import type { Metadata } from "next";
import { ExecConsole } from "../../../components/sandboxes/exec-console";
import { FileBrowser } from "../../../components/sandboxes/file-browser";
import { SandboxControls } from "../../../components/sandboxes/sandbox-controls";
import { SiteBindings } from "../../../components/sandboxes/site-bindings";
import { STATE_TONE } from "../../../components/sandboxes/state";
import { SandboxesUnavailable } from "../../../components/sandboxes/unavailable";
import { PageHeader } from "../../../components/shell/page-header";
import { Badge } from "../../../components/ui/badge";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "../../../components/ui/card";
import { ErrorAlert } from "../../../components/ui/feedback";
import { isFeatureMissing } from "../../../lib/problem";
import { attempt, serverClient } from "../../../lib/server-client";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Sandbox" };

export default async function SandboxPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const client = await serverClient();
  const sandbox = await attempt(() => client.sandboxes.get(id));
  if (!sandbox.ok)
    return isFeatureMissing(sandbox.error) ? (
      <SandboxesUnavailable error={sandbox.error} />
    ) : (
      <ErrorAlert error={sandbox.error} />
    );
  const s = sandbox.value;
  return (
    <>
      <PageHeader
        title={
          <span className="flex items-center gap-2">
            Sandbox <Badge tone={STATE_TONE[s.state] ?? "neutral"}>{s.state}</Badge>
          </span>
        }
        description={
          <span className="font-mono text-xs">
            {s.id} · {s.policy.image} · {s.policy.memoryMb} MB · {s.policy.cpus} CPU · network{" "}
            {s.policy.network ? "on" : "off"}
          </span>
        }
        actions={<SandboxControls sandbox={s} />}
      />
      {s.stateReason && <p className="mb-3 text-muted-foreground text-sm">{s.stateReason}</p>}
      <div className="grid gap-4 xl:grid-cols-2">
        <Card className="xl:col-span-2">
          <CardHeader>
            <CardTitle>Console</CardTitle>
            <CardDescription>
              Runs with /bin/sh -c in /workspace; a stopped sandbox is started first.
            </CardDescription>
          </CardHeader>
          <CardContent>
            <ExecConsole sandboxId={s.id} />
          </CardContent>
        </Card>
        <Card>
          <CardHeader>
            <CardTitle>Files</CardTitle>
          </CardHeader>
          <CardContent>
            <FileBrowser sandboxId={s.id} />
          </CardContent>
        </Card>
        <Card>
          <CardHeader>
            <CardTitle>Sites</CardTitle>
            <CardDescription>Requests for a bound host reach the container port.</CardDescription>
          </CardHeader>
          <CardContent>
            <SiteBindings sandboxId={s.id} />
          </CardContent>
        </Card>
      </div>
    </>
  );
}
