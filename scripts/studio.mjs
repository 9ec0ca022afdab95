// `./run studio`: the Studio in local mode — web (Next.js, http://localhost:3000) and one worker,
// sharing the libSQL file under .data/. Builds web first when its sources changed. Both processes
// are supervised: if either exits, the other is stopped and the exit is reported; Ctrl-C or
// SIGTERM drains both.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";

const root = new URL("..", import.meta.url).pathname;
const require = createRequire(import.meta.url);
const port = process.env.PORT ?? "3000";
const host = process.env.HOST ?? "127.0.0.1";

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (["node_modules", ".next", ".data", ".tools", ".git", "test", "bench"].includes(entry.name)) continue;
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

const buildId = join(root, "web/.next/BUILD_ID");
const sourcesChanged = () =>
  Math.max(newestMtime(join(root, "web")), newestMtime(join(root, "packages"))) > statSync(buildId).mtimeMs;
if (!existsSync(buildId) || sourcesChanged()) {
  console.log("studio: building the web app (first start or sources changed)…");
  const build = spawnSync("pnpm", ["-F", "@agentos/web", "build"], { cwd: root, stdio: "inherit" });
  if (build.status !== 0) process.exit(build.status ?? 1);
}

const env = {
  ...process.env,
  NODE_ENV: "production",
  AGENTOS_DATA_DIR: process.env.AGENTOS_DATA_DIR ?? join(root, ".data"),
  // A person reads these logs in a terminal; containers keep the JSON default.
  LOG_FORMAT: process.env.LOG_FORMAT ?? "text",
};
const children = [
  {
    name: "web",
    args: [
      require.resolve("next/dist/bin/next", { paths: [join(root, "web")] }),
      "start",
      "-p",
      port,
      "-H",
      host,
    ],
    cwd: join(root, "web"),
  },
  {
    name: "worker",
    args: [require.resolve("tsx/cli", { paths: [join(root, "worker")] }), "worker/src/main.ts"],
    cwd: root,
  },
].map(({ name, args, cwd }) => {
  const child = spawn(process.execPath, args, { cwd, env, stdio: ["ignore", "inherit", "inherit"] });
  return { name, child };
});

let stopping = false;
function stopAll(signal) {
  if (stopping) return;
  stopping = true;
  for (const { child } of children) if (child.exitCode === null) child.kill(signal);
}
for (const { name, child } of children) {
  child.on("exit", (code, signal) => {
    if (!stopping) {
      console.error(`studio: ${name} exited (${signal ?? `code ${code}`}); stopping the Studio.`);
      process.exitCode = code || 1;
    }
    stopAll("SIGTERM");
  });
}
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => stopAll(signal));
console.log(`studio: http://localhost:${port} (data in ${env.AGENTOS_DATA_DIR})`);
