// Helpers of the hosted-mode tests: a Studio process whose public URL is known before it starts
// (cookies, CSRF and OAuth need it), and HTTP sessions that keep cookies like a browser does.
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { freePort, freshDataDir, REPO_ROOT, until } from "../harness/processes";

/** A 32-byte master key, as hosted mode requires. */
export const HOSTED_SECRET_KEY = Buffer.alloc(32, 11).toString("base64");
export const ADMIN = { email: "admin@studio.test", password: "correct horse battery staple", name: "Admin" };

export interface StudioProcess {
  baseUrl: string;
  dataDir: string;
  process: ChildProcess;
  output(): string;
  stop(): Promise<void>;
}

const require = createRequire(import.meta.url);

function spawnLogged(command: string, args: string[], env: Record<string, string>, cwd: string) {
  const child = spawn(command, args, {
    cwd,
    env: { ...process.env, NODE_ENV: "production", ...env },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  let log = "";
  child.stdout?.on("data", (d) => {
    log += d;
  });
  child.stderr?.on("data", (d) => {
    log += d;
  });
  const exited = new Promise<void>((r) => child.once("exit", () => r()));
  const stop = async () => {
    if (child.exitCode !== null || !child.pid) return;
    try {
      process.kill(-child.pid, "SIGTERM");
    } catch {}
    const timer = setTimeout(() => child.pid && process.kill(-child.pid, "SIGKILL"), 10_000);
    await exited;
    clearTimeout(timer);
  };
  return { child, output: () => log, stop };
}

/**
 * A hosted Studio on loopback: the headless server, or `next start` of the built web app, with
 * AGENTOS_PUBLIC_URL set to where it listens and the admin from the environment.
 */
export async function startHostedStudio(
  options: { target?: "server" | "web"; env?: Record<string, string>; dataDir?: string; port?: number } = {},
): Promise<StudioProcess> {
  const dataDir = options.dataDir ?? freshDataDir();
  const port = options.port ?? (await freePort());
  const baseUrl = `http://127.0.0.1:${port}`;
  const env = {
    AGENTOS_MODE: "hosted",
    AGENTOS_SECRET_KEY: HOSTED_SECRET_KEY,
    AGENTOS_DATA_DIR: dataDir,
    AGENTOS_PUBLIC_URL: baseUrl,
    AGENTOS_ADMIN_EMAIL: ADMIN.email,
    AGENTOS_ADMIN_PASSWORD: ADMIN.password,
    HOST: "127.0.0.1",
    PORT: String(port),
    ...options.env,
  };
  let launched: ReturnType<typeof spawnLogged>;
  if (options.target === "web") {
    const webDir = join(REPO_ROOT, "web");
    if (!existsSync(join(webDir, ".next", "BUILD_ID")))
      throw new Error("web/ is not built: run `pnpm web:build`.");
    const next = require.resolve("next/dist/bin/next", { paths: [webDir] });
    launched = spawnLogged(
      process.execPath,
      [next, "start", "-p", String(port), "-H", "127.0.0.1"],
      env,
      webDir,
    );
  } else {
    const tsx = require.resolve("tsx/cli", { paths: [join(REPO_ROOT, "packages/server")] });
    launched = spawnLogged(
      process.execPath,
      [tsx, join(REPO_ROOT, "packages/server/src/main.ts")],
      env,
      REPO_ROOT,
    );
  }
  await until(async () => {
    if (launched.child.exitCode !== null) throw new Error(`Studio exited:\n${launched.output()}`);
    return (await fetch(`${baseUrl}/api/health`).catch(() => null))?.ok === true;
  }, `${baseUrl}/api/health`);
  return { baseUrl, dataDir, process: launched.child, output: launched.output, stop: launched.stop };
}

/** Spawns a process and resolves with its exit code and output (for start-up refusals). */
export async function runToExit(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number | null; output: string }> {
  const launched = spawnLogged(process.execPath, args, env, REPO_ROOT);
  const code = await new Promise<number | null>((r) => launched.child.once("exit", (c) => r(c)));
  return { code, output: launched.output() };
}

/** An HTTP client that keeps cookies and sends the Origin a browser would. */
export class Session {
  private readonly cookies = new Map<string, string>();
  constructor(readonly baseUrl: string) {}

  async fetch(path: string, init: RequestInit & { json?: unknown } = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.cookies.size > 0)
      headers.set("cookie", [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; "));
    if (!headers.has("origin")) headers.set("origin", this.baseUrl);
    let body = init.body;
    if (init.json !== undefined) {
      headers.set("content-type", "application/json");
      body = JSON.stringify(init.json);
    }
    const response = await fetch(new URL(path, this.baseUrl), { ...init, headers, body, redirect: "manual" });
    for (const cookie of response.headers.getSetCookie()) {
      const [pair] = cookie.split(";");
      const index = pair!.indexOf("=");
      const name = pair!.slice(0, index);
      const value = pair!.slice(index + 1);
      if (value === "" || /max-age=0/i.test(cookie)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return response;
  }

  async json<T>(path: string, init: RequestInit & { json?: unknown } = {}): Promise<T> {
    const response = await this.fetch(path, init);
    const text = await response.text();
    if (!response.ok) throw new Error(`${init.method ?? "GET"} ${path} → ${response.status}: ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  }

  get hasSession(): boolean {
    return [...this.cookies.keys()].some((k) => k.includes("session_token"));
  }
}

/** Signs up (or in, when `signIn`) with email and password; the session keeps the cookie. */
export async function signUp(baseUrl: string, who: { email: string; password: string; name: string }) {
  const session = new Session(baseUrl);
  await session.json("/api/auth/sign-up/email", { method: "POST", json: who });
  return session;
}

export async function signIn(baseUrl: string, who: { email: string; password: string }) {
  const session = new Session(baseUrl);
  await session.json("/api/auth/sign-in/email", { method: "POST", json: who });
  return session;
}
