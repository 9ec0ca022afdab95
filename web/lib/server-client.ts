import { type AgentOsClient, createClient } from "@agentos/client";
import { cookies, headers } from "next/headers";
import { CONNECTION_COOKIE, parseConnection } from "./connection";
import { getStudio } from "./studio";

// The in-process API needs an absolute URL to route on; nothing is sent over a network.
const IN_PROCESS_ORIGIN = "http://studio.internal";

/**
 * The contract API client for server components: the in-process API of this Studio (no HTTP
 * round trip), or the remote server the user chose in Settings → Connection. A remote choice is
 * honoured only in local mode, so a hosted Studio never fetches URLs a visitor put in a cookie.
 */
export async function serverClient(): Promise<AgentOsClient> {
  const studio = await getStudio();
  const connection = parseConnection((await cookies()).get(CONNECTION_COOKIE)?.value);
  if (connection.kind === "remote" && studio.deps.config.mode === "local") {
    return createClient({
      baseUrl: connection.url,
      ...(connection.token ? { token: connection.token } : {}),
    });
  }
  // The visitor's credentials go along, so a hosted Studio's session applies to these reads too.
  const incoming = await headers();
  const forwarded = Object.fromEntries(
    ["cookie", "authorization"].flatMap((name) => {
      const value = incoming.get(name);
      return value ? [[name, value]] : [];
    }),
  );
  return createClient({
    baseUrl: IN_PROCESS_ORIGIN,
    fetch: async (input, init) => {
      const request = new Request(input, init);
      for (const [name, value] of Object.entries(forwarded)) {
        if (!request.headers.has(name)) request.headers.set(name, value);
      }
      return studio.api.fetch(request);
    },
  });
}

/** Runs a read and keeps its error to render in the page, instead of an error boundary without detail. */
export async function attempt<T>(
  read: () => Promise<T>,
): Promise<{ ok: true; value: T } | { ok: false; error: unknown }> {
  try {
    return { ok: true, value: await read() };
  } catch (error) {
    return { ok: false, error };
  }
}
