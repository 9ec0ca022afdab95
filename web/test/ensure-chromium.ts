import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";

export const CHROMIUM = "/usr/bin/chromium";

/**
 * Installs Debian's Chromium when it is missing (CI machines start without it). Runs as root with
 * no stdin, so apt must not ask anything. Browsers that download their own build cannot work here:
 * only the Debian package repositories are reachable.
 */
export function ensureChromium(): string {
  if (existsSync(CHROMIUM)) return CHROMIUM;
  console.log("[web test] installing Debian's chromium (apt-get) …");
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  execFileSync("apt-get", ["update", "-qq"], { stdio: ["ignore", "inherit", "inherit"], env });
  execFileSync("apt-get", ["install", "-y", "-qq", "chromium"], {
    stdio: ["ignore", "inherit", "inherit"],
    env,
  });
  if (!existsSync(CHROMIUM)) throw new Error(`apt-get installed chromium but ${CHROMIUM} is still missing.`);
  return CHROMIUM;
}
