import type { Metadata } from "next";
import Link from "next/link";
import { AgentActions } from "../../../components/agents/agent-actions";
import { AgentForm } from "../../../components/agents/agent-form";
import { PageHeader } from "../../../components/shell/page-header";
import { buttonClass } from "../../../components/ui/button";
import { ErrorAlert } from "../../../components/ui/feedback";
import { attempt, serverClient } from "../../../lib/server-client";
import { loadAgentFormOptions } from "../options";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Agent" };

export default async function AgentPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const client = await serverClient();
  const [agent, options] = await Promise.all([attempt(() => client.agents.get(id)), loadAgentFormOptions()]);
  if (!agent.ok) return <ErrorAlert error={agent.error} />;
  return (
    <>
      <PageHeader
        title={agent.value.name}
        description={<span className="font-mono text-xs">{agent.value.id}</span>}
        actions={
          <>
            <AgentActions agentId={agent.value.id} agentName={agent.value.name} />
            <Link href={`/runs?agentId=${agent.value.id}`} className={buttonClass("ghost", "sm")}>
              Runs
            </Link>
          </>
        }
      />
      {options.ok ? (
        <AgentForm agent={agent.value} {...options.value} />
      ) : (
        <ErrorAlert error={options.error} />
      )}
    </>
  );
}
