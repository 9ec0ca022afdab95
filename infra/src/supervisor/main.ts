// The studio image's entry point (PID 1): runs web (Next.js standalone) and the worker side by
// side. A crash of either is logged and stops the container with that exit code, so the restart
// policy sees it; SIGTERM drains both (the worker hands its runs back) within SHUTDOWN_TIMEOUT_MS.
import { type ChildProcess, spawn } from "node:child_process";
import { dirname } from "node:path";
import { SupervisorEnv } from "./config";
import { createSupervisorLog } from "./log";
import { createMcpPortProxy } from "./mcp-port";

const config = (() => {
  const parsed = SupervisorEnv.safeParse(process.env);
  if (parsed.success) return parsed.data;
  const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
  console.error(`agentos-studio: invalid configuration\n${lines.join("\n")}`);
  process.exit(1);
})();
const log = createSupervisorLog(config.LOG_FORMAT, config.LOG_LEVEL);
const logger = {
  info: (fields: Record<string, unknown>, msg: string) => log("info", fields, msg),
  warn: (fields: Record<string, unknown>, msg: string) => log("warn", fields, msg),
  error: (fields: Record<string, unknown>, msg: string) => log("error", fields, msg),
};

const children: Array<{ name: string; child: ChildProcess }> = [
  {
    name: "web",
    script: config.AGENTOS_WEB_SERVER,
    // Next's standalone server reads HOSTNAME, which Docker sets to the container id.
    env: { PORT: String(config.PORT), HOSTNAME: config.HOST, HOST: config.HOST },
  },
  { name: "worker", script: config.AGENTOS_WORKER_ENTRY, env: {} },
].map(({ name, script, env }) => ({
  name,
  // On the command line rather than in NODE_OPTIONS, which refuses most V8 flags.
  child: spawn(process.execPath, [...config.AGENTOS_NODE_OPTIONS.split(/\s+/).filter(Boolean), script], {
    cwd: dirname(script),
    env: { ...process.env, NODE_ENV: "production", ...env },
    stdio: ["ignore", "inherit", "inherit"],
  }),
}));

const mcp = config.MCP_PORT ? createMcpPortProxy(config.PORT) : null;
mcp?.listen(config.MCP_PORT, config.HOST, () => logger.info({ port: config.MCP_PORT }, "MCP port open"));

let stopping = false;
const exited = children.map(
  ({ child }) => new Promise<void>((resolve) => child.once("exit", () => resolve())),
);

async function stopAll(reason: string, exitCode: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  logger.info({ reason }, "stopping web and worker");
  mcp?.close();
  for (const { child } of children)
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
  const force = setTimeout(() => {
    logger.warn({ timeoutMs: config.SHUTDOWN_TIMEOUT_MS }, "drain timed out; killing");
    for (const { child } of children) child.kill("SIGKILL");
  }, config.SHUTDOWN_TIMEOUT_MS);
  await Promise.all(exited);
  clearTimeout(force);
  process.exit(exitCode);
}

for (const { name, child } of children) {
  child.once("exit", (code, signal) => {
    if (stopping) return;
    logger.error({ process: name, code, signal }, `${name} exited; stopping the Studio`);
    void stopAll(`${name} exited`, code || 1);
  });
}
for (const signal of ["SIGTERM", "SIGINT"] as const) process.on(signal, () => void stopAll(signal, 0));
logger.info(
  { port: config.PORT, mcpPort: config.MCP_PORT ?? null, pids: children.map((c) => c.child.pid) },
  "studio started (web + worker)",
);
