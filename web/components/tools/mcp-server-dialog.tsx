"use client";
import type { McpServer, McpServerCreate } from "@agentos/core";
import { PencilIcon, PlusIcon, Trash2Icon } from "lucide-react";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useClient } from "../../lib/browser-client";
import { fieldErrors } from "../../lib/problem";
import { useAction } from "../../lib/use-action";
import { Button } from "../ui/button";
import { Dialog } from "../ui/dialog";
import { ErrorAlert, Spinner } from "../ui/feedback";
import { Field, Input, Select, Textarea } from "../ui/input";
import { SwitchField } from "../ui/switch";

/** Registers an external MCP server, or edits / deletes one. */
export function McpServerDialog({ server }: { server?: McpServer }) {
  const client = useClient();
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [name, setName] = useState(server?.name ?? "");
  const [description, setDescription] = useState(server?.description ?? "");
  const [type, setType] = useState<"streamable-http" | "stdio">(server?.transport.type ?? "streamable-http");
  const [url, setUrl] = useState(server?.transport.type === "streamable-http" ? server.transport.url : "");
  const [command, setCommand] = useState(server?.transport.type === "stdio" ? server.transport.command : "");
  const [args, setArgs] = useState(
    server?.transport.type === "stdio" ? server.transport.args.join("\n") : "",
  );
  const [authToken, setAuthToken] = useState("");
  const [enabled, setEnabled] = useState(server?.enabled ?? true);
  const { busy, error, run } = useAction<"save" | "delete">();
  const errors = fieldErrors(error);

  async function save(event: React.FormEvent) {
    event.preventDefault();
    const body: McpServerCreate = {
      name,
      description,
      enabled,
      transport:
        type === "streamable-http"
          ? { type, url }
          : {
              type,
              command,
              args: args
                .split("\n")
                .map((a) => a.trim())
                .filter(Boolean),
            },
      ...(authToken ? { authToken } : {}),
    };
    await run("save", async () => {
      if (server) await client.mcpServers.update(server.id, body);
      else await client.mcpServers.create(body);
      setOpen(false);
      router.refresh();
    });
  }

  async function remove() {
    if (!server || !confirm(`Remove the MCP server “${server.name}”?`)) return;
    await run("delete", async () => {
      await client.mcpServers.delete(server.id);
      setOpen(false);
      router.refresh();
    });
  }

  return (
    <Dialog
      open={open}
      onOpenChange={setOpen}
      title={server ? `Edit ${server.name}` : "Register an MCP server"}
      description={
        server
          ? "Agents that list this server get every tool it offers."
          : "The Studio connects once to list its tools; a server it cannot reach yet is registered anyway. Agents that list it get every tool it offers."
      }
      trigger={
        server ? (
          <Button size="sm" variant="ghost" aria-label={`Edit ${server.name}`}>
            <PencilIcon />
          </Button>
        ) : (
          <Button>
            <PlusIcon /> Register MCP server
          </Button>
        )
      }
    >
      <form onSubmit={save} className="grid gap-3">
        <Field label="Name" htmlFor="mcp-name" error={errors.name}>
          <Input id="mcp-name" value={name} onChange={(e) => setName(e.target.value)} required />
        </Field>
        <Field label="Description" htmlFor="mcp-description" error={errors.description}>
          <Input id="mcp-description" value={description} onChange={(e) => setDescription(e.target.value)} />
        </Field>
        <Field label="Transport" htmlFor="mcp-transport">
          <Select id="mcp-transport" value={type} onChange={(e) => setType(e.target.value as typeof type)}>
            <option value="streamable-http">Streamable HTTP (a URL)</option>
            <option value="stdio">stdio (a command the Studio starts)</option>
          </Select>
        </Field>
        {type === "streamable-http" ? (
          <Field label="URL" htmlFor="mcp-url" error={errors["transport.url"]}>
            <Input
              id="mcp-url"
              type="url"
              placeholder="https://mcp.example.com/mcp"
              value={url}
              onChange={(e) => setUrl(e.target.value)}
              required
            />
          </Field>
        ) : (
          <>
            <Field label="Command" htmlFor="mcp-command" error={errors["transport.command"]}>
              <Input
                id="mcp-command"
                placeholder="npx"
                value={command}
                onChange={(e) => setCommand(e.target.value)}
                required
              />
            </Field>
            <Field label="Arguments" htmlFor="mcp-args" hint="One per line" error={errors["transport.args"]}>
              <Textarea
                id="mcp-args"
                rows={3}
                className="font-mono text-xs"
                value={args}
                onChange={(e) => setArgs(e.target.value)}
              />
            </Field>
          </>
        )}
        <Field
          label="Bearer token"
          htmlFor="mcp-token"
          hint={
            server?.hasAuthToken
              ? "A token is stored; type a new one to replace it."
              : "Optional; stored encrypted, never shown again."
          }
          error={errors.authToken}
        >
          <Input
            id="mcp-token"
            type="password"
            autoComplete="off"
            value={authToken}
            onChange={(e) => setAuthToken(e.target.value)}
          />
        </Field>
        <SwitchField id="mcp-enabled" label="Enabled" checked={enabled} onCheckedChange={setEnabled} />
        <ErrorAlert error={error} />
        <div className="flex gap-2">
          <Button type="submit" disabled={busy !== null}>
            {busy === "save" && <Spinner />}{" "}
            {server ? "Save" : busy === "save" ? "Registering and listing tools…" : "Register"}
          </Button>
          {server && (
            <Button variant="ghost" className="text-destructive" onClick={remove} disabled={busy !== null}>
              {busy === "delete" ? <Spinner /> : <Trash2Icon />} Remove
            </Button>
          )}
        </div>
      </form>
    </Dialog>
  );
}
