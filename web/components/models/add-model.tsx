"use client";
import type { LlmProvider } from "@agentos/core";
import { PlusIcon } from "lucide-react";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useClient } from "../../lib/browser-client";
import { fieldErrors } from "../../lib/problem";
import { useAction } from "../../lib/use-action";
import { Button } from "../ui/button";
import { Dialog } from "../ui/dialog";
import { ErrorAlert, Spinner } from "../ui/feedback";
import { Field, Input, Select } from "../ui/input";

export function AddModelDialog({ providers }: { providers: LlmProvider[] }) {
  const client = useClient();
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [chosenProviderId, setProviderId] = useState("");
  // The list can change after a refresh (a provider was just added): default to its first entry.
  const providerId = providers.some((p) => p.id === chosenProviderId)
    ? chosenProviderId
    : (providers[0]?.id ?? "");
  const [name, setName] = useState("");
  const [displayName, setDisplayName] = useState("");
  const [contextWindow, setContextWindow] = useState(128000);
  const [pricing, setPricing] = useState({ inputPerMTok: 0, outputPerMTok: 0, cachedInputPerMTok: 0 });
  const { busy, error, run } = useAction<"save">();
  const errors = fieldErrors(error);
  async function save(event: React.FormEvent) {
    event.preventDefault();
    await run("save", async () => {
      await client.models.create({ providerId, name, displayName, contextWindow, pricing });
      setOpen(false);
      setName("");
      router.refresh();
    });
  }
  return (
    <Dialog
      open={open}
      onOpenChange={setOpen}
      title="Add a model"
      description="Register a model of a provider with its prices, so runs are costed."
      trigger={
        <Button variant="outline" disabled={providers.length === 0}>
          <PlusIcon /> Add model
        </Button>
      }
    >
      <form onSubmit={save} className="grid gap-3">
        <Field label="Provider" htmlFor="model-provider" error={errors.providerId}>
          <Select id="model-provider" value={providerId} onChange={(e) => setProviderId(e.target.value)}>
            {providers.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </Select>
        </Field>
        <Field
          label="Model name"
          htmlFor="model-name"
          hint="As the provider knows it, e.g. gpt-4o-mini"
          error={errors.name}
        >
          <Input id="model-name" value={name} onChange={(e) => setName(e.target.value)} required />
        </Field>
        <Field label="Display name" htmlFor="model-display" error={errors.displayName}>
          <Input id="model-display" value={displayName} onChange={(e) => setDisplayName(e.target.value)} />
        </Field>
        <Field label="Context window (tokens)" htmlFor="model-context" error={errors.contextWindow}>
          <Input
            id="model-context"
            type="number"
            min={1}
            value={contextWindow}
            onChange={(e) => setContextWindow(Number(e.target.value))}
          />
        </Field>
        <div className="grid grid-cols-3 gap-2">
          {(
            [
              ["inputPerMTok", "Input $/M"],
              ["outputPerMTok", "Output $/M"],
              ["cachedInputPerMTok", "Cached $/M"],
            ] as const
          ).map(([key, label]) => (
            <Field key={key} label={label} htmlFor={`model-${key}`} error={errors[`pricing.${key}`]}>
              <Input
                id={`model-${key}`}
                type="number"
                min={0}
                step="0.01"
                value={pricing[key]}
                onChange={(e) => setPricing({ ...pricing, [key]: Number(e.target.value) })}
              />
            </Field>
          ))}
        </div>
        <ErrorAlert error={error} />
        <Button type="submit" disabled={busy !== null}>
          {busy && <Spinner />} Add model
        </Button>
      </form>
    </Dialog>
  );
}
