import type { Metadata } from "next";
import { JsonBlock } from "../../../components/runs/json-block";
import { PageHeader } from "../../../components/shell/page-header";
import { HttpToolForm } from "../../../components/tools/http-tool-form";
import { ErrorAlert } from "../../../components/ui/feedback";
import { attempt, serverClient } from "../../../lib/server-client";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Tool" };

export default async function ToolPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const client = await serverClient();
  const tool = await attempt(() => client.tools.get(id));
  if (!tool.ok) return <ErrorAlert error={tool.error} />;
  return (
    <>
      <PageHeader
        title={tool.value.name}
        description={<span className="font-mono text-xs">{tool.value.id}</span>}
      />
      {tool.value.kind === "http" ? (
        <HttpToolForm tool={tool.value} />
      ) : (
        <div className="grid gap-2">
          <p className="text-muted-foreground text-sm">
            {tool.value.kind} tools are edited through the API; the editor here covers HTTP tools.
          </p>
          <JsonBlock value={tool.value} />
        </div>
      )}
    </>
  );
}
