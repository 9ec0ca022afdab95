import type { IncomingHttpHeaders } from "node:http";
import { HOP_BY_HOP_HEADERS } from "@agentos/core";

/**
 * Removes hop-by-hop headers, including those the `Connection` header names, in place. A
 * WebSocket handshake keeps `Connection: upgrade` and `Upgrade`, which the next hop needs.
 */
export function stripHopByHop(headers: IncomingHttpHeaders, { isUpgrade = false } = {}): void {
  const connection = headers.connection;
  const named = (Array.isArray(connection) ? connection.join(",") : (connection ?? ""))
    .split(",")
    .map((h) => h.trim().toLowerCase())
    .filter(Boolean);
  for (const name of [...HOP_BY_HOP_HEADERS, ...named]) {
    if (isUpgrade && (name === "connection" || name === "upgrade")) continue;
    delete headers[name];
  }
  if (isUpgrade) {
    headers.connection = "Upgrade";
  }
}

/** Sets X-Forwarded-For (appended), -Proto and -Host (kept when a front proxy already set them). */
export function setForwardedHeaders(
  headers: IncomingHttpHeaders,
  remoteAddress: string | undefined,
  protocol: "http" | "https",
): void {
  const priorFor = headers["x-forwarded-for"];
  const prior = Array.isArray(priorFor) ? priorFor.join(", ") : priorFor;
  if (remoteAddress) headers["x-forwarded-for"] = prior ? `${prior}, ${remoteAddress}` : remoteAddress;
  headers["x-forwarded-proto"] ??= protocol;
  headers["x-forwarded-host"] ??= headers.host ?? "";
}

/** The host name of a Host header: lower-cased, port and trailing dot removed. */
export function hostNameOf(host: string | undefined): string | null {
  if (!host) return null;
  const name = host.startsWith("[") ? host.slice(0, host.indexOf("]") + 1) : host.replace(/:\d+$/, "");
  const normal = name.toLowerCase().replace(/\.$/, "");
  return normal.length > 0 && normal.length <= 253 ? normal : null;
}
