/**
 * Hop-by-hop headers (RFC 9110 §7.6.1) and their common unofficial kin: a proxy never forwards
 * them (the worker's domain proxy and the API's /api/sandbox-proxy alike).
 */
export const HOP_BY_HOP_HEADERS: ReadonlySet<string> = new Set([
  "connection",
  "keep-alive",
  "proxy-connection",
  "proxy-authenticate",
  "proxy-authorization",
  "te",
  "trailer",
  "transfer-encoding",
  "upgrade",
]);

/** The Studio's own cookies: Better Auth's session (prefix `agentos`) and the UI's connection choice. */
const STUDIO_COOKIE = /^(__Secure-|__Host-)?agentos[.-]/;

/**
 * Removes, in place, the Studio's own credentials from a request bound for a sandbox site: code in
 * a sandbox must never see a Studio session cookie or API token (`Bearer agt_…`) that a browser or
 * script sent along. The site's own cookies and Authorization pass. Both site proxies (the
 * worker's domain proxy and the API's /api/sandbox-proxy) call it.
 */
export function stripStudioCredentials(headers: Record<string, string | string[] | undefined>): void {
  const cookie = headers.cookie;
  if (typeof cookie === "string") {
    const kept = cookie
      .split(";")
      .map((c) => c.trim())
      .filter((c) => c && !STUDIO_COOKIE.test(c.includes("=") ? c.slice(0, c.indexOf("=")) : c));
    if (kept.length > 0) headers.cookie = kept.join("; ");
    else delete headers.cookie;
  }
  const authorization = headers.authorization;
  if (typeof authorization === "string" && /^bearer\s+agt_/i.test(authorization))
    delete headers.authorization;
}
