// Online backup and restore of the libSQL file: backups taken by the `agentos` CLI and by the admin
// API while another process keeps writing are consistent snapshots, and each restores (CLI) to a
// database that passes integrity_check, has every migration, and opens as a Studio.
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { openStudio, StudioEnv } from "@agentos/api/node";
import { openDatabase } from "@agentos/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ApiTarget, freshDataDir, REPO_ROOT, startHeadlessServer, until } from "../harness/processes";

const require = createRequire(import.meta.url);
const tsx = require.resolve("tsx/cli", { paths: [join(REPO_ROOT, "packages/server")] });

/** `agentos <args>` as the bin runs it; resolves with the exit code and output. */
function agentos(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [tsx, join(REPO_ROOT, "packages/server/src/agentos.ts"), ...args], {
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (d) => {
      output += d;
    });
    child.stderr.on("data", (d) => {
      output += d;
    });
    child.once("exit", (code) => resolve({ code, output }));
  });
}

async function probeOf(file: string) {
  const client = (await openDatabase({ url: `file:${file}` })).$client;
  try {
    const integrity = String((await client.execute("PRAGMA integrity_check")).rows[0]?.[0]);
    const rows = Number((await client.execute("SELECT count(*) FROM backup_probe")).rows[0]?.[0]);
    const counter = Number((await client.execute("SELECT n FROM backup_counter")).rows[0]?.[0]);
    return { integrity, rows, counter };
  } finally {
    client.close();
  }
}

describe("online backup and restore", () => {
  const dataDir = freshDataDir();
  const backups = join(dataDir, "cli-backups");
  let writer: ChildProcess;
  let server: ApiTarget;
  let writerOutput = "";

  beforeAll(async () => {
    mkdirSync(backups, { recursive: true });
    writer = spawn(
      process.execPath,
      [tsx, join(REPO_ROOT, "infra/src/testing/writer.ts"), join(dataDir, "studio.db")],
      {
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    writer.stdout?.on("data", (d) => {
      writerOutput += d;
    });
    writer.stderr?.on("data", (d) => {
      writerOutput += d;
    });
    await until(() => writerOutput.includes("writing"), "the writer to start");
    server = await startHeadlessServer({ AGENTOS_DATA_DIR: dataDir, LOG_LEVEL: "warn" });
  }, 120_000);

  afterAll(async () => {
    if (writer?.exitCode === null) writer.kill("SIGKILL");
    await server?.stop();
  });

  it("takes consistent backups with the CLI and the admin API while writes go on", async () => {
    const taken: string[] = [];
    for (const n of [1, 2, 3]) {
      const file = join(backups, `studio-${n}.db`);
      const { code, output } = await agentos(["backup", file], { AGENTOS_DATA_DIR: dataDir });
      expect(code, output).toBe(0);
      expect(output).toContain(`backed up to ${file}`);
      taken.push(file);
    }
    const response = await fetch(`${server.baseUrl}/api/admin/backups`, { method: "POST" });
    expect(response.status, await response.clone().text()).toBe(201);
    const created = (await response.json()) as { name: string; bytes: number; schema: { pending: number } };
    expect(created.schema.pending).toBe(0);
    const download = await fetch(`${server.baseUrl}/api/admin/backups/${created.name}`);
    expect(download.headers.get("content-type")).toBe("application/vnd.sqlite3");
    const downloaded = join(backups, "downloaded.db");
    writeFileSync(downloaded, Buffer.from(await download.arrayBuffer()));
    taken.push(downloaded);

    writer.kill("SIGTERM");
    await until(() => writer.exitCode !== null, "the writer to stop");
    const finalWrites = (await probeOf(join(dataDir, "studio.db"))).counter;

    let previous = 0;
    for (const file of taken) {
      const probe = await probeOf(file);
      expect(probe.integrity).toBe("ok");
      // A snapshot: every transaction entirely in, or entirely out.
      expect(probe.rows).toBe(probe.counter);
      expect(probe.counter).toBeGreaterThanOrEqual(previous);
      expect(probe.counter).toBeLessThanOrEqual(finalWrites);
      previous = probe.counter;
    }
    expect(previous).toBeGreaterThan(0);
    // Writes went on between the backups.
    expect((await probeOf(taken[0]!)).counter).toBeLessThan(finalWrites);
  });

  it("restores a backup into a data directory, and the Studio opens on it", async () => {
    const target = freshDataDir();
    const { code, output } = await agentos(["restore", join(backups, "studio-2.db")], {
      AGENTOS_DATA_DIR: target,
    });
    expect(code, output).toBe(0);
    const probe = await probeOf(join(target, "studio.db"));
    expect(probe).toMatchObject({ integrity: "ok" });
    expect(probe.rows).toBe(probe.counter);
    const studio = await openStudio(StudioEnv.parse({ AGENTOS_DATA_DIR: target, LOG_LEVEL: "silent" }));
    const health = await studio.api.request("/api/health");
    expect(health.status).toBe(200);
    studio.close();
  });

  it("refuses to restore over a database a worker is using, unless forced, and keeps the old file", async () => {
    const target = freshDataDir();
    const studio = await openStudio(StudioEnv.parse({ AGENTOS_DATA_DIR: target, LOG_LEVEL: "silent" }));
    await studio.deps.repos.workers.register({
      id: "wrk_backuptest",
      baseUrl: "http://127.0.0.1:9",
      capabilities: { docker: false, ollama: false },
      capacity: 1,
    });
    studio.close();
    const refused = await agentos(["restore", join(backups, "studio-1.db")], { AGENTOS_DATA_DIR: target });
    expect(refused.code).toBe(1);
    expect(refused.output).toContain("Stop the Studio");
    const forced = await agentos(["restore", join(backups, "studio-1.db"), "--force"], {
      AGENTOS_DATA_DIR: target,
    });
    expect(forced.code, forced.output).toBe(0);
    const previous = /the previous file is (\S+)\)/.exec(forced.output)?.[1];
    expect(previous && existsSync(previous)).toBe(true);
  });
});
