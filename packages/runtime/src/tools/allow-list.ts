import ipaddr from "ipaddr.js";

type Ip = ipaddr.IPv4 | ipaddr.IPv6;

/** One host name (`*.` for its subdomains), address or network, with an optional port. */
type AllowEntry =
  | { kind: "host"; name: string; isWildcard: boolean; port: number | null }
  | { kind: "network"; network: [Ip, number]; port: number | null };

/**
 * The operator's list of hosts and networks that user-supplied URLs may reach although they are
 * private (an internal Ollama, an MCP server on the cluster network). Built by {@link parseAllowList}.
 */
export interface AllowList {
  /** The entries as the operator wrote them, for messages. */
  readonly entries: readonly string[];
  readonly matchers: readonly AllowEntry[];
}

export const EMPTY_ALLOW_LIST: AllowList = { entries: [], matchers: [] };

/** Where a request goes: the URL's host name as written, one address it resolved to, and the port. */
export interface Destination {
  hostname: string;
  address: string;
  port: number;
}

const HOST_NAME =
  /^(\*\.)?([a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)(\.[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)*$/;

/** An IPv4-mapped IPv6 address (`::ffff:10.0.0.1`) as the IPv4 address it is, so one entry covers both. */
const normalized = (ip: Ip): Ip => (ip.kind() === "ipv6" ? ipaddr.process(ip.toString()) : ip);

const isIpLiteral = (text: string) =>
  ipaddr.IPv4.isValidFourPartDecimal(text) || (text.includes(":") && ipaddr.IPv6.isValid(text));

function parsePort(text: string, entry: string): number {
  const port = /^\d{1,5}$/.test(text) ? Number(text) : Number.NaN;
  if (!(port >= 1 && port <= 65535)) throw new Error(`"${entry}": the port must be 1–65535`);
  return port;
}

function parseEntry(entry: string): AllowEntry {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(entry)) {
    throw new Error(`"${entry}": write a host, address or network without a scheme or path`);
  }
  if (entry.includes("/")) {
    if (!ipaddr.isValidCIDR(entry)) throw new Error(`"${entry}": not a network in CIDR notation`);
    const [ip, bits] = ipaddr.parseCIDR(entry);
    const network: [Ip, number] =
      ip.kind() === "ipv6" && (ip as ipaddr.IPv6).isIPv4MappedAddress() && bits >= 96
        ? [(ip as ipaddr.IPv6).toIPv4Address(), bits - 96]
        : [ip, bits];
    return { kind: "network", network, port: null };
  }
  const bracketed = /^\[([^\]]+)\](?::(.*))?$/.exec(entry);
  if (bracketed) {
    const [, address = "", port] = bracketed;
    if (!ipaddr.IPv6.isValid(address)) throw new Error(`"${entry}": not an IPv6 address`);
    const ip = normalized(ipaddr.parse(address));
    return {
      kind: "network",
      network: [ip, ip.kind() === "ipv4" ? 32 : 128],
      port: port === undefined ? null : parsePort(port, entry),
    };
  }
  if (isIpLiteral(entry)) {
    const ip = normalized(ipaddr.parse(entry));
    return { kind: "network", network: [ip, ip.kind() === "ipv4" ? 32 : 128], port: null };
  }
  const colon = entry.lastIndexOf(":");
  const host = (colon === -1 ? entry : entry.slice(0, colon)).toLowerCase().replace(/\.$/, "");
  const port = colon === -1 ? null : parsePort(entry.slice(colon + 1), entry);
  if (isIpLiteral(host)) {
    const ip = normalized(ipaddr.parse(host));
    return { kind: "network", network: [ip, 32], port };
  }
  const match = HOST_NAME.exec(host);
  if (!match || host.length > 253) {
    throw new Error(
      `"${entry}": not a host name, IP address (with an optional :port, IPv6 in brackets) or CIDR network`,
    );
  }
  return { kind: "host", name: match[1] ? host.slice(2) : host, isWildcard: Boolean(match[1]), port };
}

/**
 * Parses a comma-separated allow-list: host names (`ollama.internal`, `*.svc.cluster.local`), IP
 * addresses (`10.0.0.5`, `[fd00::5]`), either with an optional port (`127.0.0.1:11434`), and CIDR
 * networks (`10.20.0.0/16`, `fd00::/8`). Throws an Error naming the first bad entry.
 */
export function parseAllowList(text: string): AllowList {
  const entries = text
    .split(",")
    .map((e) => e.trim())
    .filter(Boolean);
  return { entries, matchers: entries.map(parseEntry) };
}

function matches(entry: AllowEntry, destination: Destination): boolean {
  if (entry.port !== null && entry.port !== destination.port) return false;
  if (entry.kind === "host") {
    const host = destination.hostname.toLowerCase().replace(/\.$/, "");
    return entry.isWildcard ? host.endsWith(`.${entry.name}`) : host === entry.name;
  }
  if (!ipaddr.isValid(destination.address)) return false;
  const ip = normalized(ipaddr.parse(destination.address));
  const [network, bits] = entry.network;
  return ip.kind() === network.kind() && ip.match(network, bits);
}

/** Whether the operator allowed this destination, by its host name or by its address. */
export function isAllowListed(list: AllowList, destination: Destination): boolean {
  return list.matchers.some((entry) => matches(entry, destination));
}
