import ipaddr from "ipaddr.js";
import { type AllowList, type Destination, EMPTY_ALLOW_LIST } from "./allow-list";
import { createGuardedFetch } from "./guarded-fetch";
import { type HostLookup, type NetworkPolicy, vetUrl } from "./ssrf";
import { ToolFailure } from "./tool-failure";

/** The setting that names the operator's allow-list; refusal messages point to it. */
export const OUTBOUND_ALLOW_SETTING = "AGENTOS_OUTBOUND_ALLOW";

/**
 * Where URLs that users supply (HTTP tools, fetch_page, MCP servers over HTTP, providers' base URLs)
 * may lead. A hosted Studio serves many tenants, so none of their URLs may reach loopback, private,
 * link-local (cloud metadata), CGNAT, multicast, unspecified or other non-public addresses unless
 * the operator allow-listed the destination; a tool's `allowPrivateNetwork` has no effect there. A
 * local Studio trusts its one user: tools decide with `allowPrivateNetwork`, and MCP servers and
 * providers reach any address.
 */
export interface OutboundPolicy {
  /** Hosted mode: URLs reach only public or allow-listed addresses, and no stdio MCP server is started. */
  isHosted: boolean;
  /** Private destinations allowed anyway in hosted mode (`AGENTOS_OUTBOUND_ALLOW`). */
  allowList: AllowList;
  /** Test seam: resolves host names (default: the system resolver). */
  lookup?: HostLookup;
}

/** Today's local-mode behaviour, and the default where no policy is given. */
export const LOCAL_OUTBOUND_POLICY: OutboundPolicy = { isHosted: false, allowList: EMPTY_ALLOW_LIST };

/** The policy of a Studio process in `mode` with the operator's allow-list. */
export function outboundPolicyFor(mode: "local" | "hosted", allowList: AllowList = EMPTY_ALLOW_LIST) {
  return { isHosted: mode === "hosted", allowList } satisfies OutboundPolicy;
}

/** The narrowest allow-list entry that lets this destination through: host (or address) and port. */
function entryFor({ hostname, port }: Destination): string {
  const bare = hostname.startsWith("[") ? hostname.slice(1, -1) : hostname;
  return ipaddr.IPv6.isValid(bare) ? `[${bare}]:${port}` : `${bare}:${port}`;
}

/** What a refusal in hosted mode tells the reader to do, after "To allow it, ". */
export function operatorAdvice(destination: Destination): string {
  return `the Studio's operator adds "${entryFor(destination)}" (or its host name, address or network) to ${OUTBOUND_ALLOW_SETTING} on the Studio and its workers; user settings cannot allow it in hosted mode`;
}

/**
 * The network policy of an HTTP tool or fetch_page: in hosted mode the operator's allow-list alone
 * decides and the tool's own `allowPrivateNetwork` is ignored; in local mode the tool decides.
 */
export function toolNetworkPolicy(
  outbound: OutboundPolicy,
  local: { allowPrivateNetwork: boolean; howToAllow: string },
): NetworkPolicy {
  if (!outbound.isHosted) return { ...local, ...(outbound.lookup ? { lookup: outbound.lookup } : {}) };
  return {
    allowPrivateNetwork: false,
    allowList: outbound.allowList,
    howToAllow: operatorAdvice,
    ...(outbound.lookup ? { lookup: outbound.lookup } : {}),
  };
}

/** The guard for URLs of MCP servers and providers, or null where they may reach anything (local mode). */
function serviceNetworkPolicy(outbound: OutboundPolicy): NetworkPolicy | null {
  return outbound.isHosted
    ? toolNetworkPolicy(outbound, { allowPrivateNetwork: false, howToAllow: "" })
    : null;
}

/** The guarded fetches made so far by {@link policyKey}: with the system resolver, and per test lookup. */
const guardedFetches = new Map<string, typeof fetch>();
const guardedFetchesByLookup = new WeakMap<HostLookup, Map<string, typeof fetch>>();

/**
 * What tells two policies' guarded fetches apart: the mode and the allow-list, whose entries as
 * the operator wrote them determine its matchers (`parseAllowList`).
 */
const policyKey = (outbound: OutboundPolicy) =>
  JSON.stringify([outbound.isHosted, outbound.allowList.entries]);

/**
 * The `fetch` an SDK (AI SDK provider, MCP transport) uses for a user-supplied URL: in hosted mode
 * every request goes through the SSRF guard (vetted, pinned, redirects re-checked); in local mode
 * undefined, so the SDK keeps its own fetch. Every caller with an equal policy gets the same fetch,
 * and so one undici pool per process: tool tests, refreshes and provider tests make a client pool
 * or resolver per request, and a pool each would keep up to 30 s of idle sockets per request.
 * Idle sockets are unref'd and closed by the pool's keep-alive timeout, so nothing needs closing.
 */
export function outboundFetch(outbound: OutboundPolicy): typeof fetch | undefined {
  const policy = serviceNetworkPolicy(outbound);
  if (!policy) return undefined;
  let byPolicy = guardedFetches;
  if (outbound.lookup) {
    byPolicy = guardedFetchesByLookup.get(outbound.lookup) ?? new Map();
    guardedFetchesByLookup.set(outbound.lookup, byPolicy);
  }
  const key = policyKey(outbound);
  const guarded = byPolicy.get(key) ?? createGuardedFetch(policy);
  byPolicy.set(key, guarded);
  return guarded;
}

/**
 * Why an MCP server over stdio may not be started under `outbound`, or null where it may (local
 * mode). A stdio server is a command the Studio and its workers run on their own hosts, so in a
 * hosted Studio anyone who may register one could run anything there. The API refuses to store
 * one, and the MCP client pool refuses to start one stored before.
 */
export function stdioRefusal(outbound: OutboundPolicy, serverName: string): string | null {
  if (!outbound.isHosted) return null;
  return `MCP server "${serverName}" runs over stdio, and stdio MCP servers run only in local mode: a hosted Studio starts no commands on its hosts, since anyone who may register a server could run anything there. Serve it over Streamable HTTP (many servers have a flag for it; a bridge such as supergateway serves a stdio one) and register its URL with transport {"type": "streamable-http", "url": "https://…/mcp"}.`;
}

/**
 * Checks a user-supplied service URL (an MCP server's, a provider's base URL) before it is stored
 * or used: the refusal message when the policy forbids where it leads, else null. A host that does
 * not resolve now is not refused here; the request itself fails later with its own reason.
 */
export async function serviceUrlRefusal(outbound: OutboundPolicy, url: string): Promise<string | null> {
  const policy = serviceNetworkPolicy(outbound);
  if (!policy) return null;
  try {
    await vetUrl(url, policy);
    return null;
  } catch (error) {
    if (ToolFailure.isInstance(error) && error.reason === "blocked") return error.message;
    return null;
  }
}
