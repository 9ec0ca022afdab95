import { MessageSquareIcon } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { EmptyState } from "../../components/ui/feedback";
import { ChatFrame } from "./chat-frame";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Chat" };

export default function ChatIndexPage() {
  return (
    <ChatFrame>
      <EmptyState icon={<MessageSquareIcon />} title="Pick a conversation or start a new one">
        Each conversation is with one agent. Use <strong>New chat</strong>, or the <strong>Chat</strong>{" "}
        button of an agent on the{" "}
        <Link href="/agents" className="text-primary underline">
          Agents
        </Link>{" "}
        page.
      </EmptyState>
    </ChatFrame>
  );
}
