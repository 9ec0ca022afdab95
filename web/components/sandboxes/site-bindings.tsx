"use client";
import type { SiteBinding } from "@agentos/core";
import { ExternalLinkIcon, PlusIcon, Trash2Icon } from "lucide-react";
import { useCallback, useEffect, useState } from "react";
import { useClient } from "../../lib/browser-client";
import { fieldErrors } from "../../lib/problem";
import { useAction } from "../../lib/use-action";
import { Button } from "../ui/button";
import { ErrorAlert, Spinner } from "../ui/feedback";
import { Field, Input } from "../ui/input";
import { SiteStatus } from "./site-status";

/** Host names that reach a port of the sandbox (served by the worker's domain proxy). */
export function SiteBindings({ sandboxId }: { sandboxId: string }) {
  const client = useClient();
  const [bindings, setBindings] = useState<SiteBinding[] | null>(null);
  const [host, setHost] = useState("");
  const [port, setPort] = useState(8000);
  // Busy with "add" or the id of the binding being removed.
  const { busy, error, setError, run } = useAction<string>();
  const errors = fieldErrors(error);
  const load = useCallback(async () => {
    try {
      setBindings((await client.sandboxes.siteBindings.list(sandboxId)).items);
    } catch (e) {
      setError(e);
    }
  }, [client, sandboxId, setError]);
  useEffect(() => {
    void load();
  }, [load]);

  async function add(event: React.FormEvent) {
    event.preventDefault();
    await run("add", async () => {
      await client.sandboxes.siteBindings.create(sandboxId, { host, containerPort: port });
      setHost("");
      await load();
    });
  }
  async function remove(binding: SiteBinding) {
    await run(binding.id, async () => {
      await client.sandboxes.siteBindings.delete(sandboxId, binding.id);
      await load();
    });
  }
  return (
    <div className="grid gap-3">
      {bindings && bindings.length === 0 && (
        <p className="text-muted-foreground text-sm">
          No sites yet. Bind a host name to a port a server listens on inside the sandbox.
        </p>
      )}
      {bindings && bindings.length > 0 && (
        <ul className="grid gap-1 text-sm">
          {bindings.map((b) => (
            <li key={b.id} className="flex items-center gap-2 rounded-md border px-3 py-2">
              <a
                href={`http://${b.host}/`}
                target="_blank"
                rel="noreferrer"
                className="inline-flex items-center gap-1 font-mono text-primary hover:underline"
              >
                {b.host} <ExternalLinkIcon className="size-3" />
              </a>
              <span className="text-muted-foreground text-xs">
                → port {b.containerPort} (host port {b.hostPort})
              </span>
              <span className="ml-auto">
                <SiteStatus sandboxId={sandboxId} binding={b} />
              </span>
              <Button
                size="sm"
                variant="ghost"
                aria-label={`Remove ${b.host}`}
                onClick={() => void remove(b)}
                disabled={busy !== null}
              >
                {busy === b.id ? <Spinner /> : <Trash2Icon />}
              </Button>
            </li>
          ))}
        </ul>
      )}
      <form onSubmit={add} className="flex flex-wrap items-end gap-2">
        <Field label="Host name" htmlFor="site-host" error={errors.host} className="w-64">
          <Input
            id="site-host"
            placeholder="app.example.com"
            value={host}
            onChange={(e) => setHost(e.target.value)}
            required
          />
        </Field>
        <Field label="Container port" htmlFor="site-port" error={errors.containerPort} className="w-32">
          <Input
            id="site-port"
            type="number"
            min={1}
            max={65535}
            value={port}
            onChange={(e) => setPort(Number(e.target.value))}
          />
        </Field>
        <Button type="submit" disabled={busy !== null}>
          {busy === "add" ? <Spinner /> : <PlusIcon />} Bind
        </Button>
      </form>
      <ErrorAlert error={error} />
    </div>
  );
}
