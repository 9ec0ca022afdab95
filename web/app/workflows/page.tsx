import { WorkflowIcon } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { PageHeader } from "../../components/shell/page-header";
import { EmptyState, ErrorAlert } from "../../components/ui/feedback";
import { Table, TBody, Td, THead, Th, Tr } from "../../components/ui/table";
import { NewWorkflowButton } from "../../components/workflows/new-workflow";
import { formatTime } from "../../lib/format";
import { attempt, serverClient } from "../../lib/server-client";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Workflows" };

export default async function WorkflowsPage() {
  const client = await serverClient();
  const page = await attempt(() => client.workflows.list({ limit: 200, sort: "-updatedAt" }));
  return (
    <>
      <PageHeader
        title="Workflows"
        description="Graphs of agents, tools, conditions and approvals that run as one durable run."
        actions={<NewWorkflowButton />}
      />
      {!page.ok ? (
        <ErrorAlert error={page.error} />
      ) : page.value.items.length === 0 ? (
        <EmptyState icon={<WorkflowIcon />} title="No workflows yet">
          Create one, add an agent node and an output node, connect them, and execute it.
        </EmptyState>
      ) : (
        <div className="rounded-lg border">
          <Table>
            <THead>
              <Tr>
                <Th>Name</Th>
                <Th>Nodes</Th>
                <Th>Updated</Th>
              </Tr>
            </THead>
            <TBody>
              {page.value.items.map((w) => (
                <Tr key={w.id}>
                  <Td>
                    <Link href={`/workflows/${w.id}`} className="font-medium hover:underline">
                      {w.name}
                    </Link>
                    {w.description && <p className="text-muted-foreground text-xs">{w.description}</p>}
                  </Td>
                  <Td>{w.graph.nodes.length}</Td>
                  <Td className="text-muted-foreground text-xs">{formatTime(w.updatedAt)}</Td>
                </Tr>
              ))}
            </TBody>
          </Table>
        </div>
      )}
    </>
  );
}
