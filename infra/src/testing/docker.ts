import { execFile, spawn } from "node:child_process";
import { mkdirSync, rmSync, statSync } from "node:fs";
import { connect, createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { legacySandboxScopeOfKey } from "@agentos/db";

const run = promisify(execFile);
export const REPO_ROOT = resolve(import.meta.dirname, "../../..");

/** Runs the docker CLI; resolves with its trimmed stdout, rejects with its stderr. */
export async function docker(...args: string[]): Promise<string> {
  try {
    const { stdout } = await run("docker", args, { maxBuffer: 64 * 1024 * 1024 });
    return stdout.trim();
  } catch (error) {
    const { stderr } = error as { stderr?: string };
    throw new Error(`docker ${args.join(" ")}: ${stderr?.trim() || (error as Error).message}`);
  }
}

/** Runs a command to its end with output captured; rejects with the tail of it on failure. */
export function runCommand(
  command: string,
  args: string[],
  options: { env?: Record<string, string>; cwd?: string } = {},
): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd ?? REPO_ROOT,
      env: { ...process.env, ...options.env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (d) => {
      output += d;
    });
    child.stderr.on("data", (d) => {
      output += d;
    });
    child.once("error", reject);
    child.once("exit", (code) =>
      code === 0
        ? resolvePromise(output)
        : reject(new Error(`${command} ${args.join(" ")} exited ${code}:\n${output.slice(-4000)}`)),
    );
  });
}

export interface BuiltImage {
  tag: string;
  seconds: number;
  bytes: number;
}

/**
 * Builds one target of infra/docker/Dockerfile with infra/docker/build.sh (BuildKit, the CA bundle
 * as build secret, layers and the pnpm store cached across runs).
 */
export async function buildImage(
  target: "studio" | "web" | "worker" | "server",
  tag: string,
): Promise<BuiltImage> {
  const started = performance.now();
  // Test files run side by side: one build at a time, the next one then hits the layer cache.
  await withLock(join(tmpdir(), "agentos-image-build.lock"), () =>
    runCommand("bash", [resolve(REPO_ROOT, "infra/docker/build.sh"), target, tag]),
  );
  const bytes = Number(await docker("image", "inspect", "--format", "{{.Size}}", tag));
  return { tag, seconds: (performance.now() - started) / 1000, bytes };
}

/** Runs `fn` holding a lock directory (mkdir is atomic across processes); a lock older than 30 min is stale. */
async function withLock<T>(path: string, fn: () => Promise<T>): Promise<T> {
  for (;;) {
    try {
      mkdirSync(path);
      break;
    } catch {
      const age = Date.now() - (statSync(path, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (age > 30 * 60_000) rmSync(path, { recursive: true, force: true });
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(path, { recursive: true, force: true });
  }
}

/** The address of the default bridge's gateway: where containers reach the host (host-gateway). */
export async function bridgeGateway(): Promise<string> {
  return docker("network", "inspect", "bridge", "--format", "{{(index .IPAM.Config 0).Gateway}}");
}

/** Relays TCP connections from `listenHost` (e.g. the bridge gateway) to a loopback port. */
export async function startRelay(
  listenHost: string,
  targetPort: number,
): Promise<{ port: number; close(): Promise<void> }> {
  const server: Server = createServer((socket) => {
    const upstream = connect(targetPort, "127.0.0.1");
    socket.pipe(upstream).pipe(socket);
    socket.on("error", () => upstream.destroy());
    upstream.on("error", () => socket.destroy());
  });
  await new Promise<void>((r) => server.listen(0, listenHost, r));
  const address = server.address();
  return {
    port: typeof address === "object" && address ? address.port : 0,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

/**
 * Removes the sandbox containers and volumes a Studio under test made. Their scope label comes from
 * the installation id in the Studio's database, which a test cannot read once the Studio is down:
 * so the scopes are read from the containers of `sandboxIds` (list them before stopping the Studio),
 * plus the key-derived scope releases before the installation id used.
 */
export async function removeSandboxes(options: { secretKey: string; sandboxIds: string[] }): Promise<void> {
  const scopes = new Set([legacySandboxScopeOfKey(options.secretKey)]);
  for (const id of options.sandboxIds) {
    const scope = await docker(
      "inspect",
      "--format",
      '{{index .Config.Labels "dev.agentos.scope"}}',
      `agentos-${id}`,
    ).catch(() => "");
    if (scope) scopes.add(scope);
  }
  for (const scope of scopes) {
    const label = `label=dev.agentos.scope=${scope}`;
    const containers = await docker("ps", "-aq", "--filter", label);
    if (containers) await docker("rm", "-f", ...containers.split("\n")).catch(() => "");
    const volumes = await docker("volume", "ls", "-q", "--filter", label);
    if (volumes) await docker("volume", "rm", "-f", ...volumes.split("\n")).catch(() => "");
  }
}

/** Polls `check` until it is true; throws naming `what` after `timeoutMs`. */
export async function waitUntil(
  check: () => Promise<boolean>,
  what: string,
  timeoutMs = 60_000,
): Promise<number> {
  const started = performance.now();
  for (let delay = 20; ; delay = Math.min(delay * 2, 250)) {
    if (await check().catch(() => false)) return performance.now() - started;
    if (performance.now() - started > timeoutMs)
      throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, delay));
  }
}

/** The host's docker socket group, for `--group-add` so a non-root container may use the socket. */
export async function dockerSocketGroup(): Promise<string> {
  const { stdout } = await run("stat", ["-c", "%g", "/var/run/docker.sock"]);
  return stdout.trim();
}
