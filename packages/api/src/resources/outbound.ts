import { Invalid, type McpTransport } from "@agentos/core";
import { type OutboundPolicy, outboundPolicyFor, serviceUrlRefusal, stdioRefusal } from "@agentos/runtime";
import type { ApiDeps } from "../context";

/**
 * Where user-supplied URLs may lead from this API process (hosted: public or allow-listed only),
 * and whether stdio MCP servers may be started (local mode only).
 */
export function outboundOf(deps: ApiDeps): OutboundPolicy {
  return outboundPolicyFor(deps.config.mode, deps.config.outboundAllow);
}

/**
 * Refuses to store an MCP server the outbound policy would never start or reach: in hosted mode a
 * stdio server (400 naming `body.transport.type`), or a URL that leads to a private address the
 * operator did not allow (400 naming `body.transport.url`).
 */
export async function requireUsableMcpTransport(
  deps: ApiDeps,
  name: string | undefined,
  transport: McpTransport | undefined,
) {
  if (transport?.type === "stdio") {
    const refusal = stdioRefusal(outboundOf(deps), name ?? "");
    if (refusal) throw Invalid.field("body.transport.type", refusal);
    return;
  }
  await requireReachable(deps, "body.transport.url", transport?.url);
}

/**
 * Refuses to store a service URL (an MCP server's, a provider's base URL) that the outbound policy
 * would never connect to: 400 naming the field, the address and how an operator allows it.
 */
export async function requireReachable(deps: ApiDeps, path: string, url: string | null | undefined) {
  if (!url) return;
  const refusal = await serviceUrlRefusal(outboundOf(deps), url);
  if (refusal) throw Invalid.field(path, `a hosted Studio will not connect to this URL. ${refusal}`);
}

/** The scheme and authority of a URL template, or null when a placeholder sits in them. */
function fixedOrigin(template: string): string | null {
  const authority = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i.exec(template)?.[0];
  return authority && !authority.includes("{") ? authority : null;
}

/**
 * In hosted mode an HTTP tool's `allowPrivateNetwork` cannot open private networks: only the
 * operator's allow-list does. Asking for it is refused unless the tool's fixed host is public or
 * allow-listed anyway, so nobody stores a tool that silently does less than it says.
 */
export async function requirePrivateNetworkAllowed(
  deps: ApiDeps,
  config: { kind: string; url?: string; allowPrivateNetwork?: boolean } | undefined,
) {
  if (deps.config.mode !== "hosted" || config?.kind !== "http" || !config.allowPrivateNetwork) return;
  const path = "body.config.allowPrivateNetwork";
  const origin = fixedOrigin(config.url ?? "");
  if (!origin) {
    throw Invalid.field(
      path,
      "has no effect in a hosted Studio, and this tool's host comes from its input, so where it leads is unknown. Set it to false: private hosts are reachable only when the Studio's operator lists them in AGENTOS_OUTBOUND_ALLOW.",
    );
  }
  const refusal = await serviceUrlRefusal(outboundOf(deps), `${origin}/`);
  if (refusal) throw Invalid.field(path, `has no effect in a hosted Studio. ${refusal}`);
}
