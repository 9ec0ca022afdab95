import type { Metadata } from "next";
import Link from "next/link";
import { PageHeader } from "../../../components/shell/page-header";
import { buttonClass } from "../../../components/ui/button";
import { ErrorAlert } from "../../../components/ui/feedback";
import { LazyWorkflowEditor } from "../../../components/workflows/editor-lazy";
import { attempt, serverClient } from "../../../lib/server-client";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Workflow" };

export default async function WorkflowPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<{ run?: string }>;
}) {
  const [{ id }, { run }] = await Promise.all([params, searchParams]);
  const client = await serverClient();
  const loaded = await attempt(() =>
    Promise.all([
      client.workflows.get(id),
      client.agents.list({ limit: 200, sort: "name" }),
      client.tools.list({ limit: 200, sort: "name" }),
    ]),
  );
  if (!loaded.ok) return <ErrorAlert error={loaded.error} />;
  const [workflow, agents, tools] = loaded.value;
  return (
    <>
      <PageHeader
        title={workflow.name}
        description="Add nodes, connect them, validate, save and execute; a running execution shows on the graph."
        actions={
          <Link href={`/runs?kind=workflow`} className={buttonClass("ghost", "sm")}>
            Workflow runs
          </Link>
        }
      />
      <LazyWorkflowEditor
        workflow={workflow}
        agents={agents.items}
        tools={tools.items}
        watchRunId={run ?? null}
      />
    </>
  );
}
