"use client";
import { DownloadIcon, HardDriveDownloadIcon } from "lucide-react";
import { useCallback, useEffect, useState } from "react";
import { useClient } from "../../lib/browser-client";
import { formatBytes } from "../../lib/format";
import { problemOf } from "../../lib/problem";
import { Badge, type Tone } from "../ui/badge";
import { Button } from "../ui/button";
import { EmptyState, ErrorAlert, Spinner } from "../ui/feedback";

/** The fields of GET /api/ollama/status this page shows (the endpoint may answer more). */
interface OllamaState {
  state: "not_installed" | "installing" | "starting" | "ready" | "error";
  source: "env" | "detected" | "managed" | null;
  baseUrl: string | null;
  version: string | null;
  reason: string | null;
  installable: boolean;
}
interface OllamaModels {
  items: Array<{
    name: string;
    sizeBytes: number;
    parameterSize: string | null;
    quantization: string | null;
  }>;
}

const TONE: Record<OllamaState["state"], Tone> = {
  not_installed: "neutral",
  installing: "info",
  starting: "info",
  ready: "success",
  error: "danger",
};

type View =
  | { kind: "loading" }
  | { kind: "absent" }
  | { kind: "ok"; status: OllamaState; models: OllamaModels | null }
  | { kind: "error"; error: unknown };

/**
 * Local models via Ollama, behind GET /api/ollama/status: a 404 means this server has no Ollama
 * support, which the page says plainly instead of failing.
 */
export function OllamaStatus() {
  const client = useClient();
  const [view, setView] = useState<View>({ kind: "loading" });
  const [installError, setInstallError] = useState<unknown>(null);
  const [isInstalling, setIsInstalling] = useState(false);

  const load = useCallback(async () => {
    try {
      const status = (await (await client.send("GET", "/api/ollama/status")).json()) as OllamaState;
      const models =
        status.state === "ready"
          ? ((await (await client.send("GET", "/api/ollama/models")).json()) as OllamaModels)
          : null;
      setView({ kind: "ok", status, models });
      return status;
    } catch (error) {
      setView(problemOf(error).status === 404 ? { kind: "absent" } : { kind: "error", error });
      return null;
    }
  }, [client]);

  useEffect(() => {
    void load();
  }, [load]);

  // While Ollama installs or starts, follow its progress.
  const state = view.kind === "ok" ? view.status.state : null;
  useEffect(() => {
    if (state !== "installing" && state !== "starting") return;
    const timer = setInterval(() => void load(), 2000);
    return () => clearInterval(timer);
  }, [state, load]);

  async function install() {
    setIsInstalling(true);
    setInstallError(null);
    try {
      await client.send("POST", "/api/ollama/install", { body: {} });
      await load();
    } catch (error) {
      setInstallError(error);
    } finally {
      setIsInstalling(false);
    }
  }

  return (
    <div data-testid="ollama-status">
      {view.kind === "loading" && (
        <p className="flex items-center gap-2 text-muted-foreground text-sm">
          <Spinner /> Checking for Ollama…
        </p>
      )}
      {view.kind === "absent" && (
        <EmptyState
          icon={<HardDriveDownloadIcon />}
          title="Ollama support arrives with the local models feature"
        >
          This server has no Ollama endpoints yet. Meanwhile, a local model server that speaks the OpenAI API
          (Ollama's own <code>/v1</code>, LM Studio, vLLM) works as an <strong>openai-compatible</strong>{" "}
          provider with its base URL.
        </EmptyState>
      )}
      {view.kind === "error" && <ErrorAlert error={view.error} />}
      {view.kind === "ok" && (
        <div className="grid gap-3 rounded-lg border p-4 text-sm">
          <div className="flex flex-wrap items-center gap-2">
            <Badge tone={TONE[view.status.state]}>{view.status.state.replace("_", " ")}</Badge>
            {view.status.version && <span>Ollama {view.status.version}</span>}
            {view.status.baseUrl && (
              <code className="text-muted-foreground text-xs">{view.status.baseUrl}</code>
            )}
            {view.status.source && (
              <span className="text-muted-foreground text-xs">({view.status.source})</span>
            )}
          </div>
          {view.status.reason && <p className="text-muted-foreground">{view.status.reason}</p>}
          {view.status.state === "not_installed" && view.status.installable && (
            <Button className="w-fit" onClick={install} disabled={isInstalling}>
              {isInstalling ? <Spinner /> : <DownloadIcon />} Install Ollama on the worker
            </Button>
          )}
          <ErrorAlert error={installError} />
          {view.models && (
            <ul className="grid gap-1">
              {view.models.items.length === 0 && (
                <li className="text-muted-foreground">No models pulled yet.</li>
              )}
              {view.models.items.map((m) => (
                <li key={m.name} className="flex gap-2">
                  <code>{m.name}</code>
                  <span className="text-muted-foreground text-xs">
                    {[m.parameterSize, m.quantization, formatBytes(m.sizeBytes)].filter(Boolean).join(" · ")}
                  </span>
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </div>
  );
}
