"use client";
import { MessageSquareIcon, PlayIcon } from "lucide-react";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useClient } from "../../lib/browser-client";
import { useAction } from "../../lib/use-action";
import { Button } from "../ui/button";
import { Dialog } from "../ui/dialog";
import { ErrorAlert, Spinner } from "../ui/feedback";
import { Field, Textarea } from "../ui/input";

/** "Run" (with an input, then the live run page) and "Chat" (a new conversation) for an agent. */
export function AgentActions({ agentId, agentName }: { agentId: string; agentName: string }) {
  const client = useClient();
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [input, setInput] = useState("");
  const { busy, error, run } = useAction<"run" | "chat">();

  async function start() {
    await run(
      "run",
      async () => {
        const created = await client.agents.execute(agentId, input);
        router.push(`/runs/${created.id}`);
      },
      { keepBusy: true },
    );
  }

  async function chat() {
    await run(
      "chat",
      async () => {
        const conversation = await client.conversations.create({ agentId, title: `Chat with ${agentName}` });
        router.push(`/chat/${conversation.id}`);
      },
      { keepBusy: true },
    );
  }

  return (
    <>
      <Dialog
        open={open}
        onOpenChange={setOpen}
        title={`Run ${agentName}`}
        description="Starts a background run; you will watch it live on the run page."
        trigger={
          <Button size="sm" variant="outline">
            <PlayIcon /> Run
          </Button>
        }
      >
        <Field label="Input" htmlFor={`run-input-${agentId}`}>
          <Textarea
            id={`run-input-${agentId}`}
            value={input}
            onChange={(e) => setInput(e.target.value)}
            placeholder="What should the agent do?"
            rows={5}
          />
        </Field>
        <ErrorAlert error={error} />
        <div className="flex justify-end gap-2">
          <Button onClick={start} disabled={busy !== null}>
            {busy === "run" ? <Spinner /> : <PlayIcon />} Start run
          </Button>
        </div>
      </Dialog>
      <Button size="sm" variant="outline" onClick={chat} disabled={busy !== null}>
        {busy === "chat" ? <Spinner /> : <MessageSquareIcon />} Chat
      </Button>
      {error && !open ? <ErrorAlert error={error} className="basis-full" /> : null}
    </>
  );
}
