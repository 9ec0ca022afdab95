// Runs once when the Next.js server starts: a bad setting stops the process with the variable's
// name, as every other process does, instead of surfacing on the first request.
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { assertSafeBind, parseEnv, StudioEnv } = await import("@agentos/api/node");
  try {
    const env = parseEnv(StudioEnv, process.env, "agentos-web");
    // `next start -H` does not tell the app where it listens; the launchers pass the same HOST.
    assertSafeBind(env.AGENTOS_MODE, process.env.HOST ?? "127.0.0.1", "agentos-web");
  } catch (error) {
    console.error((error as Error).message);
    process.exit(1);
  }
}
