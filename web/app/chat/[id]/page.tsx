import type { Metadata } from "next";
import Link from "next/link";
import { LazyChatPanel } from "../../../components/chat/chat-panel-lazy";
import { ErrorAlert } from "../../../components/ui/feedback";
import { attempt, serverClient } from "../../../lib/server-client";
import { ChatFrame } from "../chat-frame";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Chat" };

export default async function ConversationPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const client = await serverClient();
  const loaded = await attempt(async () => {
    const [conversation, messages] = await Promise.all([
      client.conversations.get(id),
      client.conversations.messages.list(id, { limit: 500 }),
    ]);
    const [agent, feedback] = await Promise.all([
      attempt(() => client.agents.get(conversation.agentId)),
      client.feedback.list({ agentId: conversation.agentId, limit: 200 }),
    ]);
    return {
      conversation,
      messages: messages.items,
      agent: agent.ok ? agent.value : null,
      feedback: feedback.items,
    };
  });
  return (
    <ChatFrame activeId={id}>
      {!loaded.ok ? (
        <ErrorAlert error={loaded.error} />
      ) : (
        <div className="grid gap-2">
          <div className="flex flex-wrap items-baseline justify-between gap-2">
            <h2 className="font-semibold text-lg">
              {loaded.value.conversation.title || "Untitled conversation"}
            </h2>
            {loaded.value.agent && (
              <Link
                href={`/agents/${loaded.value.agent.id}`}
                className="text-muted-foreground text-sm hover:underline"
              >
                with {loaded.value.agent.name}
              </Link>
            )}
          </div>
          <LazyChatPanel
            conversationId={id}
            agentName={loaded.value.agent?.name ?? "the agent"}
            initialMessages={loaded.value.messages}
            initialFeedback={loaded.value.feedback}
          />
        </div>
      )}
    </ChatFrame>
  );
}
