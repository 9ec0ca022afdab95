"use client";
import { type AgentOsClient, createClient } from "@agentos/client";
import { useMemo, useSyncExternalStore } from "react";
import {
  CONNECTION_COOKIE,
  CONNECTION_STORAGE_KEY,
  type Connection,
  LOCAL,
  parseConnection,
  serializeConnection,
} from "./connection";

const listeners = new Set<() => void>();
let cachedRaw: string | null | undefined;
let cached: Connection = LOCAL;

function readConnection(): Connection {
  const raw = typeof localStorage === "undefined" ? null : localStorage.getItem(CONNECTION_STORAGE_KEY);
  if (raw !== cachedRaw) {
    cachedRaw = raw;
    cached = parseConnection(raw);
  }
  return cached;
}

/** Saves the connection in localStorage and the cookie server components read. */
export function saveConnection(connection: Connection): void {
  if (connection.kind === "local") {
    localStorage.removeItem(CONNECTION_STORAGE_KEY);
    // biome-ignore lint/suspicious/noDocumentCookie: the cookie is how server components learn the choice.
    document.cookie = `${CONNECTION_COOKIE}=; path=/; max-age=0; samesite=strict`;
  } else {
    const value = serializeConnection(connection);
    localStorage.setItem(CONNECTION_STORAGE_KEY, value);
    // biome-ignore lint/suspicious/noDocumentCookie: the cookie is how server components learn the choice.
    document.cookie = `${CONNECTION_COOKIE}=${encodeURIComponent(value)}; path=/; max-age=31536000; samesite=strict`;
  }
  for (const listener of listeners) listener();
}

function subscribe(listener: () => void) {
  listeners.add(listener);
  window.addEventListener("storage", listener);
  return () => {
    listeners.delete(listener);
    window.removeEventListener("storage", listener);
  };
}

/** The current connection (this Studio on the server render). */
export function useConnection(): Connection {
  return useSyncExternalStore(subscribe, readConnection, () => LOCAL);
}

/** A client for a connection: same-origin `/api/*` for this Studio. */
export function clientFor(connection: Connection): AgentOsClient {
  if (connection.kind === "remote") {
    return createClient({
      baseUrl: connection.url,
      ...(connection.token ? { token: connection.token } : {}),
    });
  }
  return createClient({
    baseUrl: typeof window === "undefined" ? "http://localhost" : window.location.origin,
  });
}

/** The contract API client the browser uses, following Settings → Connection. */
export function useClient(): AgentOsClient {
  const connection = useConnection();
  return useMemo(() => clientFor(connection), [connection]);
}
