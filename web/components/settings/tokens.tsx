"use client";
import type { ApiToken, ApiTokenCreated } from "@agentos/core";
import { KeyRoundIcon, PlusIcon } from "lucide-react";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useClient } from "../../lib/browser-client";
import { formatTime } from "../../lib/format";
import { fieldErrors } from "../../lib/problem";
import { useAction } from "../../lib/use-action";
import { Badge } from "../ui/badge";
import { Button } from "../ui/button";
import { OneTimeValue } from "../ui/copy-button";
import { EmptyState, ErrorAlert, Spinner } from "../ui/feedback";
import { Field, Input, Label } from "../ui/input";
import { Checkbox } from "../ui/switch";
import { Table, TBody, Td, THead, Th, Tr } from "../ui/table";

const SCOPES = ["read", "write", "run", "admin"] as const;

/** API tokens: create (the secret is shown once) and revoke. */
export function TokensPanel({ tokens }: { tokens: ApiToken[] }) {
  const client = useClient();
  const router = useRouter();
  const [name, setName] = useState("");
  const [scopes, setScopes] = useState<Array<(typeof SCOPES)[number]>>(["read", "write", "run"]);
  const [created, setCreated] = useState<ApiTokenCreated | null>(null);
  // Busy with "create" or the id of the token being revoked.
  const { busy, error, run } = useAction<string>();
  const errors = fieldErrors(error);

  async function create(event: React.FormEvent) {
    event.preventDefault();
    await run("create", async () => {
      setCreated(await client.tokens.create({ name, scopes }));
      setName("");
      router.refresh();
    });
  }
  async function revoke(token: ApiToken) {
    if (!confirm(`Revoke “${token.name}”? Clients using it get 401 from now on.`)) return;
    await run(token.id, async () => {
      await client.tokens.revoke(token.id);
      router.refresh();
    });
  }

  return (
    <div className="grid gap-4">
      <form onSubmit={create} className="flex flex-wrap items-end gap-3" aria-label="Create an API token">
        <Field label="Token name" htmlFor="token-name" error={errors.name} className="w-64">
          <Input
            id="token-name"
            placeholder="CI, my laptop, Claude Desktop…"
            value={name}
            onChange={(e) => setName(e.target.value)}
            required
          />
        </Field>
        <fieldset className="flex items-center gap-3 pb-2">
          <legend className="sr-only">Scopes</legend>
          {SCOPES.map((scope) => (
            <div key={scope} className="flex items-center gap-1.5 text-sm">
              <Checkbox
                id={`scope-${scope}`}
                checked={scopes.includes(scope)}
                onCheckedChange={(on) =>
                  setScopes(on === true ? [...scopes, scope] : scopes.filter((s) => s !== scope))
                }
              />
              <Label htmlFor={`scope-${scope}`} className="font-normal">
                {scope}
              </Label>
            </div>
          ))}
        </fieldset>
        <Button type="submit" disabled={busy !== null}>
          {busy === "create" ? <Spinner /> : <PlusIcon />} Create token
        </Button>
      </form>
      {created && (
        <OneTimeValue value={created.token} testId="new-token">
          Token “{created.name}” created. Copy it now: it is not shown again.
        </OneTimeValue>
      )}
      <ErrorAlert error={error} />
      {tokens.length === 0 ? (
        <EmptyState icon={<KeyRoundIcon />} title="No API tokens">
          Tokens let scripts, the MCP endpoint and remote Studios act for this workspace.
        </EmptyState>
      ) : (
        <div className="rounded-lg border">
          <Table>
            <THead>
              <Tr>
                <Th>Name</Th>
                <Th>Prefix</Th>
                <Th>Scopes</Th>
                <Th>Last used</Th>
                <Th>Created</Th>
                <Th className="text-right">Status</Th>
              </Tr>
            </THead>
            <TBody>
              {tokens.map((t) => (
                <Tr key={t.id} data-testid="token-row">
                  <Td className="font-medium">{t.name}</Td>
                  <Td className="font-mono text-xs">{t.prefix}…</Td>
                  <Td className="text-xs">{t.scopes.join(", ")}</Td>
                  <Td className="text-muted-foreground text-xs">{formatTime(t.lastUsedAt)}</Td>
                  <Td className="text-muted-foreground text-xs">{formatTime(t.createdAt)}</Td>
                  <Td className="text-right">
                    {t.revokedAt ? (
                      <Badge tone="danger">revoked</Badge>
                    ) : (
                      <Button
                        size="sm"
                        variant="outline"
                        onClick={() => void revoke(t)}
                        disabled={busy !== null}
                        aria-label={`Revoke ${t.name}`}
                      >
                        {busy === t.id && <Spinner />} Revoke
                      </Button>
                    )}
                  </Td>
                </Tr>
              ))}
            </TBody>
          </Table>
        </div>
      )}
    </div>
  );
}
