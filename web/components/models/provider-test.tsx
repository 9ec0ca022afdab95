"use client";
import type { ProviderTestResult } from "@agentos/client";
import { CheckCircle2Icon, PlugZapIcon, XCircleIcon } from "lucide-react";
import { useState } from "react";
import { useClient } from "../../lib/browser-client";
import { useAction } from "../../lib/use-action";
import { Button } from "../ui/button";
import { ErrorAlert, Spinner } from "../ui/feedback";

/** "Test connection": a real, tiny call to the provider; a failure says why. */
export function ProviderTest({ providerId }: { providerId: string }) {
  const client = useClient();
  const { busy, error, run } = useAction<"test">();
  const [result, setResult] = useState<ProviderTestResult | null>(null);
  async function test() {
    setResult(null);
    await run("test", async () => setResult(await client.llmProviders.test(providerId)));
  }
  return (
    <div className="grid gap-2">
      <Button size="sm" variant="outline" onClick={test} disabled={busy !== null} className="w-fit">
        {busy ? <Spinner /> : <PlugZapIcon />} {busy ? "Testing…" : "Test connection"}
      </Button>
      <div aria-live="polite">
        {result &&
          (result.ok ? (
            <p className="flex items-center gap-1 text-sm text-success" data-testid="provider-test-ok">
              <CheckCircle2Icon className="size-4" /> Connected to {result.model} in {result.latencyMs} ms
            </p>
          ) : (
            <p className="flex items-start gap-1 text-destructive text-sm" data-testid="provider-test-failed">
              <XCircleIcon className="mt-0.5 size-4 shrink-0" /> {result.reason ?? "The check failed."}{" "}
              {result.model ? `(model ${result.model})` : ""}
            </p>
          ))}
        <ErrorAlert error={error} />
      </div>
    </div>
  );
}
