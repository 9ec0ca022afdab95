import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const CHROMIUM = "/usr/bin/chromium";

// Test files run in parallel processes and several launch a browser: one installs, the others wait.
const LOCK = join(tmpdir(), "agentos-chromium-install.lock");
const STALE_LOCK_MS = 15 * 60_000;

const sleep = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/**
 * Installs Debian's Chromium when it is missing (CI machines start without it). Runs as root with
 * no stdin, so apt must not ask anything. Browsers that download their own build cannot work here:
 * only the Debian package repositories are reachable.
 */
export function ensureChromium(): string {
  for (;;) {
    if (existsSync(CHROMIUM)) return CHROMIUM;
    try {
      mkdirSync(LOCK);
      break;
    } catch {
      // Another process is installing; a lock left by a killed one is taken over after a while.
      const lock = statSync(LOCK, { throwIfNoEntry: false });
      if (lock && Date.now() - lock.mtimeMs > STALE_LOCK_MS) rmSync(LOCK, { recursive: true, force: true });
      sleep(1000);
    }
  }
  try {
    if (existsSync(CHROMIUM)) return CHROMIUM;
    console.log("[web test] installing Debian's chromium (apt-get) …");
    const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
    // Wait for dpkg's lock rather than fail when another apt (test prerequisites) is running.
    const wait = ["-o", "DPkg::Lock::Timeout=600"];
    execFileSync("apt-get", [...wait, "update", "-qq"], { stdio: ["ignore", "inherit", "inherit"], env });
    execFileSync("apt-get", [...wait, "install", "-y", "-qq", "chromium"], {
      stdio: ["ignore", "inherit", "inherit"],
      env,
    });
    if (!existsSync(CHROMIUM))
      throw new Error(`apt-get installed chromium but ${CHROMIUM} is still missing.`);
    return CHROMIUM;
  } finally {
    rmSync(LOCK, { recursive: true, force: true });
  }
}
