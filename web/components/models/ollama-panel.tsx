"use client";
import type { OllamaModelList, OllamaPull, OllamaStatus } from "@agentos/client";
import { DownloadIcon, HardDriveDownloadIcon } from "lucide-react";
import { type FormEvent, useCallback, useEffect, useState } from "react";
import { useClient } from "../../lib/browser-client";
import { formatBytes } from "../../lib/format";
import { isPullActive } from "../../lib/ollama-pulls";
import { problemOf } from "../../lib/problem";
import { useAction } from "../../lib/use-action";
import { Badge, type Tone } from "../ui/badge";
import { Button } from "../ui/button";
import { EmptyState, ErrorAlert, Spinner } from "../ui/feedback";
import { Input, Label } from "../ui/input";
import { Progress } from "../ui/progress";
import { OllamaCatalogue } from "./ollama-catalogue";
import { OllamaInstalled } from "./ollama-installed";
import { OllamaPullCard } from "./ollama-pull-card";
import { useOllamaPulls } from "./use-ollama-pulls";

const TONE: Record<OllamaStatus["state"], Tone> = {
  not_installed: "neutral",
  installing: "info",
  starting: "info",
  ready: "success",
  error: "danger",
};

const INSTALL_PHASE = {
  pulling_image: "Pulling the Ollama image",
  creating: "Creating the container",
  starting: "Starting Ollama",
} as const;

type View =
  | { kind: "loading" }
  | { kind: "absent" }
  | { kind: "ok"; status: OllamaStatus; models: OllamaModelList | null; modelsError: unknown }
  | { kind: "error"; error: unknown };

/**
 * Local models via the worker's Ollama: its state (and installing it), pulls with live progress
 * that survive a reload, the installed models with delete, and a recommended catalogue. A 404 from
 * GET /api/ollama/status means this server has no Ollama support, which the page says plainly.
 */
export function OllamaPanel() {
  const client = useClient();
  const [view, setView] = useState<View>({ kind: "loading" });
  const installing = useAction<"install">();
  const [name, setName] = useState("");
  const [pullError, setPullError] = useState<unknown>(null);
  const [starting, setStarting] = useState<ReadonlySet<string>>(new Set());

  const load = useCallback(async () => {
    try {
      const status = await client.ollama.status();
      let models: OllamaModelList | null = null;
      let modelsError: unknown = null;
      if (status.state === "ready") {
        try {
          models = await client.ollama.models();
        } catch (error) {
          modelsError = error;
        }
      }
      setView({ kind: "ok", status, models, modelsError });
      return status;
    } catch (error) {
      setView(problemOf(error).status === 404 ? { kind: "absent" } : { kind: "error", error });
      return null;
    }
  }, [client]);

  useEffect(() => {
    void load();
  }, [load]);

  const state = view.kind === "ok" ? view.status.state : null;
  const pulls = useOllamaPulls(
    client,
    state === "ready",
    useCallback(
      (pull: OllamaPull) => {
        if (pull.status === "succeeded") void load();
      },
      [load],
    ),
  );

  // While Ollama installs or starts, follow its progress.
  useEffect(() => {
    if (state !== "installing" && state !== "starting") return;
    const timer = setInterval(() => void load(), 1000);
    return () => clearInterval(timer);
  }, [state, load]);

  async function install() {
    await installing.run("install", async () => {
      await client.ollama.install();
      await load();
    });
  }

  async function pull(model: string) {
    setPullError(null);
    setStarting((s) => new Set([...s, model]));
    try {
      await pulls.start(model);
      return true;
    } catch (error) {
      setPullError(error);
      return false;
    } finally {
      setStarting((s) => new Set([...s].filter((m) => m !== model)));
    }
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    const model = name.trim();
    if (model && (await pull(model))) setName("");
  }

  if (view.kind === "loading") {
    return (
      <p className="flex items-center gap-2 text-muted-foreground text-sm" data-testid="ollama-status">
        <Spinner /> Checking for Ollama…
      </p>
    );
  }
  if (view.kind === "absent") {
    return (
      <div data-testid="ollama-status">
        <EmptyState icon={<HardDriveDownloadIcon />} title="This server has no Ollama endpoints">
          It runs without a worker host. A local model server that speaks the OpenAI API (Ollama's own{" "}
          <code>/v1</code>, LM Studio, vLLM) still works as an <strong>openai-compatible</strong> provider
          with its base URL.
        </EmptyState>
      </div>
    );
  }
  if (view.kind === "error") {
    return (
      <div data-testid="ollama-status">
        <ErrorAlert error={view.error} />
      </div>
    );
  }

  const { status, models } = view;
  const image = status.install?.image ?? null;
  const busy = new Set([...starting, ...pulls.pulls.filter(isPullActive).map((p) => p.model)]);
  return (
    <div className="grid gap-6">
      <div className="grid gap-3 rounded-lg border p-4 text-sm" data-testid="ollama-status">
        <div className="flex flex-wrap items-center gap-2">
          <Badge tone={TONE[status.state]}>{status.state.replace("_", " ")}</Badge>
          {status.version && <span>Ollama {status.version}</span>}
          {status.baseUrl && <code className="text-muted-foreground text-xs">{status.baseUrl}</code>}
          {status.source && <span className="text-muted-foreground text-xs">({status.source})</span>}
          {status.gpu !== null && (
            <span className="text-muted-foreground text-xs">{status.gpu ? "GPU" : "CPU only"}</span>
          )}
        </div>
        {status.reason && <p className="text-muted-foreground">{status.reason}</p>}
        {status.install && (
          <div className="grid gap-1" data-testid="ollama-install-progress">
            <p>
              {INSTALL_PHASE[status.install.phase]}
              {image && image.totalBytes > 0 && (
                <span className="text-muted-foreground tabular-nums">
                  {" "}
                  · {Math.floor(image.percent)}% of {formatBytes(image.totalBytes)}
                </span>
              )}
            </p>
            <Progress
              value={status.install.phase === "pulling_image" && image ? image.percent : null}
              aria-label="Ollama install progress"
            />
          </div>
        )}
        {status.state === "not_installed" && status.installable && (
          <Button className="w-fit" onClick={install} disabled={installing.busy !== null}>
            {installing.busy ? <Spinner /> : <DownloadIcon />} Install Ollama on the worker
          </Button>
        )}
        {status.state === "ready" && status.providerId && (
          <p className="text-muted-foreground text-xs">
            Agents use these models through the provider “Ollama (local)”: pick it in the agent editor and
            name a model below.
          </p>
        )}
        <ErrorAlert error={installing.error} />
      </div>

      {status.state === "ready" && (
        <>
          <section className="grid gap-3" aria-labelledby="ollama-pull-heading">
            <h3 id="ollama-pull-heading" className="font-medium">
              Pull a model
            </h3>
            <form onSubmit={submit} className="flex flex-wrap items-end gap-2">
              <div className="grid gap-1.5">
                <Label htmlFor="ollama-model-name">Model name</Label>
                <Input
                  id="ollama-model-name"
                  className="w-72"
                  placeholder="llama3.2:3b"
                  value={name}
                  onChange={(e) => setName(e.target.value)}
                  autoComplete="off"
                  spellCheck={false}
                />
              </div>
              <Button type="submit" disabled={!name.trim() || starting.has(name.trim())}>
                {starting.has(name.trim()) ? <Spinner /> : <DownloadIcon />} Pull
              </Button>
            </form>
            <ErrorAlert error={pullError} />
            <ErrorAlert error={pulls.loadError} />
            {pulls.pulls.length > 0 && (
              <ul className="grid gap-2" aria-label="Pulls">
                {pulls.pulls.map((p) => (
                  <OllamaPullCard
                    key={p.id}
                    pull={p}
                    onCancel={() => pulls.cancel(p.id)}
                    onRetry={() => pulls.start(p.model)}
                    onDismiss={() => pulls.dismiss(p.id)}
                  />
                ))}
              </ul>
            )}
          </section>

          <section className="grid gap-3" aria-labelledby="ollama-installed-heading">
            <h3 id="ollama-installed-heading" className="font-medium">
              Installed
            </h3>
            <ErrorAlert error={view.modelsError} />
            {models && <OllamaInstalled list={models} onChanged={load} />}
          </section>

          {models && models.recommended.length > 0 && (
            <section className="grid gap-3" aria-labelledby="ollama-recommended-heading">
              <h3 id="ollama-recommended-heading" className="font-medium">
                Recommended
              </h3>
              <OllamaCatalogue models={models.recommended} pulling={busy} onInstall={(m) => void pull(m)} />
            </section>
          )}
        </>
      )}
    </div>
  );
}
