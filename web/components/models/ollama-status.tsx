"use client";
import { HardDriveDownloadIcon } from "lucide-react";
import { useEffect, useState } from "react";
import { useClient } from "../../lib/browser-client";
import { problemOf } from "../../lib/problem";
import { JsonBlock } from "../runs/json-block";
import { EmptyState, ErrorAlert, Spinner } from "../ui/feedback";

/** Local models via Ollama, behind GET /api/ollama/status: a 404 means the server has no support yet. */
export function OllamaStatus() {
  const client = useClient();
  const [state, setState] = useState<
    | { kind: "loading" }
    | { kind: "absent" }
    | { kind: "ok"; status: unknown }
    | { kind: "error"; error: unknown }
  >({
    kind: "loading",
  });
  useEffect(() => {
    let isCurrent = true;
    client
      .send("GET", "/api/ollama/status")
      .then((r) => r.json())
      .then((status) => isCurrent && setState({ kind: "ok", status }))
      .catch(
        (error) =>
          isCurrent &&
          setState(problemOf(error).status === 404 ? { kind: "absent" } : { kind: "error", error }),
      );
    return () => {
      isCurrent = false;
    };
  }, [client]);
  if (state.kind === "loading")
    return (
      <p className="flex items-center gap-2 text-muted-foreground text-sm">
        <Spinner /> Checking for Ollama…
      </p>
    );
  if (state.kind === "absent")
    return (
      <EmptyState
        icon={<HardDriveDownloadIcon />}
        title="Ollama support arrives with the local models feature"
      >
        This server has no Ollama endpoints yet. Meanwhile, a local model server that speaks the OpenAI API
        (Ollama's own <code>/v1</code>, LM Studio, vLLM) works as an <strong>openai-compatible</strong>{" "}
        provider with its base URL.
      </EmptyState>
    );
  if (state.kind === "error") return <ErrorAlert error={state.error} />;
  return <JsonBlock value={state.status} />;
}
