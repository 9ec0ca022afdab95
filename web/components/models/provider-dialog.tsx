"use client";
import type { LlmProvider, LlmProviderCreate } from "@agentos/core";
import { PencilIcon, PlusIcon, Trash2Icon } from "lucide-react";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useClient } from "../../lib/browser-client";
import { fieldErrors } from "../../lib/problem";
import { useAction } from "../../lib/use-action";
import { Button } from "../ui/button";
import { Dialog } from "../ui/dialog";
import { ErrorAlert, Spinner } from "../ui/feedback";
import { Field, Input, Select } from "../ui/input";
import { SwitchField } from "../ui/switch";

const KINDS = ["openai", "anthropic", "google", "azure", "ollama", "openai-compatible"] as const;

/** Adds a provider (with its API key) or edits / deletes one; the key is write-only. */
export function ProviderDialog({ provider }: { provider?: LlmProvider }) {
  const client = useClient();
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [name, setName] = useState(provider?.name ?? "");
  const [kind, setKind] = useState<LlmProvider["kind"]>(provider?.kind ?? "openai");
  const [baseUrl, setBaseUrl] = useState(provider?.baseUrl ?? "");
  const [apiKey, setApiKey] = useState("");
  const [enabled, setEnabled] = useState(provider?.enabled ?? true);
  const { busy, error, run } = useAction<"save" | "delete">();
  const errors = fieldErrors(error);

  async function save(event: React.FormEvent) {
    event.preventDefault();
    const body: LlmProviderCreate = {
      name,
      kind,
      baseUrl: baseUrl.trim() || null,
      enabled,
      ...(apiKey ? { apiKey } : {}),
    };
    await run("save", async () => {
      if (provider) await client.llmProviders.update(provider.id, body);
      else await client.llmProviders.create(body);
      setOpen(false);
      setApiKey("");
      router.refresh();
    });
  }

  async function remove() {
    if (!provider || !confirm(`Delete the provider “${provider.name}”? Agents using it stop working.`))
      return;
    await run("delete", async () => {
      await client.llmProviders.delete(provider.id);
      setOpen(false);
      router.refresh();
    });
  }

  return (
    <Dialog
      open={open}
      onOpenChange={setOpen}
      title={provider ? `Edit ${provider.name}` : "Add a model provider"}
      description="The API key is encrypted at rest and never shown again."
      trigger={
        provider ? (
          <Button size="sm" variant="ghost" aria-label={`Edit ${provider.name}`}>
            <PencilIcon />
          </Button>
        ) : (
          <Button>
            <PlusIcon /> Add provider
          </Button>
        )
      }
    >
      <form onSubmit={save} className="grid gap-3">
        <Field label="Name" htmlFor="provider-name" error={errors.name}>
          <Input id="provider-name" value={name} onChange={(e) => setName(e.target.value)} required />
        </Field>
        <Field label="Kind" htmlFor="provider-kind" error={errors.kind}>
          <Select
            id="provider-kind"
            value={kind}
            onChange={(e) => setKind(e.target.value as LlmProvider["kind"])}
          >
            {KINDS.map((k) => (
              <option key={k}>{k}</option>
            ))}
          </Select>
        </Field>
        <Field
          label="Base URL"
          htmlFor="provider-base-url"
          hint={
            kind === "openai-compatible"
              ? "Required: e.g. http://localhost:8000/v1"
              : "Optional: override the provider's API URL"
          }
          error={errors.baseUrl}
        >
          <Input
            id="provider-base-url"
            type="url"
            value={baseUrl}
            onChange={(e) => setBaseUrl(e.target.value)}
          />
        </Field>
        <Field
          label="API key"
          htmlFor="provider-api-key"
          hint={provider?.hasApiKey ? "A key is stored; type a new one to replace it." : undefined}
          error={errors.apiKey}
        >
          <Input
            id="provider-api-key"
            type="password"
            autoComplete="off"
            value={apiKey}
            onChange={(e) => setApiKey(e.target.value)}
          />
        </Field>
        <SwitchField id="provider-enabled" label="Enabled" checked={enabled} onCheckedChange={setEnabled} />
        <ErrorAlert error={error} />
        <div className="flex gap-2">
          <Button type="submit" disabled={busy !== null}>
            {busy === "save" && <Spinner />} {provider ? "Save" : "Add provider"}
          </Button>
          {provider && (
            <Button variant="ghost" className="text-destructive" onClick={remove} disabled={busy !== null}>
              {busy === "delete" ? <Spinner /> : <Trash2Icon />} Delete
            </Button>
          )}
        </div>
      </form>
    </Dialog>
  );
}
