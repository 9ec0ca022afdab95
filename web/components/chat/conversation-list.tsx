import type { Agent, Conversation } from "@agentos/core";
import Link from "next/link";
import { cn } from "../../lib/cn";
import { formatTime } from "../../lib/format";

/** Conversations, newest first, each with its agent. */
export function ConversationList({
  conversations,
  agents,
  activeId,
}: {
  conversations: Conversation[];
  agents: Agent[];
  activeId?: string;
}) {
  const names = new Map(agents.map((a) => [a.id, a.name]));
  if (conversations.length === 0)
    return (
      <p className="p-3 text-muted-foreground text-sm">No conversations yet. Start one with “New chat”.</p>
    );
  return (
    <nav aria-label="Conversations">
      <ul className="grid gap-1">
        {conversations.map((c) => (
          <li key={c.id}>
            <Link
              href={`/chat/${c.id}`}
              aria-current={c.id === activeId ? "page" : undefined}
              className={cn(
                "grid rounded-md px-3 py-2 text-sm hover:bg-accent",
                c.id === activeId && "bg-accent",
              )}
            >
              <span className="truncate font-medium">{c.title || "Untitled conversation"}</span>
              <span className="truncate text-muted-foreground text-xs">
                {names.get(c.agentId) ?? "deleted agent"} · {formatTime(c.updatedAt)}
              </span>
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}
