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
