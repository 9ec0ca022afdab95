import { randomBytes } from "node:crypto";
import type { Duplex } from "node:stream";
import type { ExecChunk, ExecRequest, ExecResult } from "@agentos/runtime/sandbox";
import type Docker from "dockerode";
import { WORKDIR } from "./container-spec";
import { DockerStreamDemuxer } from "./demux";

/** The environment variable that tags every process of one exec, so a timeout can find and kill them. */
const EXEC_MARKER = "AGENTOS_EXEC_ID";

/**
 * Kills every process whose environment carries the exec's marker (children inherit it), as the
 * sandbox user. Docker has no "kill exec" call, and an exec's host PID is only meaningful when the
 * worker shares the engine's PID namespace, so the kill runs inside the container.
 */
const KILL_SCRIPT = `pids=
for e in /proc/[0-9]*/environ; do
  if tr '\\0' '\\n' <"$e" 2>/dev/null | grep -qx "${EXEC_MARKER}=$1"; then p=\${e#/proc/}; pids="$pids \${p%/environ}"; fi
done
# Freeze the whole tree first, so no parent runs on for a moment after its children die.
[ -n "$pids" ] && kill -STOP $pids 2>/dev/null; [ -n "$pids" ] && kill -KILL $pids 2>/dev/null; exit 0`;

/** How long a killed exec may take to close its stream before the worker stops waiting. */
const KILL_GRACE_MS = 3000;

export interface ExecOptions {
  user: string;
  /** Sandbox env, overlaid by the request's env. */
  env: Record<string, string>;
  onChunk?: ((chunk: ExecChunk) => void) | undefined;
  signal?: AbortSignal | undefined;
}

class OutputBuffer {
  private readonly parts: Buffer[] = [];
  private kept = 0;
  private readonly decoder = new TextDecoder("utf-8");
  isTruncated = false;

  constructor(private readonly limit: number) {}

  /** Keeps what fits under the limit; returns the kept part's text ("" when nothing fit). */
  add(payload: Buffer): string {
    const room = this.limit - this.kept;
    if (room <= 0) {
      if (payload.length > 0) this.isTruncated = true;
      return "";
    }
    const part = payload.length > room ? payload.subarray(0, room) : payload;
    if (part.length < payload.length) this.isTruncated = true;
    this.parts.push(part);
    this.kept += part.length;
    return this.decoder.decode(part, { stream: true });
  }

  text(): string {
    return Buffer.concat(this.parts, this.kept).toString("utf8");
  }
}

/**
 * Runs one command in a running container: stdout and stderr demultiplexed and streamed to
 * `onChunk`, each kept up to `outputLimitBytes` (the rest is read and dropped, so the process never
 * blocks on a full pipe), and the whole process tree killed when `timeoutMs` elapses or `signal`
 * aborts.
 */
export async function execInContainer(
  container: Docker.Container,
  request: ExecRequest,
  options: ExecOptions,
): Promise<ExecResult> {
  const started = performance.now();
  const marker = randomBytes(12).toString("hex");
  const env = { ...options.env, ...request.env, [EXEC_MARKER]: marker };
  const hasStdin = request.stdin !== undefined && request.stdin !== "";
  const command = typeof request.command === "string" ? ["/bin/sh", "-c", request.command] : request.command;
  const exec = await container.exec({
    Cmd: command,
    Env: Object.entries(env).map(([k, v]) => `${k}=${v}`),
    WorkingDir: request.workdir ?? WORKDIR,
    User: options.user,
    AttachStdin: hasStdin,
    AttachStdout: true,
    AttachStderr: true,
    Tty: false,
  });
  const stream = (await exec.start({ hijack: true, stdin: hasStdin })) as Duplex;

  const stdout = new OutputBuffer(request.outputLimitBytes);
  const stderr = new OutputBuffer(request.outputLimitBytes);
  const demuxer = new DockerStreamDemuxer((name, payload) => {
    const text = (name === "stdout" ? stdout : stderr).add(payload);
    if (text && options.onChunk) options.onChunk({ stream: name, text });
  });
  const closed = new Promise<void>((resolve) => {
    stream.on("data", (chunk: Buffer) => demuxer.push(chunk));
    stream.once("end", resolve);
    stream.once("close", resolve);
    stream.once("error", () => resolve());
  });
  if (hasStdin) stream.end(request.stdin);

  let timedOut = false;
  let aborted = false;
  let killing: Promise<void> | undefined;
  const kill = () => {
    killing ??= killTree(container, marker, options.user).then(async () => {
      const gaveUp = await Promise.race([
        closed.then(() => false),
        new Promise<boolean>((r) => setTimeout(() => r(true), KILL_GRACE_MS).unref()),
      ]);
      if (gaveUp) stream.destroy();
    });
  };
  const timer = setTimeout(() => {
    timedOut = true;
    kill();
  }, request.timeoutMs);
  const onAbort = () => {
    aborted = true;
    kill();
  };
  options.signal?.addEventListener("abort", onAbort, { once: true });
  if (options.signal?.aborted) onAbort();

  try {
    await closed;
    await killing;
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener("abort", onAbort);
  }
  if (aborted && options.signal) throw options.signal.reason ?? new Error("The exec was aborted.");
  const info = await exec.inspect();
  return {
    exitCode: info.Running ? null : (info.ExitCode ?? null),
    timedOut,
    truncated: stdout.isTruncated || stderr.isTruncated,
    stdout: stdout.text(),
    stderr: stderr.text(),
    durationMs: Math.round(performance.now() - started),
  };
}

async function killTree(container: Docker.Container, marker: string, user: string): Promise<void> {
  try {
    const killer = await container.exec({
      Cmd: ["/bin/sh", "-c", KILL_SCRIPT, "kill-exec", marker],
      User: user,
      AttachStdout: true,
      AttachStderr: true,
    });
    const stream = (await killer.start({ hijack: true, stdin: false })) as Duplex;
    stream.resume();
    await new Promise<void>((resolve) => {
      stream.once("end", resolve);
      stream.once("close", resolve);
      stream.once("error", () => resolve());
    });
  } catch {
    // The container may have stopped meanwhile; the caller stops waiting after the grace period.
  }
}
