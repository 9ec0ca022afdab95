import { type JsonValue, secretReferences, type Tool } from "@agentos/core";
import type { Repositories } from "@agentos/db";
import { createHostedRepositories, replaceSecretReferences, type SecretUse } from "@agentos/db/auth";
import { fetch as undiciFetch } from "undici";
import type { RuntimeTool } from "../tools/types";

const vaultOf = (repos: Repositories) => createHostedRepositories(repos.db, repos.secrets).vault;

/** `text` with `{{secret:NAME}}` filled from the workspace's vault (the use is audited). */
export async function fillSecretReferences(
  repos: Repositories,
  workspaceId: string,
  text: string,
  use: SecretUse,
): Promise<string> {
  if (secretReferences(text).length === 0) return text;
  return vaultOf(repos).fill(workspaceId, text, use);
}

/** Replaces every occurrence of a secret value in a JSON value by `[secret:NAME]`. */
export function redactSecrets(value: JsonValue, secrets: ReadonlyMap<string, string>): JsonValue {
  const pairs = [...secrets].filter(([, v]) => v.length >= 4);
  if (pairs.length === 0) return value;
  const redact = (v: JsonValue): JsonValue => {
    if (typeof v === "string") {
      return pairs.reduce((text, [name, secret]) => text.split(secret).join(`[secret:${name}]`), v);
    }
    if (Array.isArray(v)) return v.map(redact);
    if (v && typeof v === "object")
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, redact(x)]));
    return v;
  };
  return redact(value);
}

/**
 * An HTTP tool whose header values may reference `{{secret:NAME}}`: the values are filled in by
 * the fetch itself, at send time, so they never pass through templates, events or the model,
 * and any echo of them in the response is redacted before the model sees the result.
 */
export function withSecretHeaders(
  repos: Repositories,
  tool: Tool,
  build: (fetcher: typeof fetch | undefined) => RuntimeTool["execute"],
  baseFetch: typeof fetch | undefined,
): RuntimeTool["execute"] {
  const headers = tool.config.kind === "http" ? Object.values(tool.config.headers) : [];
  const names = [...new Set(headers.flatMap(secretReferences))];
  if (names.length === 0) return build(baseFetch);
  return async (input, context) => {
    const values = await vaultOf(repos).reveal(context.workspaceId, names, {
      by: `tool ${tool.name} (headers)`,
      runId: context.runId,
    });
    const send = (baseFetch ?? (undiciFetch as unknown as typeof fetch)) as typeof fetch;
    const fetchWithSecrets: typeof fetch = (url, init) => {
      const filled = new Headers(init?.headers);
      for (const [name, value] of filled) {
        if (value.includes("{{")) filled.set(name, replaceSecretReferences(value, values));
      }
      return send(url, { ...init, headers: filled });
    };
    return redactSecrets(await build(fetchWithSecrets)(input, context), values);
  };
}
