"use client";
import type { Agent, AgentCreate, LlmProvider, McpServer, Model, Tool } from "@agentos/core";
import { SaveIcon, Trash2Icon } from "lucide-react";
import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";
import { useClient } from "../../lib/browser-client";
import { fieldErrors } from "../../lib/problem";
import { useAction } from "../../lib/use-action";
import { Button } from "../ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "../ui/card";
import { ErrorAlert, Spinner } from "../ui/feedback";
import { Field, Input, Label, Select, Textarea } from "../ui/input";
import { Checkbox, SwitchField } from "../ui/switch";

const DEFAULT_SANDBOX = {
  enabled: false,
  image: "agentos/sandbox-base",
  network: false,
  memoryMb: 512,
  cpus: 1,
  pidsLimit: 256,
  readOnlyRootfs: false,
  execTimeoutMs: 60000,
};
const DEFAULT_LIMITS = { maxSteps: 10, stepTimeoutMs: 120000, maxOutputTokens: null, temperature: null };

type Draft = {
  name: string;
  description: string;
  instructions: string;
  providerId: string;
  model: string;
  toolIds: string[];
  mcpServerIds: string[];
  sandbox: typeof DEFAULT_SANDBOX;
  limits: {
    maxSteps: number;
    stepTimeoutMs: number;
    maxOutputTokens: number | null;
    temperature: number | null;
  };
  outputSchema: string;
  learnFromFeedback: boolean;
};

function draftOf(
  agent: Agent | null,
  providers: LlmProvider[],
  models: Model[],
  defaultModelId: string | null,
): Draft {
  const preferred = models.find((m) => m.id === defaultModelId) ?? models[0];
  return {
    name: agent?.name ?? "",
    description: agent?.description ?? "",
    instructions: agent?.instructions ?? "",
    providerId: agent?.model.providerId ?? preferred?.providerId ?? providers[0]?.id ?? "",
    model: agent?.model.model ?? preferred?.name ?? "",
    toolIds: agent?.toolIds ?? [],
    mcpServerIds: agent?.mcpServerIds ?? [],
    sandbox: { ...DEFAULT_SANDBOX, ...agent?.sandbox },
    limits: { ...DEFAULT_LIMITS, ...agent?.limits },
    outputSchema: agent?.outputSchema ? JSON.stringify(agent.outputSchema, null, 2) : "",
    learnFromFeedback: agent?.learnFromFeedback ?? false,
  };
}

const numberOrNull = (value: string) => (value.trim() === "" ? null : Number(value));

/** Create or edit an agent: every field of AgentCreate, with the API's field errors beside each. */
export function AgentForm({
  agent,
  providers,
  models,
  tools,
  mcpServers,
  defaultModelId,
}: {
  agent: Agent | null;
  providers: LlmProvider[];
  models: Model[];
  tools: Tool[];
  mcpServers: McpServer[];
  defaultModelId: string | null;
}) {
  const client = useClient();
  const router = useRouter();
  const [draft, setDraft] = useState(() => draftOf(agent, providers, models, defaultModelId));
  const { busy, error, setError, run } = useAction<"save" | "delete">();
  const [saved, setSaved] = useState(false);
  const errors = { ...fieldErrors(error) };
  const set = <K extends keyof Draft>(key: K, value: Draft[K]) => {
    setSaved(false);
    setDraft((d) => ({ ...d, [key]: value }));
  };
  const providerModels = models.filter((m) => m.providerId === draft.providerId);
  const localModels = useOllamaModelNames(providers.find((p) => p.id === draft.providerId));
  const registered = new Set(providerModels.map((m) => m.name));

  async function save(event: React.FormEvent) {
    event.preventDefault();
    setError(null);
    let outputSchema: Record<string, unknown> | null = null;
    if (draft.outputSchema.trim()) {
      try {
        outputSchema = JSON.parse(draft.outputSchema) as Record<string, unknown>;
      } catch (e) {
        setError(new Error(`The output schema is not valid JSON: ${(e as Error).message}`));
        return;
      }
    }
    const body: AgentCreate = {
      name: draft.name,
      description: draft.description,
      instructions: draft.instructions,
      model: { providerId: draft.providerId, model: draft.model },
      toolIds: draft.toolIds,
      mcpServerIds: draft.mcpServerIds,
      sandbox: draft.sandbox,
      limits: draft.limits,
      outputSchema,
      learnFromFeedback: draft.learnFromFeedback,
    };
    await run("save", async () => {
      if (agent) {
        await client.agents.update(agent.id, body);
        setSaved(true);
        router.refresh();
      } else {
        const created = await client.agents.create(body);
        router.push(`/agents/${created.id}`);
      }
    });
  }

  async function remove() {
    if (!agent || !confirm(`Delete the agent “${agent.name}”? Its runs stay.`)) return;
    await run(
      "delete",
      async () => {
        await client.agents.delete(agent.id);
        router.push("/agents");
        router.refresh();
      },
      { keepBusy: true },
    );
  }

  const toggle = (list: string[], id: string, on: boolean) =>
    on ? [...list, id] : list.filter((x) => x !== id);

  return (
    <form onSubmit={save} className="grid gap-4 xl:grid-cols-[minmax(0,1fr)_22rem]" aria-label="Agent">
      <div className="grid content-start gap-4">
        <Card>
          <CardHeader>
            <CardTitle>Basics</CardTitle>
          </CardHeader>
          <CardContent className="grid gap-4">
            <Field label="Name" htmlFor="agent-name" error={errors.name}>
              <Input
                id="agent-name"
                value={draft.name}
                onChange={(e) => set("name", e.target.value)}
                required
              />
            </Field>
            <Field label="Description" htmlFor="agent-description" error={errors.description}>
              <Input
                id="agent-description"
                value={draft.description}
                onChange={(e) => set("description", e.target.value)}
              />
            </Field>
            <Field
              label="Instructions"
              htmlFor="agent-instructions"
              hint="The system prompt: who the agent is and how it works."
              error={errors.instructions}
            >
              <Textarea
                id="agent-instructions"
                rows={8}
                value={draft.instructions}
                onChange={(e) => set("instructions", e.target.value)}
                className="font-mono text-xs"
              />
            </Field>
          </CardContent>
        </Card>
        <Card>
          <CardHeader>
            <CardTitle>Model</CardTitle>
            <CardDescription>
              {providers.length === 0
                ? "No provider yet: add one under Models (API key or a local OpenAI-compatible server)."
                : "A registered model of the provider, or any name the provider knows."}
            </CardDescription>
          </CardHeader>
          <CardContent className="grid gap-4 sm:grid-cols-2">
            <Field label="Provider" htmlFor="agent-provider" error={errors["model.providerId"]}>
              <Select
                id="agent-provider"
                value={draft.providerId}
                onChange={(e) => {
                  const first = models.find((m) => m.providerId === e.target.value);
                  setDraft((d) => ({ ...d, providerId: e.target.value, model: first?.name ?? d.model }));
                }}
              >
                {providers.length === 0 && <option value="">No providers</option>}
                {providers.map((p) => (
                  <option key={p.id} value={p.id}>
                    {p.name} ({p.kind}){p.enabled ? "" : " — disabled"}
                  </option>
                ))}
              </Select>
            </Field>
            <Field label="Model" htmlFor="agent-model" error={errors["model.model"]}>
              <Input
                id="agent-model"
                list="agent-model-options"
                value={draft.model}
                onChange={(e) => set("model", e.target.value)}
                placeholder="e.g. gpt-4o-mini"
                required
              />
              <datalist id="agent-model-options">
                {providerModels.map((m) => (
                  <option key={m.id} value={m.name}>
                    {m.displayName || m.name}
                  </option>
                ))}
                {localModels
                  .filter((name) => !registered.has(name))
                  .map((name) => (
                    <option key={name} value={name}>
                      {name} (installed on the worker's Ollama)
                    </option>
                  ))}
              </datalist>
            </Field>
          </CardContent>
        </Card>
        <Card>
          <CardHeader>
            <CardTitle>Output schema</CardTitle>
            <CardDescription>
              Optional JSON Schema: when set, the run's output is a structured object.
            </CardDescription>
          </CardHeader>
          <CardContent>
            <Field label="JSON Schema" htmlFor="agent-output-schema" error={errors.outputSchema}>
              <Textarea
                id="agent-output-schema"
                rows={6}
                className="font-mono text-xs"
                value={draft.outputSchema}
                onChange={(e) => set("outputSchema", e.target.value)}
                placeholder='{"type": "object", "properties": {"answer": {"type": "string"}}}'
              />
            </Field>
          </CardContent>
        </Card>
      </div>
      <div className="grid content-start gap-4">
        <Card>
          <CardHeader>
            <CardTitle>Tools</CardTitle>
            <CardDescription>
              {tools.length === 0 ? "No tools yet: add one under Tools & MCP." : null}
            </CardDescription>
          </CardHeader>
          <CardContent className="grid max-h-56 gap-2 overflow-y-auto">
            {tools.map((tool) => (
              <div key={tool.id} className="flex items-center gap-2 text-sm">
                <Checkbox
                  id={`tool-${tool.id}`}
                  checked={draft.toolIds.includes(tool.id)}
                  onCheckedChange={(on) => set("toolIds", toggle(draft.toolIds, tool.id, on === true))}
                />
                <Label htmlFor={`tool-${tool.id}`} className="font-normal">
                  {tool.name} <span className="text-muted-foreground text-xs">({tool.kind})</span>
                </Label>
              </div>
            ))}
            {errors.toolIds && <p className="text-destructive text-xs">{errors.toolIds}</p>}
          </CardContent>
        </Card>
        <Card>
          <CardHeader>
            <CardTitle>MCP servers</CardTitle>
            <CardDescription>
              {mcpServers.length === 0 ? "No MCP servers registered." : "Every tool they list."}
            </CardDescription>
          </CardHeader>
          <CardContent className="grid gap-2">
            {mcpServers.map((server) => (
              <div key={server.id} className="flex items-center gap-2 text-sm">
                <Checkbox
                  id={`mcp-${server.id}`}
                  checked={draft.mcpServerIds.includes(server.id)}
                  onCheckedChange={(on) =>
                    set("mcpServerIds", toggle(draft.mcpServerIds, server.id, on === true))
                  }
                />
                <Label htmlFor={`mcp-${server.id}`} className="font-normal">
                  {server.name}
                </Label>
              </div>
            ))}
          </CardContent>
        </Card>
        <Card>
          <CardHeader>
            <CardTitle>Limits</CardTitle>
          </CardHeader>
          <CardContent className="grid grid-cols-2 gap-3">
            <Field label="Max model calls" htmlFor="limit-steps" error={errors["limits.maxSteps"]}>
              <Input
                id="limit-steps"
                type="number"
                min={1}
                max={200}
                value={draft.limits.maxSteps}
                onChange={(e) => set("limits", { ...draft.limits, maxSteps: Number(e.target.value) })}
              />
            </Field>
            <Field label="Step timeout (ms)" htmlFor="limit-timeout" error={errors["limits.stepTimeoutMs"]}>
              <Input
                id="limit-timeout"
                type="number"
                min={1000}
                value={draft.limits.stepTimeoutMs}
                onChange={(e) => set("limits", { ...draft.limits, stepTimeoutMs: Number(e.target.value) })}
              />
            </Field>
            <Field label="Max output tokens" htmlFor="limit-tokens" error={errors["limits.maxOutputTokens"]}>
              <Input
                id="limit-tokens"
                type="number"
                min={1}
                placeholder="provider default"
                value={draft.limits.maxOutputTokens ?? ""}
                onChange={(e) =>
                  set("limits", { ...draft.limits, maxOutputTokens: numberOrNull(e.target.value) })
                }
              />
            </Field>
            <Field label="Temperature" htmlFor="limit-temperature" error={errors["limits.temperature"]}>
              <Input
                id="limit-temperature"
                type="number"
                step="0.1"
                min={0}
                max={2}
                placeholder="default"
                value={draft.limits.temperature ?? ""}
                onChange={(e) =>
                  set("limits", { ...draft.limits, temperature: numberOrNull(e.target.value) })
                }
              />
            </Field>
            <SwitchField
              id="learn-feedback"
              label="Learn from feedback (add rated examples to the instructions)"
              className="col-span-2"
              checked={draft.learnFromFeedback}
              onCheckedChange={(on) => set("learnFromFeedback", on)}
            />
          </CardContent>
        </Card>
        <Card>
          <CardHeader>
            <CardTitle>Sandbox</CardTitle>
            <CardDescription>A Docker container the agent's sandbox tools run code in.</CardDescription>
          </CardHeader>
          <CardContent className="grid grid-cols-2 gap-3">
            <SwitchField
              id="sandbox-enabled"
              label="Enabled"
              className="col-span-2"
              checked={draft.sandbox.enabled}
              onCheckedChange={(on) => set("sandbox", { ...draft.sandbox, enabled: on })}
            />
            <Field
              label="Image"
              htmlFor="sandbox-image"
              className="col-span-2"
              error={errors["sandbox.image"]}
            >
              <Input
                id="sandbox-image"
                value={draft.sandbox.image}
                disabled={!draft.sandbox.enabled}
                onChange={(e) => set("sandbox", { ...draft.sandbox, image: e.target.value })}
              />
            </Field>
            {(
              [
                ["memoryMb", "Memory (MB)", 16],
                ["cpus", "CPUs", 0.1],
                ["pidsLimit", "Processes", 8],
                ["execTimeoutMs", "Exec timeout (ms)", 100],
              ] as const
            ).map(([key, label, min]) => (
              <Field key={key} label={label} htmlFor={`sandbox-${key}`} error={errors[`sandbox.${key}`]}>
                <Input
                  id={`sandbox-${key}`}
                  type="number"
                  min={min}
                  step={key === "cpus" ? 0.1 : 1}
                  disabled={!draft.sandbox.enabled}
                  value={draft.sandbox[key]}
                  onChange={(e) => set("sandbox", { ...draft.sandbox, [key]: Number(e.target.value) })}
                />
              </Field>
            ))}
            {(
              [
                ["network", "Network access"],
                ["readOnlyRootfs", "Read-only root file system"],
              ] as const
            ).map(([key, label]) => (
              <SwitchField
                key={key}
                id={`sandbox-${key}`}
                label={label}
                className="col-span-2"
                checked={draft.sandbox[key]}
                disabled={!draft.sandbox.enabled}
                onCheckedChange={(on) => set("sandbox", { ...draft.sandbox, [key]: on })}
              />
            ))}
          </CardContent>
        </Card>
      </div>
      <div className="sticky bottom-0 flex flex-wrap items-center gap-3 border-t bg-background/95 py-3 xl:col-span-2">
        <Button type="submit" disabled={busy !== null}>
          {busy === "save" ? <Spinner /> : <SaveIcon />} {agent ? "Save changes" : "Create agent"}
        </Button>
        {agent && (
          <Button variant="ghost" onClick={remove} disabled={busy !== null} className="text-destructive">
            {busy === "delete" ? <Spinner /> : <Trash2Icon />} Delete
          </Button>
        )}
        {saved && (
          <span role="status" className="text-success text-sm">
            Saved.
          </span>
        )}
        <ErrorAlert error={error} className="basis-full" />
      </div>
    </form>
  );
}

/**
 * The models installed on the worker's Ollama, offered for an `ollama` provider (pulled models are
 * not registered as models, so the editor asks Ollama). Best effort: no Ollama, no suggestions.
 */
function useOllamaModelNames(provider: LlmProvider | undefined): string[] {
  const client = useClient();
  const [names, setNames] = useState<string[]>([]);
  const isOllama = provider?.kind === "ollama";
  useEffect(() => {
    if (!isOllama) {
      setNames([]);
      return;
    }
    let isCurrent = true;
    client.ollama
      .models()
      .then((list) => isCurrent && setNames(list.items.map((m) => m.name)))
      .catch(() => isCurrent && setNames([]));
    return () => {
      isCurrent = false;
    };
  }, [client, isOllama]);
  return names;
}
