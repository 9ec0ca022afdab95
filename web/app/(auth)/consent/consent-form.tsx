"use client";

import { useSearchParams } from "next/navigation";
import { useState } from "react";
import { Button } from "../../../components/ui/button";
import { authCall, redirectOf, signedOAuthQuery } from "../auth-api";
import { FormError } from "../auth-card";

const SCOPE_WORDS: Record<string, string> = {
  read: "read agents, workflows, runs and files",
  write: "create, change and delete them",
  run: "run agents and workflows, chat, approve and cancel runs",
  admin: "manage tokens, secrets, budgets and settings",
  offline_access: "stay signed in (refresh its access)",
};

export function ConsentForm() {
  const params = useSearchParams();
  const scopes = (params.get("scope") ?? "").split(" ").filter(Boolean);
  const client = params.get("client_name") ?? params.get("client_id") ?? "An application";
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function decide(accept: boolean) {
    setBusy(true);
    setError(null);
    try {
      const oauthQuery = signedOAuthQuery(window.location.search) ?? window.location.search.slice(1);
      const result = await authCall<{ url?: string }>("/oauth2/consent", { accept, oauth_query: oauthQuery });
      const target = redirectOf(result);
      if (target) window.location.assign(target);
      else setBusy(false);
    } catch (failure) {
      setError((failure as Error).message);
      setBusy(false);
    }
  }

  return (
    <div className="grid gap-4">
      <p className="text-sm">
        <strong>{client}</strong> wants to use this Studio's MCP server as you, in your current workspace. It
        will be able to:
      </p>
      <ul className="list-disc pl-5 text-sm" aria-label="Requested access">
        {scopes.map((scope) => (
          <li key={scope}>
            <code>{scope}</code>: {SCOPE_WORDS[scope] ?? scope}
          </li>
        ))}
      </ul>
      <p className="text-muted-foreground text-xs">
        It never gets more than your role in the workspace allows.
      </p>
      <FormError message={error} />
      <div className="flex gap-2">
        <Button type="button" disabled={busy} onClick={() => void decide(true)}>
          Allow
        </Button>
        <Button type="button" variant="outline" disabled={busy} onClick={() => void decide(false)}>
          Deny
        </Button>
      </div>
    </div>
  );
}
