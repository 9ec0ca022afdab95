import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { openDatabase } from "./client";
import { migrate } from "./migrate";
import { MIGRATIONS } from "./migrations.gen";
import { createStudioMetaRepository } from "./studio-meta";

const freshUrl = () => `file:${join(mkdtempSync(join(tmpdir(), "agentos-migrate-")), "studio.db")}`;

async function tableNames(url: string): Promise<string[]> {
  const db = await openDatabase({ url });
  const result = await db.$client.execute(
    "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name",
  );
  db.$client.close();
  return result.rows.map((r) => String(r.name));
}

describe("migrations", () => {
  it("apply to an empty database and create every table", async () => {
    const url = freshUrl();
    const db = await openDatabase({ url });
    expect(await migrate(db)).toEqual({ applied: MIGRATIONS.length, total: MIGRATIONS.length });
    db.$client.close();
    expect(await tableNames(url)).toEqual(
      expect.arrayContaining(["agents", "runs", "run_events", "run_steps", "api_tokens"]),
    );
  });

  it("are idempotent on restart", async () => {
    const url = freshUrl();
    for (const expected of [MIGRATIONS.length, 0, 0]) {
      const db = await openDatabase({ url });
      expect((await migrate(db)).applied).toBe(expected);
      db.$client.close();
    }
  });

  it("add studio_meta to a database an earlier release made, keeping its rows", async () => {
    const url = freshUrl();
    const before = MIGRATIONS.slice(0, -1);
    expect(MIGRATIONS.at(-1)?.sql.join("")).toContain("CREATE TABLE `studio_meta`");
    const old = await openDatabase({ url });
    expect(await migrate(old, before)).toEqual({ applied: before.length, total: before.length });
    await old.$client.execute(
      "INSERT INTO workspaces (id, name, slug, created_at, updated_at) VALUES ('ws_x', 'X', 'x', 'now', 'now')",
    );
    old.$client.close();
    expect(await tableNames(url)).not.toContain("studio_meta");

    const db = await openDatabase({ url });
    expect(await migrate(db)).toEqual({ applied: 1, total: MIGRATIONS.length });
    const workspaces = await db.$client.execute("SELECT slug FROM workspaces WHERE id = 'ws_x'");
    expect(workspaces.rows.map((r) => r.slug)).toEqual(["x"]);
    const id = await createStudioMetaRepository(db).installationId();
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    db.$client.close();
    expect(await tableNames(url)).toContain("studio_meta");
  });

  it("keep the embedded copy in step with migrations/", async () => {
    const { readMigrationFiles } = await import("drizzle-orm/migrator");
    const onDisk = readMigrationFiles({
      migrationsFolder: new URL("../migrations", import.meta.url).pathname,
    });
    expect(MIGRATIONS.map((m) => m.hash)).toEqual(onDisk.map((m) => m.hash));
  });

  it("open the file in WAL mode without a disk flush per commit", async () => {
    const db = await openDatabase({ url: freshUrl() });
    const mode = await db.$client.execute("PRAGMA journal_mode");
    expect(String(mode.rows[0]?.[0])).toBe("wal");
    const synchronous = await db.$client.execute("PRAGMA synchronous");
    expect(Number(synchronous.rows[0]?.[0])).toBe(1); // NORMAL
    db.$client.close();
  });
});
