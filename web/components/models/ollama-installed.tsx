"use client";
import type { OllamaModelList } from "@agentos/client";
import { Trash2Icon } from "lucide-react";
import { useClient } from "../../lib/browser-client";
import { formatBytes, formatTime } from "../../lib/format";
import { useAction } from "../../lib/use-action";
import { Badge } from "../ui/badge";
import { Button } from "../ui/button";
import { ErrorAlert, Spinner } from "../ui/feedback";
import { Table, TBody, Td, THead, Th, Tr } from "../ui/table";

/** Ollama's local times (`2025-08-03T21:16:38.86+02:00`) in UTC, as the rest of the Studio shows times. */
function utc(time: string | null): string | null {
  if (!time) return null;
  const ms = Date.parse(time);
  return Number.isNaN(ms) ? time : new Date(ms).toISOString();
}

/** The models on the worker's Ollama, those loaded in memory marked, each deletable. */
export function OllamaInstalled({
  list,
  onChanged,
}: {
  list: OllamaModelList;
  onChanged: () => Promise<unknown>;
}) {
  const client = useClient();
  // Busy with the name of the model being deleted.
  const { busy: deleting, error, run } = useAction<string>();
  const running = new Map(list.running.map((m) => [m.name, m]));

  async function remove(name: string) {
    if (!confirm(`Delete the local model “${name}” from the worker's disk?`)) return;
    await run(name, async () => {
      await client.ollama.delete(name);
      await onChanged();
    });
  }

  if (list.items.length === 0) {
    return (
      <p className="text-muted-foreground text-sm">
        No models pulled yet. Pull one by name, or install one of the recommended models below.
      </p>
    );
  }
  return (
    <div className="grid gap-2">
      <div className="rounded-lg border">
        <Table aria-label="Installed local models">
          <THead>
            <Tr>
              <Th>Model</Th>
              <Th>Parameters</Th>
              <Th>Quantisation</Th>
              <Th className="text-right">Size</Th>
              <Th>Modified</Th>
              <Th>
                <span className="sr-only">Actions</span>
              </Th>
            </Tr>
          </THead>
          <TBody>
            {list.items.map((m) => {
              const loaded = running.get(m.name);
              return (
                <Tr key={m.name} data-testid={`ollama-model-${m.name}`}>
                  <Td>
                    <code className="text-sm">{m.name}</code>
                    {loaded && (
                      <Badge tone="success" className="ml-2" title="Loaded in memory">
                        in memory · {formatBytes(loaded.vramBytes || loaded.sizeBytes)}
                      </Badge>
                    )}
                    {m.family && <p className="text-muted-foreground text-xs">{m.family}</p>}
                  </Td>
                  <Td>{m.parameterSize ?? "—"}</Td>
                  <Td>{m.quantization ?? "—"}</Td>
                  <Td className="text-right tabular-nums">{formatBytes(m.sizeBytes)}</Td>
                  <Td className="text-muted-foreground text-xs">{formatTime(utc(m.modifiedAt))}</Td>
                  <Td className="text-right">
                    <Button
                      size="sm"
                      variant="ghost"
                      onClick={() => remove(m.name)}
                      disabled={deleting !== null}
                      aria-label={`Delete ${m.name}`}
                    >
                      {deleting === m.name ? <Spinner /> : <Trash2Icon />}
                    </Button>
                  </Td>
                </Tr>
              );
            })}
          </TBody>
        </Table>
      </div>
      <ErrorAlert error={error} />
    </div>
  );
}
