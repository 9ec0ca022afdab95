// Runs once when the Next.js server starts: a bad setting stops the process with the variable's
// name, as every other process does, instead of surfacing on the first request.
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { parseEnv, StudioEnv } = await import("@agentos/api/node");
  try {
    parseEnv(StudioEnv, process.env, "agentos-web");
  } catch (error) {
    console.error((error as Error).message);
    process.exit(1);
  }
}
