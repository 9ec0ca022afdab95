import { PlayCircleIcon } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { createdRange, dayOf } from "../../components/runs/date-range";
import { RunStatusBadge } from "../../components/runs/status-badge";
import { PageHeader } from "../../components/shell/page-header";
import { buttonClass } from "../../components/ui/button";
import { EmptyState, ErrorAlert } from "../../components/ui/feedback";
import { Input, Select } from "../../components/ui/input";
import { Table, TBody, Td, THead, Th, Tr } from "../../components/ui/table";
import {
  durationBetween,
  formatCost,
  formatDuration,
  formatTime,
  formatTokens,
  shortId,
} from "../../lib/format";
import { RUN_STATUSES } from "../../lib/run-status";
import { attempt, serverClient } from "../../lib/server-client";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Runs" };

type Params = {
  agentId?: string;
  status?: string;
  kind?: string;
  from?: string;
  to?: string;
  cursor?: string;
};
const PAGE = 50;

export default async function RunsPage({ searchParams }: { searchParams: Promise<Params> }) {
  const params = await searchParams;
  const from = dayOf(params.from);
  const to = dayOf(params.to);
  const range = createdRange(from, to);
  const status = RUN_STATUSES.find((s) => s === params.status);
  const kind = ["agent", "workflow", "chat"].find((k) => k === params.kind);
  const filters = {
    ...(params.agentId ? { agentId: params.agentId } : {}),
    ...(status ? { status } : {}),
    ...(kind ? { kind } : {}),
  };
  const isFiltered = Object.keys(filters).length > 0 || Boolean(from || to);
  const client = await serverClient();
  const [runs, agents] = await Promise.all([
    attempt(async () => {
      if (!range.ok) throw new Error(range.problem);
      return client.runs.list({
        ...filters,
        ...range.query,
        limit: PAGE,
        ...(params.cursor ? { cursor: params.cursor } : {}),
      });
    }),
    attempt(() => client.agents.list({ limit: 200, sort: "name" })),
  ]);
  const agentNames = new Map(agents.ok ? agents.value.items.map((a) => [a.id, a.name]) : []);
  const query = (extra: Record<string, string>) =>
    new URLSearchParams(
      Object.entries({ ...params, ...extra }).filter(
        (e): e is [string, string] => typeof e[1] === "string" && e[1] !== "",
      ),
    ).toString();

  return (
    <>
      <PageHeader title="Runs" description="Every agent, workflow and chat run, newest first." />
      <form className="mb-4 flex flex-wrap items-end gap-2" aria-label="Filter runs">
        <label htmlFor="filter-agentId" className="grid gap-1 text-muted-foreground text-xs">
          Agent
          <Select id="filter-agentId" name="agentId" defaultValue={params.agentId ?? ""} className="h-8 w-48">
            <option value="">All agents</option>
            {agents.ok &&
              agents.value.items.map((a) => (
                <option key={a.id} value={a.id}>
                  {a.name}
                </option>
              ))}
          </Select>
        </label>
        <label htmlFor="filter-status" className="grid gap-1 text-muted-foreground text-xs">
          Status
          <Select id="filter-status" name="status" defaultValue={status ?? ""} className="h-8 w-36">
            <option value="">Any status</option>
            {RUN_STATUSES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </Select>
        </label>
        <label htmlFor="filter-kind" className="grid gap-1 text-muted-foreground text-xs">
          Kind
          <Select id="filter-kind" name="kind" defaultValue={kind ?? ""} className="h-8 w-32">
            <option value="">Any kind</option>
            <option value="agent">agent</option>
            <option value="workflow">workflow</option>
            <option value="chat">chat</option>
          </Select>
        </label>
        <fieldset className="flex items-end gap-2" aria-label="Created between (UTC days, both included)">
          <label htmlFor="filter-from" className="grid gap-1 text-muted-foreground text-xs">
            Created from (UTC)
            <Input type="date" id="filter-from" name="from" defaultValue={from ?? ""} className="h-8 w-36" />
          </label>
          <label htmlFor="filter-to" className="grid gap-1 text-muted-foreground text-xs">
            to (UTC, included)
            <Input type="date" id="filter-to" name="to" defaultValue={to ?? ""} className="h-8 w-36" />
          </label>
        </fieldset>
        <button type="submit" className={buttonClass("secondary", "sm")}>
          Filter
        </button>
        <Link href="/runs" className={buttonClass("ghost", "sm")}>
          Clear
        </Link>
      </form>
      {!runs.ok ? (
        <ErrorAlert error={runs.error} />
      ) : runs.value.items.length === 0 ? (
        <EmptyState icon={<PlayCircleIcon />} title="No runs match">
          {isFiltered ? (
            <>
              No run matches these filters
              {from || to ? ` created ${from ? `from ${from}` : ""}${to ? ` to ${to}` : ""} (UTC)` : ""}.{" "}
              <Link href="/runs" className="text-primary underline">
                Clear the filters
              </Link>{" "}
              to see every run.
            </>
          ) : (
            <>
              Runs appear when an agent is run or chatted with, or a workflow executes. Start one from{" "}
              <Link href="/agents" className="text-primary underline">
                Agents
              </Link>
              .
            </>
          )}
        </EmptyState>
      ) : (
        <div className="rounded-lg border">
          <Table>
            <THead>
              <Tr>
                <Th>Run</Th>
                <Th>Status</Th>
                <Th>Kind</Th>
                <Th>Agent</Th>
                <Th>Created</Th>
                <Th className="text-right">Duration</Th>
                <Th className="text-right">Tokens</Th>
                <Th className="text-right">Cost</Th>
              </Tr>
            </THead>
            <TBody>
              {runs.value.items.map((run) => (
                <Tr key={run.id}>
                  <Td>
                    <Link href={`/runs/${run.id}`} className="font-mono text-primary text-xs hover:underline">
                      {shortId(run.id)}
                    </Link>
                  </Td>
                  <Td>
                    <RunStatusBadge status={run.status} />
                  </Td>
                  <Td>{run.kind}</Td>
                  <Td className="max-w-48 truncate">
                    {run.agentId ? (agentNames.get(run.agentId) ?? shortId(run.agentId)) : "—"}
                  </Td>
                  <Td className="text-muted-foreground text-xs">{formatTime(run.createdAt)}</Td>
                  <Td className="text-right tabular-nums">
                    {formatDuration(durationBetween(run.startedAt, run.finishedAt))}
                  </Td>
                  <Td className="text-right tabular-nums">
                    {formatTokens(run.usage.inputTokens + run.usage.outputTokens)}
                  </Td>
                  <Td className="text-right tabular-nums">{formatCost(run.costUsd)}</Td>
                </Tr>
              ))}
            </TBody>
          </Table>
        </div>
      )}
      {runs.ok && runs.value.nextCursor && (
        <div className="mt-3">
          <Link
            className={buttonClass("outline", "sm")}
            href={`/runs?${query({ cursor: runs.value.nextCursor })}`}
          >
            Older runs
          </Link>
        </div>
      )}
    </>
  );
}
