import type { Metadata } from "next";
import { AgentForm } from "../../../components/agents/agent-form";
import { PageHeader } from "../../../components/shell/page-header";
import { ErrorAlert } from "../../../components/ui/feedback";
import { loadAgentFormOptions } from "../options";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "New agent" };

export default async function NewAgentPage() {
  const options = await loadAgentFormOptions();
  return (
    <>
      <PageHeader title="New agent" description="Give it a name, a model and what it should do." />
      {options.ok ? <AgentForm agent={null} {...options.value} /> : <ErrorAlert error={options.error} />}
    </>
  );
}
