import type { ToolTestFailureReason, ToolTestResult } from "@agentos/core";
import { formatDuration } from "../../lib/format";
import { JsonBlock } from "../runs/json-block";
import { Badge } from "../ui/badge";

/** The reason of a failed test, in a few words a user can act on. */
export const FAILURE_LABELS: Record<ToolTestFailureReason, string> = {
  invalid_input: "Arguments do not match the input schema",
  blocked: "Blocked by the network guard (SSRF)",
  timeout: "Timed out",
  network: "Network error",
  http_status: "The server answered with an error status",
  tool_error: "The tool reported an error",
};

/** The body of an HTTP tool's answer, when the output is one. */
function bodyOf(output: ToolTestResult["output"]): { body: unknown } | null {
  if (output && typeof output === "object" && !Array.isArray(output) && "body" in output) {
    return { body: output.body };
  }
  return null;
}

/** One tool test: the live response (status, URL, body, duration) or why it failed. */
export function ToolTestResultView({ result }: { result: ToolTestResult }) {
  const http = result.request;
  const answer = http ? bodyOf(result.output) : null;
  return (
    <div className="grid gap-2 text-sm" data-testid="tool-test-result" data-ok={result.ok}>
      <div className="flex flex-wrap items-center gap-2">
        <Badge tone={result.ok ? "success" : "danger"}>{result.ok ? "ok" : "failed"}</Badge>
        {http && (
          <Badge tone={http.status < 300 ? "success" : "danger"} data-testid="tool-test-status">
            HTTP {http.status}
          </Badge>
        )}
        <span className="text-muted-foreground text-xs" data-testid="tool-test-duration">
          {formatDuration(result.durationMs)}
        </span>
      </div>
      {http && (
        <p className="break-all font-mono text-muted-foreground text-xs">
          {http.method} {http.url}
          {http.contentType && <span> · {http.contentType}</span>}
        </p>
      )}
      {result.error && (
        <div className="grid gap-1 rounded-md border border-destructive/40 bg-destructive/10 p-2">
          <p className="font-medium" data-testid="tool-test-reason">
            {FAILURE_LABELS[result.error.reason]}
          </p>
          <p className="text-muted-foreground text-xs">{result.error.message}</p>
          {result.error.fields && result.error.fields.length > 0 && (
            <ul className="list-disc pl-4 text-muted-foreground text-xs">
              {result.error.fields.map((f) => (
                <li key={`${f.path}:${f.message}`}>
                  <code className="text-foreground">{f.path}</code>: {f.message}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
      {answer ? (
        <>
          <p className="text-muted-foreground text-xs">Response body</p>
          <JsonBlock value={answer.body} />
        </>
      ) : (
        <>
          <p className="text-muted-foreground text-xs">What the model receives</p>
          <JsonBlock value={result.output} />
        </>
      )}
    </div>
  );
}
