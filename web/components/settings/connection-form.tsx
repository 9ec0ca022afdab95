"use client";
import type { HealthStatus } from "@agentos/client";
import { CheckCircle2Icon, PlugZapIcon } from "lucide-react";
import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";
import { clientFor, saveConnection, useConnection } from "../../lib/browser-client";
import type { Connection } from "../../lib/connection";
import { useAction } from "../../lib/use-action";
import { Button } from "../ui/button";
import { ErrorAlert, Spinner } from "../ui/feedback";
import { Field, Input, Label } from "../ui/input";

/**
 * This Studio, or a remote AgentOS server (URL + token): checked live with GET /api/health (and
 * an authenticated read) before it is saved.
 */
export function ConnectionForm() {
  const router = useRouter();
  const connection = useConnection();
  const [kind, setKind] = useState<Connection["kind"]>(connection.kind);
  const [url, setUrl] = useState(connection.kind === "remote" ? connection.url : "");
  const [token, setToken] = useState(connection.kind === "remote" ? connection.token : "");
  const { busy, error, run } = useAction<"check">();
  const [checked, setChecked] = useState<HealthStatus | null>(null);
  useEffect(() => {
    setKind(connection.kind);
    if (connection.kind === "remote") {
      setUrl(connection.url);
      setToken(connection.token);
    }
  }, [connection]);

  async function check(event: React.FormEvent) {
    event.preventDefault();
    setChecked(null);
    const next: Connection = kind === "local" ? { kind } : { kind, url: url.replace(/\/+$/, ""), token };
    await run("check", async () => {
      const client = clientFor(next);
      const health = await client.health();
      // Health needs no token; a read proves the token works too.
      await client.settings.get();
      setChecked(health);
      saveConnection(next);
      router.refresh();
    });
  }

  return (
    <form onSubmit={check} className="grid gap-3">
      <fieldset className="grid gap-2">
        <legend className="mb-1 font-medium text-sm">Talk to</legend>
        {(
          [
            ["local", "This Studio"],
            ["remote", "A remote AgentOS server"],
          ] as const
        ).map(([value, label]) => (
          <div key={value} className="flex items-center gap-2 text-sm">
            <input
              type="radio"
              id={`connection-${value}`}
              name="connection"
              checked={kind === value}
              onChange={() => setKind(value)}
            />
            <Label htmlFor={`connection-${value}`} className="font-normal">
              {label}
            </Label>
          </div>
        ))}
      </fieldset>
      {kind === "remote" && (
        <div className="grid gap-3 md:grid-cols-2">
          <Field
            label="Server URL"
            htmlFor="connection-url"
            hint="Its CORS_ORIGINS must include this Studio's origin."
          >
            <Input
              id="connection-url"
              type="url"
              placeholder="https://agentos.example.com"
              value={url}
              onChange={(e) => setUrl(e.target.value)}
              required
            />
          </Field>
          <Field
            label="API token"
            htmlFor="connection-token"
            hint="From that server's Settings → API tokens."
          >
            <Input
              id="connection-token"
              type="password"
              autoComplete="off"
              value={token}
              onChange={(e) => setToken(e.target.value)}
            />
          </Field>
        </div>
      )}
      <div className="flex flex-wrap items-center gap-3">
        <Button type="submit" disabled={busy !== null}>
          {busy ? <Spinner /> : <PlugZapIcon />} Check and use
        </Button>
        {checked && (
          <span role="status" className="flex items-center gap-1 text-sm text-success">
            <CheckCircle2Icon className="size-4" /> Connected: {checked.mode} mode, v{checked.version}
          </span>
        )}
      </div>
      <ErrorAlert error={error} />
    </form>
  );
}
