"use client";
import type { Feedback } from "@agentos/core";

type FeedbackRating = Feedback["rating"];

import { ThumbsDownIcon, ThumbsUpIcon } from "lucide-react";
import { useState } from "react";
import { useClient } from "../../lib/browser-client";
import { cn } from "../../lib/cn";
import { useAction } from "../../lib/use-action";
import { Button } from "../ui/button";
import { ErrorAlert, Spinner } from "../ui/feedback";
import { Textarea } from "../ui/input";

/** Thumbs up/down and an optional comment on one message (POST /api/feedback with its id). */
export function MessageFeedback({ messageId, existing }: { messageId: string; existing: Feedback | null }) {
  const client = useClient();
  const [saved, setSaved] = useState<Feedback | null>(existing);
  const [rating, setRating] = useState<FeedbackRating | null>(null);
  const [comment, setComment] = useState("");
  const { busy, error, run } = useAction<"send">();

  async function submit() {
    if (!rating) return;
    const body = { rating, comment };
    await run("send", async () => {
      setSaved(
        saved
          ? await client.feedback.update(saved.id, body)
          : // The API takes one subject: the message (its agent is derived from it).
            await client.feedback.create({ ...body, messageId }),
      );
      setRating(null);
    });
  }

  const current = rating ?? saved?.rating ?? null;
  return (
    <div className="grid gap-1">
      <fieldset className="flex items-center gap-1">
        <legend className="sr-only">Rate this reply</legend>
        {(["up", "down"] as const).map((r) => {
          const Icon = r === "up" ? ThumbsUpIcon : ThumbsDownIcon;
          return (
            <button
              key={r}
              type="button"
              aria-label={r === "up" ? "Good reply" : "Bad reply"}
              aria-pressed={current === r}
              onClick={() => {
                setRating(r);
                setComment(saved?.comment ?? "");
              }}
              className={cn(
                "cursor-pointer rounded p-1 hover:bg-accent",
                current === r && (r === "up" ? "text-success" : "text-destructive"),
              )}
            >
              <Icon className="size-3.5" />
            </button>
          );
        })}
        {saved && !rating && (
          <span data-testid="feedback-saved">
            Thanks for the feedback{saved.comment ? `: “${saved.comment}”` : "."}
          </span>
        )}
      </fieldset>
      {rating && (
        <div className="grid w-80 gap-2 rounded-md border bg-card p-2">
          <Textarea
            aria-label="Feedback comment"
            placeholder="What was good or bad? (optional)"
            rows={2}
            value={comment}
            onChange={(e) => setComment(e.target.value)}
          />
          <div className="flex gap-2">
            <Button size="sm" onClick={submit} disabled={busy !== null}>
              {busy && <Spinner />} Send feedback
            </Button>
            <Button size="sm" variant="ghost" onClick={() => setRating(null)}>
              Cancel
            </Button>
          </div>
          <ErrorAlert error={error} />
        </div>
      )}
    </div>
  );
}
