import { BotIcon, PlusIcon, SearchIcon } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { AgentActions } from "../../components/agents/agent-actions";
import { PageHeader } from "../../components/shell/page-header";
import { buttonClass } from "../../components/ui/button";
import { EmptyState, ErrorAlert } from "../../components/ui/feedback";
import { Input } from "../../components/ui/input";
import { Table, TBody, Td, THead, Th, Tr } from "../../components/ui/table";
import { formatTime } from "../../lib/format";
import { attempt, serverClient } from "../../lib/server-client";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Agents" };

export default async function AgentsPage({
  searchParams,
}: {
  searchParams: Promise<{ q?: string; cursor?: string }>;
}) {
  const { q, cursor } = await searchParams;
  const client = await serverClient();
  const page = await attempt(() =>
    client.agents.list({ limit: 50, sort: "name", ...(q ? { q } : {}), ...(cursor ? { cursor } : {}) }),
  );
  return (
    <>
      <PageHeader
        title="Agents"
        description="A model, instructions and tools. Run one as a background run or chat with it."
        actions={
          <Link href="/agents/new" className={buttonClass()}>
            <PlusIcon /> New agent
          </Link>
        }
      />
      <form className="mb-4 flex max-w-md gap-2">
        <Input
          name="q"
          type="search"
          defaultValue={q ?? ""}
          placeholder="Search agents by name"
          aria-label="Search agents"
        />
        <button type="submit" className={buttonClass("secondary")}>
          <SearchIcon /> Search
        </button>
      </form>
      {!page.ok ? (
        <ErrorAlert error={page.error} />
      ) : page.value.items.length === 0 ? (
        <EmptyState
          icon={<BotIcon />}
          title={q ? `No agent matches “${q}”` : "No agents yet"}
          action={
            <Link href="/agents/new" className={buttonClass()}>
              <PlusIcon /> Create an agent
            </Link>
          }
        >
          {q
            ? "Try another name, or clear the search."
            : "An agent needs a model: add a provider under Models first, then create the agent here."}
        </EmptyState>
      ) : (
        <div className="rounded-lg border">
          <Table>
            <THead>
              <Tr>
                <Th>Name</Th>
                <Th>Model</Th>
                <Th>Tools</Th>
                <Th>Updated</Th>
                <Th className="text-right">Actions</Th>
              </Tr>
            </THead>
            <TBody>
              {page.value.items.map((agent) => (
                <Tr key={agent.id}>
                  <Td>
                    <Link href={`/agents/${agent.id}`} className="font-medium hover:underline">
                      {agent.name}
                    </Link>
                    {agent.description && (
                      <p className="line-clamp-1 text-muted-foreground text-xs">{agent.description}</p>
                    )}
                  </Td>
                  <Td className="font-mono text-xs">{agent.model.model}</Td>
                  <Td>{agent.toolIds.length + agent.mcpServerIds.length}</Td>
                  <Td className="text-muted-foreground text-xs">{formatTime(agent.updatedAt)}</Td>
                  <Td>
                    <div className="flex justify-end gap-2">
                      <AgentActions agentId={agent.id} agentName={agent.name} />
                    </div>
                  </Td>
                </Tr>
              ))}
            </TBody>
          </Table>
        </div>
      )}
      {page.ok && page.value.nextCursor && (
        <div className="mt-3">
          <Link
            className={buttonClass("outline", "sm")}
            href={`/agents?${new URLSearchParams({ ...(q ? { q } : {}), cursor: page.value.nextCursor })}`}
          >
            Next page
          </Link>
        </div>
      )}
    </>
  );
}
