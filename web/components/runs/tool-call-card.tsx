import { CheckCircle2Icon, Loader2Icon, WrenchIcon, XCircleIcon } from "lucide-react";
import { formatDuration } from "../../lib/format";
import { JsonBlock } from "./json-block";

/** A tool call: its arguments, then its result (or error) and how long it took. */
export function ToolCallCard({
  toolName,
  input,
  output,
  state,
  durationMs,
}: {
  toolName: string;
  input: unknown;
  output?: unknown;
  state: "running" | "done" | "error";
  durationMs?: number | null | undefined;
}) {
  return (
    <details
      className="group rounded-md border bg-card text-sm"
      data-testid="tool-call-card"
      open={state !== "done"}
    >
      <summary className="flex cursor-pointer list-none items-center gap-2 px-3 py-2">
        <WrenchIcon className="size-3.5 text-muted-foreground" aria-hidden />
        <span className="font-medium font-mono text-xs">{toolName}</span>
        <span className="ml-auto flex items-center gap-1 text-muted-foreground text-xs">
          {state === "running" && (
            <>
              <Loader2Icon className="size-3.5 animate-spin" aria-hidden /> running
            </>
          )}
          {state === "done" && (
            <>
              <CheckCircle2Icon className="size-3.5 text-success" aria-hidden /> {formatDuration(durationMs)}
            </>
          )}
          {state === "error" && (
            <>
              <XCircleIcon className="size-3.5 text-destructive" aria-hidden /> failed{" "}
              {durationMs ? `· ${formatDuration(durationMs)}` : ""}
            </>
          )}
        </span>
      </summary>
      <div className="grid gap-2 border-t px-3 py-2">
        <div>
          <p className="mb-1 text-muted-foreground text-xs">Arguments</p>
          <JsonBlock value={input} />
        </div>
        {state !== "running" && (
          <div>
            <p className="mb-1 text-muted-foreground text-xs">{state === "error" ? "Error" : "Result"}</p>
            <JsonBlock value={output} className={state === "error" ? "text-destructive" : undefined} />
          </div>
        )}
      </div>
    </details>
  );
}
