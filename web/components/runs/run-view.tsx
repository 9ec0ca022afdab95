"use client";
import type { Run, RunEvent, RunStep } from "@agentos/core";
import { CheckIcon, RotateCcwIcon, SquareIcon, XIcon } from "lucide-react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useMemo, useState } from "react";
import { useClient } from "../../lib/browser-client";
import { durationBetween, formatCost, formatDuration, formatTime, formatTokens } from "../../lib/format";
import { isFinal } from "../../lib/run-status";
import type { TimelineItem } from "../../lib/run-timeline";
import { useAction } from "../../lib/use-action";
import { Button } from "../ui/button";
import { Card, CardContent, CardHeader, CardTitle } from "../ui/card";
import { ErrorAlert, Spinner } from "../ui/feedback";
import { Textarea } from "../ui/input";
import { Table, TBody, Td, THead, Th, Tr } from "../ui/table";
import { Tabs, TabsContent, TabsList, TabsTrigger } from "../ui/tabs";
import { JsonBlock } from "./json-block";
import { RunStatusBadge } from "./status-badge";
import { ToolCallCard } from "./tool-call-card";
import { useLiveRun } from "./use-live-run";

export function RunView({
  initialRun,
  initialSteps,
  initialEvents,
  agentName,
  workflowName,
}: {
  initialRun: Run;
  initialSteps: RunStep[];
  initialEvents: RunEvent[];
  agentName: string | null;
  workflowName: string | null;
}) {
  const client = useClient();
  const router = useRouter();
  const { run, setRun, steps, timeline, streamError, isLive } = useLiveRun(
    initialRun,
    initialSteps,
    initialEvents,
  );
  const { busy, error, run: act } = useAction<"cancel" | "retry" | "approve" | "reject">();
  const [comment, setComment] = useState("");
  const logs = useMemo(() => timeline.items.filter((i) => i.kind === "log"), [timeline]);
  // The newest word on the status wins: a status event after the last action's answer, or that answer.
  const [answeredAtSeq, setAnsweredAtSeq] = useState(0);
  const lastStatusEvent = timeline.items.findLast((i) => i.kind === "status");
  const status =
    lastStatusEvent?.kind === "status" && lastStatusEvent.seq > answeredAtSeq
      ? lastStatusEvent.status
      : run.status;
  const answered = (fresh: Run) => {
    setAnsweredAtSeq(timeline.lastSeq);
    setRun(fresh);
  };

  const retry = () =>
    act("retry", async () => {
      const created =
        run.kind === "workflow" && run.workflowId
          ? await client.runs.create({ kind: "workflow", workflowId: run.workflowId, input: run.input })
          : await client.runs.create({ kind: "agent", agentId: run.agentId!, input: run.input });
      router.push(`/runs/${created.id}`);
    });

  const pendingApproval =
    status === "waiting" ? timeline.items.findLast((i) => i.kind === "approval" && !i.decision) : null;

  return (
    <div className="grid gap-4">
      <Card>
        <CardContent className="flex flex-wrap items-center gap-x-6 gap-y-3 pt-4">
          <div className="flex items-center gap-2" aria-live="polite" data-testid="run-status">
            <RunStatusBadge status={status} />
            {isLive && (
              <span className="flex items-center gap-1 text-muted-foreground text-xs">
                <span className="size-2 animate-pulse rounded-full bg-success" aria-hidden /> live
              </span>
            )}
          </div>
          <Meta label="Kind">{run.kind}</Meta>
          {run.agentId && (
            <Meta label="Agent">
              <Link className="text-primary hover:underline" href={`/agents/${run.agentId}`}>
                {agentName ?? run.agentId}
              </Link>
            </Meta>
          )}
          {run.workflowId && (
            <Meta label="Workflow">
              <Link
                className="text-primary hover:underline"
                href={`/workflows/${run.workflowId}?run=${run.id}`}
              >
                {workflowName ?? run.workflowId}
              </Link>
            </Meta>
          )}
          {run.conversationId && (
            <Meta label="Conversation">
              <Link className="text-primary hover:underline" href={`/chat/${run.conversationId}`}>
                open chat
              </Link>
            </Meta>
          )}
          <Meta label="Created">{formatTime(run.createdAt)}</Meta>
          <Meta label="Duration">{formatDuration(durationBetween(run.startedAt, run.finishedAt))}</Meta>
          <Meta label="Tokens in / out">
            {formatTokens(run.usage.inputTokens)} / {formatTokens(run.usage.outputTokens)}
          </Meta>
          <Meta label="Cost">{formatCost(run.costUsd)}</Meta>
          <div className="ml-auto flex gap-2">
            {!isFinal(status) && (
              <Button
                variant="outline"
                size="sm"
                disabled={busy !== null}
                onClick={() => act("cancel", async () => answered(await client.runs.cancel(run.id)))}
              >
                {busy === "cancel" ? <Spinner /> : <SquareIcon />} Cancel
              </Button>
            )}
            {isFinal(status) && (run.agentId || run.workflowId) && (
              <Button variant="outline" size="sm" disabled={busy !== null} onClick={retry}>
                {busy === "retry" ? <Spinner /> : <RotateCcwIcon />} Retry
              </Button>
            )}
          </div>
        </CardContent>
      </Card>
      <ErrorAlert error={error} />
      {streamError ? <ErrorAlert error={streamError} /> : null}
      {run.error && (
        <ErrorAlert
          error={{
            status: null,
            problem: { title: `Run ${status}: ${run.error.code}`, detail: run.error.message },
          }}
        />
      )}
      {status === "waiting" && (
        <Card className="border-warning">
          <CardHeader>
            <CardTitle>Waiting for approval</CardTitle>
            <p className="text-sm">
              {pendingApproval?.kind === "approval"
                ? pendingApproval.message
                : "An approval node waits for a decision."}
            </p>
          </CardHeader>
          <CardContent className="grid gap-2">
            {pendingApproval?.kind === "approval" && pendingApproval.input !== null && (
              <JsonBlock value={pendingApproval.input} />
            )}
            <Textarea
              aria-label="Comment on the decision"
              placeholder="Comment (optional)"
              value={comment}
              onChange={(e) => setComment(e.target.value)}
              rows={2}
            />
            <div className="flex gap-2">
              <Button
                disabled={busy !== null}
                onClick={() =>
                  act("approve", async () => answered(await client.runs.approve(run.id, comment)))
                }
              >
                {busy === "approve" ? <Spinner /> : <CheckIcon />} Approve
              </Button>
              <Button
                variant="destructive"
                disabled={busy !== null}
                onClick={() => act("reject", async () => answered(await client.runs.reject(run.id, comment)))}
              >
                {busy === "reject" ? <Spinner /> : <XIcon />} Reject
              </Button>
            </div>
          </CardContent>
        </Card>
      )}
      <Tabs defaultValue="timeline">
        <TabsList>
          <TabsTrigger value="timeline">Timeline</TabsTrigger>
          <TabsTrigger value="steps">Steps ({steps.length})</TabsTrigger>
          <TabsTrigger value="logs">Logs ({logs.length})</TabsTrigger>
          <TabsTrigger value="io">Input &amp; output</TabsTrigger>
        </TabsList>
        <TabsContent value="timeline">
          {timeline.items.length === 0 ? (
            <p className="flex items-center gap-2 text-muted-foreground text-sm">
              {status === "queued" ? (
                <>
                  <Spinner /> Queued: waiting for a worker to pick the run up. If this lasts, check that the
                  worker is running.
                </>
              ) : (
                "No events recorded."
              )}
            </p>
          ) : (
            <ol className="grid gap-2" aria-label="Run timeline" data-testid="run-timeline">
              {timeline.items.map((item) => (
                <li key={item.seq} className="grid grid-cols-[5.5rem_minmax(0,1fr)] gap-3">
                  <span className="pt-2 font-mono text-muted-foreground text-xs">
                    {item.at.slice(11, 23)}
                  </span>
                  <TimelineEntry item={item} />
                </li>
              ))}
            </ol>
          )}
        </TabsContent>
        <TabsContent value="steps">
          <StepsTable steps={steps} />
        </TabsContent>
        <TabsContent value="logs">
          {logs.length === 0 ? (
            <p className="text-muted-foreground text-sm">No log lines. Tools write here while they work.</p>
          ) : (
            <pre className="max-h-[32rem] overflow-auto rounded-md bg-muted p-3 font-mono text-xs">
              {logs.map((l) =>
                l.kind === "log"
                  ? `${l.at.slice(11, 23)}  ${l.source ? `[${l.source}] ` : ""}${l.message}\n`
                  : "",
              )}
            </pre>
          )}
        </TabsContent>
        <TabsContent value="io" className="grid gap-4 lg:grid-cols-2">
          <div>
            <h3 className="mb-1 font-medium text-sm">Input</h3>
            <JsonBlock value={run.input} />
          </div>
          <div>
            <h3 className="mb-1 font-medium text-sm">Output</h3>
            <JsonBlock value={run.output} />
          </div>
        </TabsContent>
      </Tabs>
    </div>
  );
}

function Meta({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="grid text-sm">
      <span className="text-muted-foreground text-xs">{label}</span>
      <span>{children}</span>
    </div>
  );
}

function TimelineEntry({ item }: { item: TimelineItem }) {
  switch (item.kind) {
    case "status":
      return (
        <div className="flex items-center gap-2 py-1.5 text-sm">
          Status <RunStatusBadge status={item.status} />
          {item.error?.message && <span className="text-destructive text-xs">{item.error.message}</span>}
        </div>
      );
    case "llm":
      return (
        <div className="rounded-md border p-3 text-sm">
          <div className="mb-1 flex flex-wrap items-center gap-2 text-muted-foreground text-xs">
            <span className="font-medium text-foreground">Model call</span>
            <span className="font-mono">{item.model ?? "model"}</span>
            <span className="font-mono">{item.step}</span>
            {item.isOpen && <Spinner className="size-3" label="Streaming" />}
            {item.usage && (
              <span className="ml-auto">
                {formatTokens(item.usage.inputTokens)} in · {formatTokens(item.usage.outputTokens)} out ·{" "}
                {formatCost(item.usage.costUsd)}
              </span>
            )}
          </div>
          {item.text ? (
            <p className="whitespace-pre-wrap">{item.text}</p>
          ) : (
            <p className="text-muted-foreground text-xs">
              {item.isOpen ? "Thinking…" : `Finished: ${item.finishReason ?? "—"}`}
            </p>
          )}
        </div>
      );
    case "tool":
      return (
        <ToolCallCard
          toolName={item.node ? `${item.toolName} (node ${item.node})` : item.toolName}
          input={item.input}
          output={item.output}
          state={!item.isDone ? "running" : item.isError ? "error" : "done"}
          durationMs={item.durationMs}
        />
      );
    case "log":
      return <p className="py-1.5 font-mono text-muted-foreground text-xs">{item.message}</p>;
    case "approval":
      return (
        <div className="rounded-md border border-warning p-3 text-sm">
          <span className="font-medium">Approval requested</span>
          {item.node && <span className="text-muted-foreground"> · node {item.node}</span>}
          <p>{item.message}</p>
          {item.decision && (
            <p className={item.decision.approved ? "text-success" : "text-destructive"}>
              {item.decision.approved ? "Approved" : "Rejected"}
              {item.decision.comment ? `: ${item.decision.comment}` : ""}
            </p>
          )}
        </div>
      );
  }
}

function StepsTable({ steps }: { steps: RunStep[] }) {
  if (steps.length === 0) return <p className="text-muted-foreground text-sm">No steps yet.</p>;
  return (
    <div className="rounded-lg border">
      <Table>
        <THead>
          <Tr>
            <Th>Step</Th>
            <Th>Kind</Th>
            <Th>Status</Th>
            <Th>Model</Th>
            <Th className="text-right">Tokens in / out</Th>
            <Th className="text-right">Cost</Th>
            <Th className="text-right">Duration</Th>
          </Tr>
        </THead>
        <TBody>
          {steps.map((step) => (
            <Tr key={step.id}>
              <Td>
                <details>
                  <summary className="cursor-pointer font-mono text-xs">
                    {step.key}
                    {step.attempt > 1 ? ` (attempt ${step.attempt})` : ""}
                  </summary>
                  <div className="mt-2 grid gap-2">
                    {step.input !== null && <JsonBlock value={step.input} />}
                    {step.output !== null && <JsonBlock value={step.output} />}
                    {step.error && <p className="text-destructive text-xs">{step.error.message}</p>}
                  </div>
                </details>
              </Td>
              <Td>{step.kind}</Td>
              <Td>{step.status}</Td>
              <Td className="font-mono text-xs">{step.model ?? "—"}</Td>
              <Td className="text-right tabular-nums">
                {step.usage
                  ? `${formatTokens(step.usage.inputTokens)} / ${formatTokens(step.usage.outputTokens)}`
                  : "—"}
              </Td>
              <Td className="text-right tabular-nums">{step.usage ? formatCost(step.costUsd) : "—"}</Td>
              <Td className="text-right tabular-nums">
                {formatDuration(durationBetween(step.startedAt, step.finishedAt))}
              </Td>
            </Tr>
          ))}
        </TBody>
      </Table>
    </div>
  );
}
