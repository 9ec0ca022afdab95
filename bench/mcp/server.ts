import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { createServer } from "node:net";

/** A Studio process for the benchmark, in its own process group. */
export interface StudioProcess {
  name: string;
  baseUrl: string;
  output(): string;
  stop(): Promise<void>;
}

const live = new Set<ChildProcess>();

export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const address = server.address();
  server.close();
  if (typeof address !== "object" || !address) throw new Error("could not read the port of a probe socket");
  return address.port;
}

function signal(child: ChildProcess, name: NodeJS.Signals): void {
  if (!child.pid || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, name);
  } catch {
    // The group is already gone.
  }
}

/** Kills every started process group; synchronous, for an `exit` handler. */
export function killAll(): void {
  for (const child of live) signal(child, "SIGKILL");
  live.clear();
}

/** Starts `args` with node and waits until /api/health answers, or the process exits. */
export async function startStudio(
  name: string,
  args: (port: number) => string[],
  options: { cwd: string; env: Record<string, string | undefined>; readyTimeoutMs: number },
): Promise<StudioProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, args(port), {
    cwd: options.cwd,
    env: { ...options.env, PORT: String(port) },
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  live.add(child);
  let log = "";
  const keep = (chunk: Buffer) => {
    log = (log + chunk.toString("utf8")).slice(-4000);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  const exited = once(child, "exit");
  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + options.readyTimeoutMs;
  for (let delay = 50; ; delay = Math.min(delay * 2, 500)) {
    if (child.exitCode !== null) throw new Error(`${name} exited (${child.exitCode}):\n${log}`);
    const ready = await fetch(`${baseUrl}/api/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (ready) break;
    if (Date.now() > deadline) {
      signal(child, "SIGKILL");
      throw new Error(`${name} not ready after ${options.readyTimeoutMs} ms:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, delay));
  }
  return {
    name,
    baseUrl,
    output: () => log,
    stop: async () => {
      signal(child, "SIGTERM");
      const grace = new Promise((r) => setTimeout(r, 5000).unref());
      await Promise.race([exited, grace]);
      signal(child, "SIGKILL");
      live.delete(child);
    },
  };
}
