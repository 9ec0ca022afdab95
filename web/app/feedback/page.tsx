import { ThumbsDownIcon, ThumbsUpIcon } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { PageHeader } from "../../components/shell/page-header";
import { buttonClass } from "../../components/ui/button";
import { EmptyState, ErrorAlert } from "../../components/ui/feedback";
import { Select } from "../../components/ui/input";
import { Table, TBody, Td, THead, Th, Tr } from "../../components/ui/table";
import { formatTime, shortId } from "../../lib/format";
import { attempt, serverClient } from "../../lib/server-client";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Feedback" };

export default async function FeedbackPage({
  searchParams,
}: {
  searchParams: Promise<{ rating?: string; agentId?: string; cursor?: string }>;
}) {
  const params = await searchParams;
  const rating = params.rating === "up" || params.rating === "down" ? params.rating : undefined;
  const client = await serverClient();
  const [page, agents] = await Promise.all([
    attempt(() =>
      client.feedback.list({
        limit: 100,
        ...(rating ? { rating } : {}),
        ...(params.agentId ? { agentId: params.agentId } : {}),
        ...(params.cursor ? { cursor: params.cursor } : {}),
      }),
    ),
    attempt(() => client.agents.list({ limit: 200, sort: "name" })),
  ]);
  const agentNames = new Map(agents.ok ? agents.value.items.map((a) => [a.id, a.name]) : []);
  return (
    <>
      <PageHeader title="Feedback" description="Thumbs up and down on replies and runs, with comments." />
      <form className="mb-4 flex flex-wrap items-end gap-2" aria-label="Filter feedback">
        <label htmlFor="filter-rating" className="grid gap-1 text-muted-foreground text-xs">
          Rating
          <Select id="filter-rating" name="rating" defaultValue={rating ?? ""} className="h-8 w-36">
            <option value="">Any rating</option>
            <option value="up">Thumbs up</option>
            <option value="down">Thumbs down</option>
          </Select>
        </label>
        <label htmlFor="filter-agentId" className="grid gap-1 text-muted-foreground text-xs">
          Agent
          <Select id="filter-agentId" name="agentId" defaultValue={params.agentId ?? ""} className="h-8 w-48">
            <option value="">All agents</option>
            {[...agentNames].map(([id, name]) => (
              <option key={id} value={id}>
                {name}
              </option>
            ))}
          </Select>
        </label>
        <button type="submit" className={buttonClass("secondary", "sm")}>
          Filter
        </button>
      </form>
      {!page.ok ? (
        <ErrorAlert error={page.error} />
      ) : page.value.items.length === 0 ? (
        <EmptyState icon={<ThumbsUpIcon />} title="No feedback yet">
          Rate a reply with thumbs up or down in{" "}
          <Link href="/chat" className="text-primary underline">
            Chat
          </Link>
          ; it shows up here and on the dashboard, and agents that learn from feedback use it.
        </EmptyState>
      ) : (
        <div className="rounded-lg border">
          <Table>
            <THead>
              <Tr>
                <Th>Rating</Th>
                <Th>Comment</Th>
                <Th>Agent</Th>
                <Th>About</Th>
                <Th>When</Th>
              </Tr>
            </THead>
            <TBody>
              {page.value.items.map((f) => (
                <Tr key={f.id} data-testid="feedback-row">
                  <Td>
                    {f.rating === "up" ? (
                      <ThumbsUpIcon className="size-4 text-success" aria-label="up" />
                    ) : (
                      <ThumbsDownIcon className="size-4 text-destructive" aria-label="down" />
                    )}
                  </Td>
                  <Td className="max-w-md whitespace-pre-wrap">
                    {f.comment || <span className="text-muted-foreground">—</span>}
                  </Td>
                  <Td>
                    {f.agentId ? (
                      <Link href={`/agents/${f.agentId}`} className="hover:underline">
                        {agentNames.get(f.agentId) ?? shortId(f.agentId)}
                      </Link>
                    ) : (
                      "—"
                    )}
                  </Td>
                  <Td className="text-xs">
                    {f.runId ? (
                      <Link href={`/runs/${f.runId}`} className="font-mono text-primary hover:underline">
                        run {shortId(f.runId)}
                      </Link>
                    ) : null}
                    {f.messageId && (
                      <p className="font-mono text-muted-foreground">message {shortId(f.messageId)}</p>
                    )}
                  </Td>
                  <Td className="text-muted-foreground text-xs">{formatTime(f.createdAt)}</Td>
                </Tr>
              ))}
            </TBody>
          </Table>
        </div>
      )}
      {page.ok && page.value.nextCursor && (
        <Link
          className={`${buttonClass("outline", "sm")} mt-3`}
          href={`/feedback?${new URLSearchParams({ ...(rating ? { rating } : {}), ...(params.agentId ? { agentId: params.agentId } : {}), cursor: page.value.nextCursor })}`}
        >
          Older feedback
        </Link>
      )}
    </>
  );
}
