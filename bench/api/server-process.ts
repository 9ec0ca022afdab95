import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { createServer } from "node:net";

export interface ServerProcessOptions {
  name: string;
  command: string;
  args: string[];
  cwd: string;
  env: Record<string, string | undefined>;
  /** Polled until it answers 2xx; the process is then ready. */
  readyUrl: string;
  readyTimeoutMs: number;
}

export interface ServerProcess {
  name: string;
  pid: number;
  /** The last lines the process printed, for error messages. */
  outputTail(): string;
  stop(): Promise<void>;
}

const OUTPUT_TAIL_CHARS = 4000;
const STOP_GRACE_MS = 5000;
const running = new Set<ChildProcess>();

/** A free TCP port on the loopback interface. */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const address = server.address();
  server.close();
  if (typeof address !== "object" || !address) throw new Error("could not read the port of a probe socket");
  return address.port;
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    // Negative pid: the whole process group, so tsx's and next's own children go too.
    process.kill(-child.pid, signal);
  } catch {
    // ESRCH: the group is already gone.
  }
}

/** Kills every process group still running; synchronous, so it can run in an `exit` handler. */
export function killAllServerProcesses(): void {
  for (const child of running) signalGroup(child, "SIGKILL");
  running.clear();
}

/** Starts a server in its own process group and resolves once `readyUrl` answers 2xx. */
export async function startServerProcess(options: ServerProcessOptions): Promise<ServerProcess> {
  const child = spawn(options.command, options.args, {
    cwd: options.cwd,
    env: options.env,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  running.add(child);
  let tail = "";
  // Always drained: a full pipe would block the server's writes mid-benchmark.
  const keep = (chunk: Buffer) => {
    tail = (tail + chunk.toString("utf8")).slice(-OUTPUT_TAIL_CHARS);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const spawnError = new Promise<never>((_, reject) => child.once("error", reject));
  spawnError.catch(() => {}); // observed by the race below; later errors surface as an exit

  const stop = async () => {
    signalGroup(child, "SIGTERM");
    const grace = new Promise<void>((resolve) => setTimeout(resolve, STOP_GRACE_MS).unref());
    await Promise.race([exited, grace]);
    signalGroup(child, "SIGKILL");
    running.delete(child);
  };
  const processOf = (pid: number): ServerProcess => ({
    name: options.name,
    pid,
    outputTail: () => tail.trim(),
    stop,
  });

  const deadline = Date.now() + options.readyTimeoutMs;
  const ready = (async () => {
    while (Date.now() < deadline) {
      if (child.exitCode !== null || child.signalCode !== null) {
        throw new Error(
          `${options.name} exited (${child.exitCode ?? child.signalCode}) before it was ready:\n${tail.trim()}`,
        );
      }
      const response = await fetch(options.readyUrl, { signal: AbortSignal.timeout(2000) }).catch(() => null);
      await response?.body?.cancel();
      if (response?.ok) return;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    throw new Error(
      `${options.name} did not answer ${options.readyUrl} within ${options.readyTimeoutMs} ms:\n${tail.trim()}`,
    );
  })();
  try {
    await Promise.race([ready, spawnError]);
  } catch (error) {
    await stop();
    throw error;
  }
  return processOf(child.pid as number);
}
