"use client";
import { PlayIcon, SquareIcon } from "lucide-react";
import { useRef, useState } from "react";
import { useClient } from "../../lib/browser-client";
import { formatDuration } from "../../lib/format";
import { Button } from "../ui/button";
import { ErrorAlert, Spinner } from "../ui/feedback";
import { Input } from "../ui/input";

type Line = { stream: "stdout" | "stderr" | "info"; text: string };

/** Runs a command in the sandbox and shows its output as it streams (NDJSON). */
export function ExecConsole({ sandboxId }: { sandboxId: string }) {
  const client = useClient();
  const [command, setCommand] = useState("");
  const [lines, setLines] = useState<Line[]>([]);
  const [error, setError] = useState<unknown>(null);
  const controller = useRef<AbortController | null>(null);
  const [isRunning, setIsRunning] = useState(false);

  async function run(event: React.FormEvent) {
    event.preventDefault();
    if (!command.trim()) return;
    const abort = new AbortController();
    controller.current = abort;
    setIsRunning(true);
    setError(null);
    setLines((l) => [...l, { stream: "info", text: `$ ${command}\n` }]);
    try {
      for await (const event of client.sandboxes.exec(sandboxId, { command }, abort.signal)) {
        if (event.type === "chunk") setLines((l) => [...l, { stream: event.stream, text: event.text }]);
        else if (event.type === "result")
          setLines((l) => [
            ...l,
            {
              stream: "info",
              text: `[exit ${event.exitCode ?? "?"}${event.timedOut ? ", timed out" : ""}${event.truncated ? ", output truncated" : ""} · ${formatDuration(event.durationMs)}]\n`,
            },
          ]);
        else setError({ status: event.status, problem: event });
      }
    } catch (e) {
      if (!abort.signal.aborted) setError(e);
      else setLines((l) => [...l, { stream: "info", text: "[stopped]\n" }]);
    } finally {
      setIsRunning(false);
    }
  }

  return (
    <div className="grid gap-2">
      <pre
        className="h-64 overflow-auto rounded-md bg-zinc-950 p-3 font-mono text-xs text-zinc-100"
        role="log"
        aria-label="Command output"
      >
        {lines.length === 0 && (
          <span className="text-zinc-400">Output appears here as the command runs.</span>
        )}
        {lines.map((line, i) => (
          <span
            key={i}
            className={
              line.stream === "stderr" ? "text-red-300" : line.stream === "info" ? "text-zinc-400" : undefined
            }
          >
            {line.text}
          </span>
        ))}
      </pre>
      <form onSubmit={run} className="flex gap-2">
        <Input
          aria-label="Command"
          className="font-mono text-xs"
          placeholder="ls -la /workspace"
          value={command}
          onChange={(e) => setCommand(e.target.value)}
        />
        {isRunning ? (
          <Button variant="outline" onClick={() => controller.current?.abort()} aria-label="Stop the command">
            <Spinner /> <SquareIcon /> Stop
          </Button>
        ) : (
          <Button type="submit" disabled={!command.trim()}>
            <PlayIcon /> Run
          </Button>
        )}
      </form>
      <ErrorAlert error={error} />
    </div>
  );
}
