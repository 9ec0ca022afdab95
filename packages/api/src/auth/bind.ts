/** True for a listen address only this machine can reach: localhost, 127.0.0.0/8, ::1. */
export function isLoopbackBind(host: string): boolean {
  const bare = host
    .trim()
    .replace(/^\[|\]$/g, "")
    .toLowerCase();
  if (bare === "localhost" || bare.endsWith(".localhost") || bare === "::1") return true;
  const v4 = bare.startsWith("::ffff:") ? bare.slice(7) : bare;
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(v4);
}

/**
 * Refuses to serve a local-mode Studio (no login) beyond loopback: anyone on the network would
 * act as its owner. Called by every process before it listens (headless server, web, worker).
 */
export function assertSafeBind(mode: "local" | "hosted", host: string, processName: string): void {
  if (mode === "hosted" || isLoopbackBind(host)) return;
  throw new Error(
    `${processName}: refusing to listen on ${host} in local mode, which has no login — anyone who can reach ${host} would control this Studio. ` +
      "Listen on 127.0.0.1 (HOST=127.0.0.1), or enable accounts with AGENTOS_MODE=hosted (and AGENTOS_SECRET_KEY, AGENTOS_ADMIN_EMAIL, AGENTOS_ADMIN_PASSWORD, AGENTOS_PUBLIC_URL).",
  );
}
