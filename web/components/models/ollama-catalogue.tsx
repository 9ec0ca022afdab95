"use client";
import type { OllamaRecommendedModel } from "@agentos/client";
import { CheckIcon, DownloadIcon, WrenchIcon } from "lucide-react";
import { formatBytes } from "../../lib/format";
import { Badge } from "../ui/badge";
import { Button } from "../ui/button";
import { Spinner } from "../ui/feedback";

/** Models worth pulling first, each with what it is good at, its download size and an install button. */
export function OllamaCatalogue({
  models,
  pulling,
  onInstall,
}: {
  models: OllamaRecommendedModel[];
  /** Models with a pull running or starting. */
  pulling: ReadonlySet<string>;
  onInstall: (name: string) => void;
}) {
  return (
    <ul className="grid gap-3 md:grid-cols-2 xl:grid-cols-4" aria-label="Recommended local models">
      {models.map((m) => (
        <li
          key={m.name}
          className="flex flex-col gap-2 rounded-lg border p-3 text-sm"
          data-testid={`ollama-recommended-${m.name}`}
        >
          <div className="flex flex-wrap items-center gap-2">
            <code className="font-medium">{m.name}</code>
            <span className="text-muted-foreground text-xs tabular-nums">{formatBytes(m.sizeBytes)}</span>
            {m.supportsTools && (
              <Badge tone="info" title="Can call tools">
                <WrenchIcon className="size-3" /> tools
              </Badge>
            )}
          </div>
          <p className="text-muted-foreground">{m.description}</p>
          <p className="flex flex-wrap gap-1">
            {m.goodAt.map((skill) => (
              <Badge key={skill}>{skill}</Badge>
            ))}
          </p>
          <div className="mt-auto">
            {m.installed ? (
              <Badge tone="success">
                <CheckIcon className="size-3" /> Installed
              </Badge>
            ) : (
              <Button
                size="sm"
                variant="outline"
                onClick={() => onInstall(m.name)}
                disabled={pulling.has(m.name)}
                aria-label={`Install ${m.name}`}
              >
                {pulling.has(m.name) ? <Spinner /> : <DownloadIcon />}{" "}
                {pulling.has(m.name) ? "Pulling…" : "Install"}
              </Button>
            )}
          </div>
        </li>
      ))}
    </ul>
  );
}
