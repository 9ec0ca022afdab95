"use client";
import type { Model } from "@agentos/core";
import { SaveIcon, Trash2Icon } from "lucide-react";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useClient } from "../../lib/browser-client";
import { useAction } from "../../lib/use-action";
import { Button } from "../ui/button";
import { ErrorAlert, Spinner } from "../ui/feedback";
import { Input } from "../ui/input";
import { Td, Tr } from "../ui/table";

const PRICE_FIELDS = [
  ["inputPerMTok", "input"],
  ["outputPerMTok", "output"],
  ["cachedInputPerMTok", "cached input"],
] as const;

/** A model with its prices (USD per million tokens), editable in place. */
export function ModelRow({ model, providerName }: { model: Model; providerName: string }) {
  const client = useClient();
  const router = useRouter();
  const [pricing, setPricing] = useState(model.pricing);
  const { busy, error, run } = useAction<"save" | "delete">();
  const isDirty = PRICE_FIELDS.some(([key]) => pricing[key] !== model.pricing[key]);
  async function save() {
    await run("save", async () => {
      await client.models.update(model.id, { pricing });
      router.refresh();
    });
  }
  async function remove() {
    if (!confirm(`Remove the model “${model.name}”?`)) return;
    // The refreshed list drops this row.
    await run(
      "delete",
      async () => {
        await client.models.delete(model.id);
        router.refresh();
      },
      { keepBusy: true },
    );
  }
  return (
    <>
      <Tr>
        <Td>
          <span className="font-mono text-xs">{model.name}</span>
          {model.displayName && <p className="text-muted-foreground text-xs">{model.displayName}</p>}
        </Td>
        <Td>{providerName}</Td>
        <Td className="text-right tabular-nums">{model.contextWindow.toLocaleString("en-US")}</Td>
        {PRICE_FIELDS.map(([key, label]) => (
          <Td key={key} className="w-28">
            <Input
              type="number"
              min={0}
              step="0.01"
              aria-label={`${model.name} ${label} price per million tokens`}
              className="h-8 text-right"
              value={pricing[key]}
              onChange={(e) => setPricing({ ...pricing, [key]: Number(e.target.value) })}
            />
          </Td>
        ))}
        <Td className="whitespace-nowrap text-right">
          <Button
            size="sm"
            variant={isDirty ? "default" : "ghost"}
            onClick={save}
            disabled={!isDirty || busy !== null}
            aria-label={`Save prices of ${model.name}`}
          >
            {busy === "save" ? <Spinner /> : <SaveIcon />}
          </Button>
          <Button
            size="sm"
            variant="ghost"
            onClick={remove}
            disabled={busy !== null}
            aria-label={`Remove ${model.name}`}
          >
            {busy === "delete" ? <Spinner /> : <Trash2Icon />}
          </Button>
        </Td>
      </Tr>
      {error ? (
        <Tr>
          <Td colSpan={7}>
            <ErrorAlert error={error} />
          </Td>
        </Tr>
      ) : null}
    </>
  );
}
