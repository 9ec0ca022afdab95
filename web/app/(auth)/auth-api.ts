// The browser side of Better Auth's endpoints under /api/auth, as the sign-in, sign-up, consent
// and invitation pages call them (same origin, so the session cookie travels by itself).

export interface StudioOptions {
  mode: "local" | "hosted";
  signUp: "first" | "invite" | "open";
  providers: Array<{ id: string; name: string; kind: "social" | "oidc" }>;
  oauth: boolean;
}

/** An answer of an auth endpoint that was not a success, with its message. */
export class AuthFailure extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export async function authCall<T>(path: string, body?: unknown): Promise<T> {
  const response = await fetch(`/api/auth${path}`, {
    method: body === undefined ? "GET" : "POST",
    headers: body === undefined ? {} : { "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    credentials: "same-origin",
  });
  const text = await response.text();
  const parsed = text ? (JSON.parse(text) as Record<string, unknown>) : {};
  if (!response.ok) {
    const message = String(parsed.message ?? parsed.detail ?? response.statusText);
    throw new AuthFailure(response.status, message);
  }
  return parsed as T;
}

/** Only same-site paths are followed after sign-in, never another origin. */
export function safeNext(next: string | null): string {
  return next?.startsWith("/") && !next.startsWith("//") ? next : "/";
}

/**
 * The signed OAuth query a page was opened with (`sig` and the parameters it signs), which
 * sign-in and consent send back so an MCP client's authorization continues where it left off.
 */
export function signedOAuthQuery(search: string): string | undefined {
  const params = new URLSearchParams(search);
  const signed = new Set(params.getAll("ba_param"));
  if (!params.has("sig") || signed.size === 0) return undefined;
  const kept = new URLSearchParams();
  for (const [key, value] of params) {
    if (key === "sig" || key === "ba_param" || signed.has(key)) kept.append(key, value);
  }
  return kept.toString();
}

/** Where an auth endpoint says the browser goes next, if anywhere. */
export function redirectOf(result: { url?: unknown; uri?: unknown; redirect_uri?: unknown }): string | null {
  const target = result.url ?? result.uri ?? result.redirect_uri;
  return typeof target === "string" && target ? target : null;
}
