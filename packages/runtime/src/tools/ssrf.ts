import { lookup as dnsLookup } from "node:dns/promises";
import ipaddr from "ipaddr.js";
import { type AllowList, type Destination, isAllowListed } from "./allow-list";
import { ToolFailure } from "./tool-failure";

/** One resolved address of a host. */
export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** Resolves a host name to every address it has (node:dns `lookup` with `all: true` by default). */
export type HostLookup = (hostname: string) => Promise<ResolvedAddress[]>;

/** The ipaddr.js range name of an address: "unicast" for a public address, else "loopback", "private", … */
export type ClassifyAddress = (address: string) => string;

export interface NetworkPolicy {
  /** Let requests reach loopback, private, link-local and other non-public addresses. */
  allowPrivateNetwork: boolean;
  /** Non-public destinations the operator allowed anyway (hosted mode's `AGENTOS_OUTBOUND_ALLOW`). */
  allowList?: AllowList;
  /**
   * How the refusal message tells the reader to allow a private address, ending "To allow it, …":
   * e.g. "set allowPrivateNetwork: true in the tool's config", or built from the refused destination.
   */
  howToAllow: string | ((destination: Destination) => string);
  lookup?: HostLookup;
  /** Test seam: lets a test declare a loopback address "public"; production uses {@link rangeOf}. */
  classify?: ClassifyAddress;
}

/** A URL whose host resolved only to addresses the policy allows; connect to these, not to a new lookup. */
export interface VettedUrl {
  url: URL;
  addresses: ResolvedAddress[];
}

const RANGE_LABELS: Record<string, string> = {
  loopback: "a loopback address",
  private: "a private-network address (RFC 1918)",
  linkLocal: "a link-local address (this includes cloud metadata services such as 169.254.169.254)",
  uniqueLocal: "a unique-local IPv6 address",
  carrierGradeNat: "a carrier-grade NAT address (100.64.0.0/10)",
  multicast: "a multicast address",
  unspecified: "the unspecified address",
  broadcast: "the broadcast address",
  reserved: "a reserved address",
};

const toIpv4 = (bytes: number[]) => ipaddr.fromByteArray(bytes) as ipaddr.IPv4;

/** Whether an IPv6 address is IPv4-compatible (`::a.b.c.d`, the deprecated `::/96` of RFC 4291). */
const isIpv4Compatible = (bytes: number[]) => bytes.slice(0, 12).every((b) => b === 0);

/**
 * The range of an address, looking through the IPv6 forms that embed an IPv4 address (IPv4-mapped
 * `::ffff:a.b.c.d`, IPv4-compatible `::a.b.c.d`, NAT64 `64:ff9b::a.b.c.d`, SIIT, 6to4), so
 * `::ffff:127.0.0.1` and `::127.0.0.1` are "loopback".
 */
export function rangeOf(address: string): string {
  const ip = ipaddr.parse(address);
  if (ip.kind() === "ipv4") return ip.range();
  const v6 = ip as ipaddr.IPv6;
  const range = v6.range();
  const bytes = v6.toByteArray();
  // ipaddr.js calls `::/96` unicast; `::` and `::1` keep their own ranges.
  if (range === "unicast" && isIpv4Compatible(bytes)) return toIpv4(bytes.slice(12)).range();
  switch (range) {
    case "ipv4Mapped":
      return v6.toIPv4Address().range();
    case "rfc6052":
    case "rfc6145":
      return toIpv4(bytes.slice(12)).range();
    case "6to4":
      return toIpv4(bytes.slice(2, 6)).range();
    default:
      return range;
  }
}

/**
 * The one policy decision: why `address` may not be reached under `policy`, or null when it may.
 * Public addresses always may; others only when the policy allows private networks, or when the
 * allow-list names the destination (its host name, or the address, either with its port).
 */
export function refusalOf(
  address: string,
  policy: Pick<NetworkPolicy, "allowPrivateNetwork" | "allowList" | "classify">,
  target?: Omit<Destination, "address">,
): string | null {
  if (policy.allowPrivateNetwork) return null;
  const range = (policy.classify ?? rangeOf)(address);
  if (range === "unicast") return null;
  if (policy.allowList && target && isAllowListed(policy.allowList, { ...target, address })) return null;
  return RANGE_LABELS[range] ?? `a special-purpose address (${range})`;
}

/** The port a URL connects to, its scheme's default when it names none. */
export const portOf = (url: URL): number =>
  url.port ? Number(url.port) : url.protocol === "https:" ? 443 : 80;

const systemLookup: HostLookup = async (hostname) => {
  const found = await dnsLookup(hostname, { all: true, verbatim: true });
  return found.map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 }));
};

/** How `policy` resolves host names: its own `lookup`, else the system resolver. */
export const hostLookupOf = (policy: Pick<NetworkPolicy, "lookup">): HostLookup =>
  policy.lookup ?? systemLookup;

/** The bare address of an IP-literal host (`[::1]` → `::1`), or null for a name. */
function literalAddress(hostname: string): string | null {
  const bare = hostname.startsWith("[") && hostname.endsWith("]") ? hostname.slice(1, -1) : hostname;
  return ipaddr.isValid(bare) ? bare : null;
}

/**
 * Checks the addresses a request to `url` would connect to: each must be public unless the policy
 * allows it. Throws a {@link ToolFailure} naming the first refused address, the rule and how to allow it.
 */
export function vetAddresses(url: URL, addresses: readonly ResolvedAddress[], policy: NetworkPolicy): void {
  const target = { hostname: url.hostname, port: portOf(url) };
  for (const { address } of addresses) {
    const refusal = refusalOf(address, policy, target);
    if (refusal) {
      const via = literalAddress(url.hostname) ? "" : ` (${url.hostname} resolves to it)`;
      const howToAllow =
        typeof policy.howToAllow === "string" ? policy.howToAllow : policy.howToAllow({ ...target, address });
      throw new ToolFailure(
        `Refused to connect to ${address}${via} for ${url.href}: it is ${refusal}, and requests may only reach public addresses (private-network rule). To allow it, ${howToAllow}.`,
        { details: { refusedAddress: address, rule: "private-network" }, reason: "blocked" },
      );
    }
  }
}

/**
 * Checks what a URL shows without DNS: the scheme must be http(s), and an IP-literal host's address
 * must be allowed. Returns the URL and that address (null for a host name, left to the caller to
 * resolve and vet). Throws a {@link ToolFailure} as {@link vetUrl} does.
 */
export function vetUrlWithoutDns(
  raw: string | URL,
  policy: NetworkPolicy,
): { url: URL; literal: ResolvedAddress | null } {
  let url: URL;
  try {
    url = new URL(raw);
  } catch (cause) {
    throw new ToolFailure(`"${String(raw)}" is not a valid URL; send an absolute http(s) URL.`, { cause });
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new ToolFailure(
      `Refused ${url.protocol}// URL ${url.href}: only http and https URLs may be requested (scheme rule).`,
      { reason: "blocked" },
    );
  }
  const bare = literalAddress(url.hostname);
  if (!bare) return { url, literal: null };
  const literal: ResolvedAddress = { address: bare, family: ipaddr.parse(bare).kind() === "ipv6" ? 6 : 4 };
  vetAddresses(url, [literal], policy);
  return { url, literal };
}

/**
 * Checks a URL before a request: the scheme must be http(s), and every address its host resolves
 * to must be public unless the policy allows private networks. Throws a {@link ToolFailure} naming
 * the rule that refused it and how to allow it.
 */
export async function vetUrl(raw: string | URL, policy: NetworkPolicy): Promise<VettedUrl> {
  const { url, literal } = vetUrlWithoutDns(raw, policy);
  if (literal) return { url, addresses: [literal] };
  let addresses: ResolvedAddress[];
  try {
    addresses = await hostLookupOf(policy)(url.hostname);
  } catch (cause) {
    throw new ToolFailure(`Could not resolve host ${url.hostname} for ${url.href}.`, {
      cause,
      reason: "network",
    });
  }
  if (addresses.length === 0)
    throw new ToolFailure(`Host ${url.hostname} has no address.`, { reason: "network" });
  vetAddresses(url, addresses, policy);
  return { url, addresses };
}
