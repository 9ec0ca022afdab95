/**
 * Which AgentOS server the UI talks to: this Studio, or a remote server (URL + API token).
 * The browser keeps the choice in localStorage and mirrors it into a cookie so that server
 * components read from the same server as the browser does.
 */
export type Connection = { kind: "local" } | { kind: "remote"; url: string; token: string };

export const CONNECTION_STORAGE_KEY = "agentos.connection";
export const CONNECTION_COOKIE = "agentos-connection";

export const LOCAL: Connection = { kind: "local" };

/** Parses a stored connection; anything malformed is "this Studio". */
export function parseConnection(raw: string | null | undefined): Connection {
  if (!raw) return LOCAL;
  try {
    const value = JSON.parse(raw) as Partial<{ kind: string; url: string; token: string }>;
    if (value.kind === "remote" && typeof value.url === "string" && /^https?:\/\//.test(value.url)) {
      return { kind: "remote", url: value.url.replace(/\/+$/, ""), token: String(value.token ?? "") };
    }
  } catch {
    // A hand-edited or older value: fall back to this Studio.
  }
  return LOCAL;
}

export function serializeConnection(connection: Connection): string {
  return JSON.stringify(connection);
}
