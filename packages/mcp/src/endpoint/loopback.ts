// Which requests may act for the local workspace without a token: only those that provably come
// from this machine to a Studio that listens on loopback alone.

/** True for 127.0.0.0/8, ::1 and IPv4-mapped loopback (::ffff:127.x). */
export function isLoopbackAddress(address: string): boolean {
  const bare = address
    .trim()
    .replace(/^\[|\]$/g, "")
    .toLowerCase();
  if (bare === "::1" || bare === "0:0:0:0:0:0:0:1") return true;
  const v4 = bare.startsWith("::ffff:") ? bare.slice(7) : bare;
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(v4);
}

/** True for a listen/bind host that only loopback clients can reach (`localhost`, 127.x, ::1). */
export function isLoopbackHost(host: string): boolean {
  const bare = host.trim().toLowerCase();
  return bare === "localhost" || bare.endsWith(".localhost") || isLoopbackAddress(bare);
}

/** The host name of a Host header value (`localhost:3000` → `localhost`, `[::1]:80` → `::1`). */
export function hostnameOf(hostHeader: string): string {
  const value = hostHeader.trim();
  if (value.startsWith("[")) return value.slice(1, value.indexOf("]"));
  const colons = value.split(":").length - 1;
  return colons === 1 ? value.slice(0, value.indexOf(":")) : value;
}

export interface RequestOrigin {
  /** The TCP peer, when the mount knows it (the headless server does; Next.js puts it in X-Forwarded-For). */
  remoteAddress?: string | undefined;
  headers: Headers;
}

/**
 * Why a request without a token may not act for the local workspace, or null when it may:
 * every hop (the peer and each X-Forwarded-For entry) is loopback, the Host header names
 * loopback (so a DNS-rebound page cannot pass), and a browser Origin, if any, is loopback too.
 */
export function anonymousRefusal(request: RequestOrigin): string | null {
  const hops = (request.headers.get("x-forwarded-for") ?? "")
    .split(",")
    .map((h) => h.trim())
    .filter(Boolean);
  if (request.remoteAddress) hops.push(request.remoteAddress);
  if (hops.length === 0) return "the client's address is unknown";
  const remote = hops.find((h) => !isLoopbackAddress(h));
  if (remote) return `the request comes from ${remote}, not from this machine`;
  const host = request.headers.get("host");
  if (!host || !isLoopbackHost(hostnameOf(host))) {
    return `the Host header (${host ?? "none"}) does not name this machine`;
  }
  const origin = request.headers.get("origin");
  if (origin !== null) {
    let originHost: string | undefined;
    try {
      originHost = new URL(origin).hostname;
    } catch {
      // "null" (an opaque origin) and garbage fall through as not loopback.
    }
    if (!originHost || !isLoopbackHost(originHost))
      return `the Origin ${origin} is not a page on this machine`;
  }
  return null;
}
