"use client";
import type { Agent } from "@agentos/core";
import { PlusIcon } from "lucide-react";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useClient } from "../../lib/browser-client";
import { useAction } from "../../lib/use-action";
import { Button } from "../ui/button";
import { Dialog } from "../ui/dialog";
import { ErrorAlert, Spinner } from "../ui/feedback";
import { Field, Input, Select } from "../ui/input";

/** Starts a conversation with a chosen agent. */
export function NewChatButton({ agents }: { agents: Agent[] }) {
  const client = useClient();
  const router = useRouter();
  const [chosenAgentId, setAgentId] = useState("");
  const agentId = agents.some((a) => a.id === chosenAgentId) ? chosenAgentId : (agents[0]?.id ?? "");
  const [title, setTitle] = useState("");
  const { busy, error, run } = useAction<"start">();
  async function start(event: React.FormEvent) {
    event.preventDefault();
    await run(
      "start",
      async () => {
        const conversation = await client.conversations.create({ agentId, title });
        router.push(`/chat/${conversation.id}`);
        router.refresh();
      },
      { keepBusy: true },
    );
  }
  return (
    <Dialog
      title="New chat"
      description={
        agents.length === 0 ? "Create an agent first: a chat is a conversation with one agent." : undefined
      }
      trigger={
        <Button size="sm">
          <PlusIcon /> New chat
        </Button>
      }
    >
      <form onSubmit={start} className="grid gap-3">
        <Field label="Agent" htmlFor="new-chat-agent">
          <Select id="new-chat-agent" value={agentId} onChange={(e) => setAgentId(e.target.value)} required>
            {agents.map((a) => (
              <option key={a.id} value={a.id}>
                {a.name}
              </option>
            ))}
          </Select>
        </Field>
        <Field label="Title" htmlFor="new-chat-title" hint="Optional">
          <Input id="new-chat-title" value={title} onChange={(e) => setTitle(e.target.value)} />
        </Field>
        <ErrorAlert error={error} />
        <Button type="submit" disabled={busy !== null || !agentId}>
          {busy && <Spinner />} Start chatting
        </Button>
      </form>
    </Dialog>
  );
}
