import { BoxIcon } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { CreateSandboxButton } from "../../components/sandboxes/sandbox-controls";
import { STATE_TONE } from "../../components/sandboxes/state";
import { SandboxesUnavailable } from "../../components/sandboxes/unavailable";
import { PageHeader } from "../../components/shell/page-header";
import { Badge } from "../../components/ui/badge";
import { EmptyState, ErrorAlert } from "../../components/ui/feedback";
import { Table, TBody, Td, THead, Th, Tr } from "../../components/ui/table";
import { formatTime, shortId } from "../../lib/format";
import { isFeatureMissing } from "../../lib/problem";
import { attempt, serverClient } from "../../lib/server-client";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Sandboxes" };

export default async function SandboxesPage() {
  const client = await serverClient();
  const page = await attempt(() => client.sandboxes.list({ limit: 200 }));
  return (
    <>
      <PageHeader
        title="Sandboxes & sites"
        description="Docker containers agents run code in, their files, and the sites they serve."
        actions={page.ok ? <CreateSandboxButton /> : null}
      />
      {!page.ok ? (
        isFeatureMissing(page.error) ? (
          <SandboxesUnavailable error={page.error} />
        ) : (
          <ErrorAlert error={page.error} />
        )
      ) : page.value.items.length === 0 ? (
        <EmptyState icon={<BoxIcon />} title="No sandboxes yet">
          Create one here, or enable the sandbox in an agent's settings: its sandbox tools then run in its own
          container.
        </EmptyState>
      ) : (
        <div className="rounded-lg border">
          <Table>
            <THead>
              <Tr>
                <Th>Sandbox</Th>
                <Th>State</Th>
                <Th>Image</Th>
                <Th>Resources</Th>
                <Th>Owner</Th>
                <Th>Last used</Th>
              </Tr>
            </THead>
            <TBody>
              {page.value.items.map((s) => (
                <Tr key={s.id}>
                  <Td>
                    <Link
                      href={`/sandboxes/${s.id}`}
                      className="font-mono text-primary text-xs hover:underline"
                    >
                      {shortId(s.id)}
                    </Link>
                  </Td>
                  <Td>
                    <Badge tone={STATE_TONE[s.state] ?? "neutral"}>{s.state}</Badge>
                    {s.stateReason && <p className="text-muted-foreground text-xs">{s.stateReason}</p>}
                  </Td>
                  <Td className="font-mono text-xs">{s.policy.image}</Td>
                  <Td className="text-xs">
                    {s.policy.memoryMb} MB · {s.policy.cpus} CPU · {s.policy.pidsLimit} pids · network{" "}
                    {s.policy.network ? "on" : "off"}
                  </Td>
                  <Td className="text-xs">
                    {s.agentId ? (
                      <Link href={`/agents/${s.agentId}`} className="hover:underline">
                        agent {shortId(s.agentId)}
                      </Link>
                    ) : s.runId ? (
                      <Link href={`/runs/${s.runId}`} className="hover:underline">
                        run {shortId(s.runId)}
                      </Link>
                    ) : (
                      "workspace"
                    )}
                  </Td>
                  <Td className="text-muted-foreground text-xs">{formatTime(s.lastUsedAt)}</Td>
                </Tr>
              ))}
            </TBody>
          </Table>
        </div>
      )}
    </>
  );
}
