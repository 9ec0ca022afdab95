import { AlertTriangleIcon } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { LazyDashboardCharts } from "../components/dashboard/charts-lazy";
import { RunStatusBadge } from "../components/runs/status-badge";
import { PageHeader } from "../components/shell/page-header";
import { buttonClass } from "../components/ui/button";
import { Card, CardContent, CardHeader, CardTitle } from "../components/ui/card";
import { EmptyState, ErrorAlert } from "../components/ui/feedback";
import { Input } from "../components/ui/input";
import { Table, TBody, Td, THead, Th, Tr } from "../components/ui/table";
import { formatCost, formatTime, formatTokens, isoDay } from "../lib/format";
import { attempt, serverClient } from "../lib/server-client";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Dashboard" };

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** The date range from the query, defaulting to the last 30 days (UTC). */
function rangeOf(params: Record<string, string | string[] | undefined>) {
  const today = new Date();
  const to = typeof params.to === "string" && DAY.test(params.to) ? params.to : isoDay(today);
  const from =
    typeof params.from === "string" && DAY.test(params.from)
      ? params.from
      : isoDay(new Date(Date.parse(`${to}T00:00:00Z`) - 29 * 86_400_000));
  return { from, to };
}

const PRESETS = [7, 30, 90] as const;

export default async function DashboardPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { from, to } = rangeOf(await searchParams);
  const client = await serverClient();
  const [stats, failures, agents] = await Promise.all([
    attempt(() => client.stats({ from, to })),
    attempt(() => client.runs.list({ status: "failed", limit: 8 })),
    attempt(() => client.agents.list({ limit: 200, sort: "name" })),
  ]);
  const agentNames = Object.fromEntries(agents.ok ? agents.value.items.map((a) => [a.id, a.name]) : []);
  const today = isoDay(new Date());

  return (
    <>
      <PageHeader
        title="Dashboard"
        description="Runs, tokens, cost and feedback across the workspace."
        actions={
          <form className="flex flex-wrap items-end gap-2" aria-label="Date range">
            {PRESETS.map((days) => (
              <Link
                key={days}
                className={buttonClass("outline", "sm")}
                href={`/?from=${isoDay(new Date(Date.now() - (days - 1) * 86_400_000))}&to=${today}`}
              >
                {days} days
              </Link>
            ))}
            <label htmlFor="filter-from" className="grid gap-1 text-muted-foreground text-xs">
              From
              <Input type="date" id="filter-from" name="from" defaultValue={from} className="h-8 w-36" />
            </label>
            <label htmlFor="filter-to" className="grid gap-1 text-muted-foreground text-xs">
              To
              <Input type="date" id="filter-to" name="to" defaultValue={to} className="h-8 w-36" />
            </label>
            <button type="submit" className={buttonClass("secondary", "sm")}>
              Apply
            </button>
          </form>
        }
      />
      {!stats.ok ? (
        <ErrorAlert error={stats.error} />
      ) : (
        <div className="grid gap-4">
          <div className="grid grid-cols-2 gap-3 md:grid-cols-3 xl:grid-cols-6">
            {(
              [
                ["Agents", stats.value.counts.agents, "/agents"],
                ["Workflows", stats.value.counts.workflows, "/workflows"],
                ["Tools", stats.value.counts.tools, "/tools"],
                ["Runs", stats.value.counts.runs, "/runs"],
                ["Conversations", stats.value.counts.conversations, "/chat"],
              ] as const
            ).map(([label, value, href]) => (
              <Link key={label} href={href} className="rounded-lg border bg-card p-4 hover:bg-accent">
                <p className="text-muted-foreground text-xs">{label}</p>
                <p className="font-semibold text-2xl tabular-nums">{value}</p>
              </Link>
            ))}
            <Link
              href="/feedback"
              className="rounded-lg border bg-card p-4 hover:bg-accent"
              data-testid="feedback-ratio"
            >
              <p className="text-muted-foreground text-xs">Feedback up / down</p>
              <p className="font-semibold text-2xl tabular-nums">
                {stats.value.feedback.up} / {stats.value.feedback.down}
              </p>
              <p className="text-muted-foreground text-xs">
                {stats.value.feedback.ratio === null
                  ? "no ratings in range"
                  : `${Math.round(stats.value.feedback.ratio * 100)}% positive`}
              </p>
            </Link>
          </div>
          {stats.value.runsPerDay.length === 0 && stats.value.byModel.length === 0 ? (
            <EmptyState title="No runs in this range">
              Create an agent and press <strong>Run</strong> or <strong>Chat</strong>; its runs, tokens and
              cost show up here.{" "}
              <Link href="/agents" className="text-primary underline">
                Go to Agents
              </Link>
            </EmptyState>
          ) : (
            <LazyDashboardCharts stats={stats.value} agentNames={agentNames} />
          )}
          <div className="grid gap-4 lg:grid-cols-2">
            <Card>
              <CardHeader>
                <CardTitle>Usage by model</CardTitle>
              </CardHeader>
              <CardContent>
                <Table>
                  <THead>
                    <Tr>
                      <Th>Model</Th>
                      <Th className="text-right">Calls</Th>
                      <Th className="text-right">Tokens in / out</Th>
                      <Th className="text-right">Cost</Th>
                    </Tr>
                  </THead>
                  <TBody>
                    {stats.value.byModel.map((m) => (
                      <Tr key={m.model}>
                        <Td className="font-mono text-xs">{m.model}</Td>
                        <Td className="text-right tabular-nums">{m.calls}</Td>
                        <Td className="text-right tabular-nums">
                          {formatTokens(m.inputTokens)} / {formatTokens(m.outputTokens)}
                        </Td>
                        <Td className="text-right tabular-nums">{formatCost(m.costUsd)}</Td>
                      </Tr>
                    ))}
                    {stats.value.byModel.length === 0 && (
                      <Tr>
                        <Td colSpan={4} className="text-muted-foreground">
                          No model calls in this range.
                        </Td>
                      </Tr>
                    )}
                  </TBody>
                </Table>
              </CardContent>
            </Card>
            <Card>
              <CardHeader>
                <CardTitle className="flex items-center gap-2">
                  <AlertTriangleIcon className="size-4 text-destructive" aria-hidden /> Recent failures
                </CardTitle>
              </CardHeader>
              <CardContent>
                {!failures.ok ? (
                  <ErrorAlert error={failures.error} />
                ) : failures.value.items.length === 0 ? (
                  <p className="text-muted-foreground text-sm">No failed runs in the workspace.</p>
                ) : (
                  <ul className="grid gap-2">
                    {failures.value.items.map((run) => (
                      <li key={run.id}>
                        <Link
                          href={`/runs/${run.id}`}
                          className="grid gap-0.5 rounded-md border p-2 hover:bg-accent"
                        >
                          <span className="flex items-center gap-2 text-sm">
                            <RunStatusBadge status={run.status} />
                            <span className="truncate">
                              {(run.agentId && agentNames[run.agentId]) || run.kind} ·{" "}
                              {formatTime(run.createdAt)}
                            </span>
                          </span>
                          <span className="truncate text-muted-foreground text-xs">
                            {run.error ? `${run.error.code}: ${run.error.message}` : "No error recorded"}
                          </span>
                        </Link>
                      </li>
                    ))}
                  </ul>
                )}
              </CardContent>
            </Card>
          </div>
        </div>
      )}
    </>
  );
}
