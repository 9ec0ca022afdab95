"use client";
import type { Feedback, Message } from "@agentos/core";
import { useChat } from "@ai-sdk/react";
import { DefaultChatTransport } from "ai";
import { ExternalLinkIcon, SendIcon, SquareIcon } from "lucide-react";
import Link from "next/link";
import { useEffect, useMemo, useRef, useState } from "react";
import { useClient } from "../../lib/browser-client";
import { ToolCallCard } from "../runs/tool-call-card";
import { Button } from "../ui/button";
import { ErrorAlert, Spinner } from "../ui/feedback";
import { Textarea } from "../ui/input";
import { Markdown } from "./markdown";
import { MessageFeedback } from "./message-feedback";
import { type ChatMessage, chatErrorOf, toolDurations, toUiMessages } from "./messages";

/**
 * A conversation with an agent: `useChat` over the contract API's chat endpoint (AI SDK UI message
 * stream). Stop aborts the stream and cancels the run; after each reply the stored messages are
 * reloaded, which gives them their ids (for feedback) and tool durations.
 */
export function ChatPanel({
  conversationId,
  agentName,
  initialMessages,
  initialFeedback,
}: {
  conversationId: string;
  agentName: string;
  initialMessages: Message[];
  initialFeedback: Feedback[];
}) {
  const client = useClient();
  const [durations, setDurations] = useState(() => toolDurations(initialMessages));
  const [input, setInput] = useState("");
  const [stopError, setStopError] = useState<unknown>(null);
  const [isStopping, setIsStopping] = useState(false);
  const bottom = useRef<HTMLDivElement>(null);
  const transport = useMemo(
    () =>
      new DefaultChatTransport<ChatMessage>({
        api: client.conversations.chatUrl(conversationId),
        headers: client.authHeaders(),
        // The server keeps the history; it needs only the new user message.
        prepareSendMessagesRequest: ({ id, messages }) => ({ body: { id, messages: messages.slice(-1) } }),
      }),
    [client, conversationId],
  );
  const { messages, sendMessage, status, stop, error, setMessages } = useChat<ChatMessage>({
    id: conversationId,
    messages: toUiMessages(initialMessages),
    transport,
    onFinish: async () => {
      const stored = await client.conversations.messages.list(conversationId, { limit: 500 });
      setMessages(toUiMessages(stored.items));
      setDurations(toolDurations(stored.items));
    },
  });
  const isBusy = status === "submitted" || status === "streaming";

  useEffect(() => {
    bottom.current?.scrollIntoView?.({ block: "end" });
  }, [messages]);

  async function send(event?: React.FormEvent) {
    event?.preventDefault();
    const text = input.trim();
    if (!text || isBusy) return;
    setInput("");
    setStopError(null);
    await sendMessage({ text });
  }

  async function stopRun() {
    const runId = messages.at(-1)?.role === "assistant" ? messages.at(-1)?.metadata?.runId : undefined;
    setIsStopping(true);
    await stop();
    try {
      if (runId) await client.runs.cancel(runId);
    } catch (e) {
      // 409: it finished meanwhile, which is what stopping wanted anyway.
      if ((e as { status?: number }).status !== 409) setStopError(e);
    } finally {
      setIsStopping(false);
    }
  }

  return (
    <div className="flex h-[calc(100vh-8.5rem)] min-h-96 flex-col rounded-lg border">
      <div className="flex-1 overflow-y-auto p-4" role="log" aria-label="Messages">
        {messages.length === 0 && (
          <p className="py-12 text-center text-muted-foreground text-sm">
            Say hello to <strong>{agentName}</strong>. Replies stream in as the agent works; tool calls show
            as cards.
          </p>
        )}
        <ol className="grid gap-4">
          {messages.map((message) => (
            <li
              key={message.id}
              data-role={message.role}
              className={message.role === "user" ? "ml-auto max-w-[80%]" : "mr-auto w-full max-w-[90%]"}
            >
              <div
                className={
                  message.role === "user"
                    ? "rounded-lg bg-primary px-3 py-2 text-primary-foreground text-sm"
                    : "grid grid-cols-1 gap-2 text-sm"
                }
              >
                {message.parts.map((part, i) => {
                  const key = `${message.id}-${i}`;
                  if (part.type === "text")
                    return message.role === "assistant" ? (
                      <Markdown key={key} text={part.text} data-testid="assistant-text" />
                    ) : (
                      <p key={key} className="whitespace-pre-wrap break-words">
                        {part.text}
                      </p>
                    );
                  if (part.type === "reasoning")
                    return (
                      <p key={key} className="whitespace-pre-wrap text-muted-foreground italic">
                        {part.text}
                      </p>
                    );
                  if (part.type === "dynamic-tool")
                    return (
                      <ToolCallCard
                        key={key}
                        toolName={part.toolName}
                        input={part.input}
                        output={
                          part.state === "output-error"
                            ? part.errorText
                            : part.state === "output-available"
                              ? part.output
                              : undefined
                        }
                        state={
                          part.state === "output-error"
                            ? "error"
                            : part.state === "output-available"
                              ? "done"
                              : "running"
                        }
                        durationMs={durations[part.toolCallId]}
                      />
                    );
                  return null;
                })}
              </div>
              {message.role === "assistant" && (
                <div className="mt-1 flex items-start gap-3 text-muted-foreground text-xs">
                  {message.metadata?.runId && (
                    <Link
                      href={`/runs/${message.metadata.runId}`}
                      className="inline-flex items-center gap-1 py-1 hover:underline"
                    >
                      <ExternalLinkIcon className="size-3" aria-hidden /> run
                    </Link>
                  )}
                  {message.id.startsWith("msg_") && (
                    <MessageFeedback
                      messageId={message.id}
                      existing={initialFeedback.find((f) => f.messageId === message.id) ?? null}
                    />
                  )}
                </div>
              )}
            </li>
          ))}
        </ol>
        {status === "submitted" && (
          <p className="mt-3 flex items-center gap-2 text-muted-foreground text-sm">
            <Spinner /> Waiting for the agent…
          </p>
        )}
        <div ref={bottom} />
      </div>
      {error || stopError ? (
        <div className="px-4 pb-2">
          {error && <ErrorAlert error={chatErrorOf(error)} />}
          {stopError ? <ErrorAlert error={stopError} /> : null}
        </div>
      ) : null}
      <form onSubmit={send} className="flex items-end gap-2 border-t p-3">
        <Textarea
          aria-label="Message"
          placeholder={`Message ${agentName}… (Enter sends, Shift+Enter for a new line)`}
          value={input}
          rows={2}
          className="min-h-12 resize-none"
          onChange={(e) => setInput(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === "Enter" && !e.shiftKey) {
              e.preventDefault();
              void send();
            }
          }}
        />
        {isBusy ? (
          <Button variant="outline" onClick={stopRun} disabled={isStopping} aria-label="Stop">
            {isStopping ? <Spinner /> : <SquareIcon />} Stop
          </Button>
        ) : (
          <Button type="submit" disabled={!input.trim()} aria-label="Send">
            <SendIcon /> Send
          </Button>
        )}
      </form>
    </div>
  );
}
