"use client";
import dynamic from "next/dynamic";
import { Spinner } from "../ui/feedback";

/** The AI SDK chat client loads after the page shell, keeping it out of the first load. */
export const LazyChatPanel = dynamic(() => import("./chat-panel").then((m) => m.ChatPanel), {
  ssr: false,
  loading: () => (
    <div className="flex h-96 items-center justify-center gap-2 rounded-lg border text-muted-foreground text-sm">
      <Spinner /> Loading the conversation…
    </div>
  ),
});
