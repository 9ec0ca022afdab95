import type { ReactNode } from "react";
import { ConversationList } from "../../components/chat/conversation-list";
import { NewChatButton } from "../../components/chat/new-chat";
import { ErrorAlert } from "../../components/ui/feedback";
import { attempt, serverClient } from "../../lib/server-client";

/** The chat pages' frame: conversations on the left, the chosen one on the right. */
export async function ChatFrame({ activeId, children }: { activeId?: string; children: ReactNode }) {
  const client = await serverClient();
  const loaded = await attempt(() =>
    Promise.all([
      client.conversations.list({ limit: 100, sort: "-updatedAt" }),
      client.agents.list({ limit: 200, sort: "name" }),
    ]),
  );
  return (
    <div className="grid gap-4 lg:grid-cols-[16rem_minmax(0,1fr)]">
      <aside className="grid content-start gap-2">
        <div className="flex items-center justify-between">
          <h1 className="font-semibold text-xl">Chat</h1>
          {loaded.ok && <NewChatButton agents={loaded.value[1].items} />}
        </div>
        {loaded.ok ? (
          <div className="max-h-[calc(100vh-8rem)] overflow-y-auto">
            <ConversationList
              conversations={loaded.value[0].items}
              agents={loaded.value[1].items}
              {...(activeId ? { activeId } : {})}
            />
          </div>
        ) : (
          <ErrorAlert error={loaded.error} />
        )}
      </aside>
      <section className="min-w-0">{children}</section>
    </div>
  );
}
