import type { RunEvent } from "@agentos/core";
import type { Metadata } from "next";
import { RunView } from "../../../components/runs/run-view";
import { PageHeader } from "../../../components/shell/page-header";
import { ErrorAlert } from "../../../components/ui/feedback";
import { attempt, serverClient } from "../../../lib/server-client";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Run" };

const MAX_EVENT_PAGES = 10;

export default async function RunPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const client = await serverClient();
  const loaded = await attempt(async () => {
    const [run, steps] = await Promise.all([client.runs.get(id), client.runs.steps(id)]);
    // Events so far; the page then follows the SSE stream from the last one.
    const events: RunEvent[] = [];
    let after = 0;
    for (let page = 0; page < MAX_EVENT_PAGES; page++) {
      const batch = await client.runs.events(id, { after, limit: 1000 });
      events.push(...batch.items);
      if (batch.items.length < 1000) break;
      after = batch.nextAfter;
    }
    const [agent, workflow] = await Promise.all([
      run.agentId ? attempt(() => client.agents.get(run.agentId!)) : null,
      run.workflowId ? attempt(() => client.workflows.get(run.workflowId!)) : null,
    ]);
    return {
      run,
      steps: steps.items,
      events,
      agentName: agent?.ok ? agent.value.name : null,
      workflowName: workflow?.ok ? workflow.value.name : null,
    };
  });
  if (!loaded.ok) return <ErrorAlert error={loaded.error} />;
  return (
    <>
      <PageHeader title="Run" description={<span className="font-mono text-xs">{id}</span>} />
      <RunView
        initialRun={loaded.value.run}
        initialSteps={loaded.value.steps}
        initialEvents={loaded.value.events}
        agentName={loaded.value.agentName}
        workflowName={loaded.value.workflowName}
      />
    </>
  );
}
