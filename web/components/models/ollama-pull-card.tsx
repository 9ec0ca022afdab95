"use client";
import type { OllamaPull } from "@agentos/client";
import { CheckCircle2Icon, RotateCwIcon, SquareIcon, XIcon } from "lucide-react";
import { describePull, isPullActive } from "../../lib/ollama-pulls";
import { useAction } from "../../lib/use-action";
import { Button } from "../ui/button";
import { ErrorAlert, Spinner } from "../ui/feedback";
import { Progress } from "../ui/progress";

/** One pull: a progress bar with percent, bytes, speed and time left; cancel, retry, dismiss. */
export function OllamaPullCard({
  pull,
  onCancel,
  onRetry,
  onDismiss,
}: {
  pull: OllamaPull;
  onCancel: () => Promise<void>;
  onRetry: () => Promise<unknown>;
  onDismiss: () => void;
}) {
  const { busy, error, run } = useAction<"cancel" | "retry">();
  const progress = describePull(pull);
  const active = isPullActive(pull);

  return (
    <li
      className="grid gap-2 rounded-md border p-3"
      data-testid={`ollama-pull-${pull.model}`}
      data-status={pull.status}
      aria-label={`Pull of ${pull.model}`}
    >
      <div className="flex flex-wrap items-center gap-2">
        {pull.status === "succeeded" && <CheckCircle2Icon className="size-4 text-success" />}
        <code className="font-medium">{pull.model}</code>
        <span className="font-medium tabular-nums" data-testid="pull-headline">
          {progress.headline}
        </span>
        {active && <span className="text-muted-foreground text-xs">{pull.message}</span>}
        <span className="ml-auto flex gap-1">
          {active && (
            <Button
              size="sm"
              variant="ghost"
              onClick={() => run("cancel", onCancel)}
              disabled={busy !== null}
              aria-label={`Cancel the pull of ${pull.model}`}
            >
              {busy === "cancel" ? <Spinner /> : <SquareIcon />} Cancel
            </Button>
          )}
          {(pull.status === "cancelled" || (pull.status === "failed" && pull.error?.resumable !== false)) && (
            <Button
              size="sm"
              variant="outline"
              onClick={() => run("retry", onRetry)}
              disabled={busy !== null}
              aria-label={`Retry the pull of ${pull.model}`}
            >
              {busy === "retry" ? <Spinner /> : <RotateCwIcon />}{" "}
              {pull.completedBytes > 0 ? "Resume" : "Retry"}
            </Button>
          )}
          {!active && (
            <Button
              size="sm"
              variant="ghost"
              onClick={onDismiss}
              aria-label={`Dismiss the pull of ${pull.model}`}
            >
              <XIcon />
            </Button>
          )}
        </span>
      </div>
      <Progress
        value={progress.percent}
        tone={pull.status === "failed" ? "danger" : pull.status === "cancelled" ? "muted" : "primary"}
        aria-label={`${pull.model} download progress`}
      />
      {progress.detail && (
        <p className="text-muted-foreground text-xs tabular-nums" data-testid="pull-detail">
          {progress.detail}
        </p>
      )}
      {pull.error && (
        <p role="alert" className="text-destructive text-sm">
          {pull.error.message}
        </p>
      )}
      <ErrorAlert error={error} />
    </li>
  );
}
